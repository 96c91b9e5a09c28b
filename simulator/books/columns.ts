// Growable typed-array columns: posted transactions are stored column-wise so a million rows stay compact.

type Typed = Int32Array | Float64Array | Uint8Array;

abstract class Column<T extends Typed> {
  protected data: T;
  length = 0;
  constructor(initial: number) {
    this.data = this.alloc(Math.max(16, initial));
  }
  protected abstract alloc(n: number): T;
  push(v: number): number {
    if (this.length === this.data.length) {
      const next = this.alloc(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.data[i];
  }
  set(i: number, v: number): void {
    this.data[i] = v;
  }
  add(i: number, v: number): void {
    this.data[i] += v;
  }
}

export class I32 extends Column<Int32Array> {
  protected alloc(n: number): Int32Array {
    return new Int32Array(n);
  }
}

export class F64 extends Column<Float64Array> {
  protected alloc(n: number): Float64Array {
    return new Float64Array(n);
  }
}

export class U8 extends Column<Uint8Array> {
  protected alloc(n: number): Uint8Array {
    return new Uint8Array(n);
  }
}
