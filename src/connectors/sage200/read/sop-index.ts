// SOP invoice/credit lines keyed by customer and document number, stored in columns (84 bytes a line) instead of one
// parsed object per line (about 500 bytes), and rebuilt as `SopInvoiceLine` objects only when a mapper asks for a
// key. To the mappers it is still a `Map<string, SopInvoiceLine[]>` (`sop.get(key)` unchanged).
import type { SopInvoiceLine } from '../mapping/sage.ts';

/** The numeric and string fields of `sopInvoiceLine` (mapping/sage.ts); sop-index.test.ts checks they cover it. */
export const SOP_NUM_FIELDS = [
  'customer_id',
  'sop_invoice_credit_id',
  'sop_invoice_credit_line_id',
  'sop_invoice_credit_line_total_value',
  'sop_invoice_credit_line_tax_value',
  'invoice_line_profit_analysis_line_quantity',
  'product_id',
] as const;
/** interned (a handful of types, one product's strings repeated on many lines) */
export const SOP_STR_FIELDS = [
  'sop_invoice_credit_type',
  'product_code',
  'product_name',
  'product_description',
] as const;
const DOC_NO = 'sop_invoice_credit_document_no';
const NN = SOP_NUM_FIELDS.length;
const NS = SOP_STR_FIELDS.length;
const DOC = 1; // column of sop_invoice_credit_id
const LINE = 2; // column of sop_invoice_credit_line_id

export class CompactSopIndex extends Map<string, SopInvoiceLine[]> {
  private nums = new Float64Array(NN * 1024);
  private strs = new Int32Array(NS * 1024);
  /** previous line of the same key, -1 at the end of a chain */
  private link = new Int32Array(1024);
  private docNos: (string | null)[] = [];
  private n = 0;
  private dead = 0;
  private heads = new Map<string, number>();
  private strings: string[] = [];
  private readonly stringIds = new Map<string, number>();

  constructor(private readonly keyOf: (customerId: unknown, documentNo: unknown) => string) {
    super();
  }

  /** Drops the spare capacity left by growing (call once a load is complete). */
  trim(): void {
    this.resize(Math.max(this.n, 1));
  }

  private grow(): void {
    this.resize(Math.max(1024, this.link.length * 2));
  }

  private resize(cap: number): void {
    if (cap === this.link.length) return;
    const nums = new Float64Array(NN * cap);
    nums.set(this.nums.subarray(0, NN * this.n));
    const strs = new Int32Array(NS * cap);
    strs.set(this.strs.subarray(0, NS * this.n));
    const link = new Int32Array(cap);
    link.set(this.link.subarray(0, this.n));
    this.nums = nums;
    this.strs = strs;
    this.link = link;
  }

  private intern(v: string | null | undefined): number {
    if (typeof v !== 'string') return -1;
    let i = this.stringIds.get(v);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(v);
      this.stringIds.set(v, i);
    }
    return i;
  }

  /** Appends one parsed line under its key (by default the one its customer and document number give). */
  add(l: SopInvoiceLine, key?: string): void {
    if (this.n === this.link.length) this.grow();
    const i = this.n++;
    for (let c = 0; c < NN; c++) {
      const v = l[SOP_NUM_FIELDS[c]!];
      this.nums[i * NN + c] = typeof v === 'number' ? v : Number.NaN;
    }
    for (let c = 0; c < NS; c++) this.strs[i * NS + c] = this.intern(l[SOP_STR_FIELDS[c]!]);
    // the lines of one document arrive together: share one copy of its number
    const doc = l[DOC_NO] ?? null;
    const prev = i > 0 ? this.docNos[i - 1] : undefined;
    this.docNos.push(prev !== undefined && prev === doc ? prev : doc);
    const k = key ?? this.keyOf(l.customer_id, doc);
    this.link[i] = this.heads.get(k) ?? -1;
    this.heads.set(k, i);
  }

  private line(i: number): SopInvoiceLine {
    const o: Record<string, unknown> = {};
    for (let c = 0; c < NN; c++) {
      const v = this.nums[i * NN + c]!;
      o[SOP_NUM_FIELDS[c]!] = Number.isNaN(v) ? null : v;
    }
    for (let c = 0; c < NS; c++) {
      const s = this.strs[i * NS + c]!;
      o[SOP_STR_FIELDS[c]!] = s < 0 ? null : this.strings[s];
    }
    o[DOC_NO] = this.docNos[i];
    return o as SopInvoiceLine;
  }

  private chain(k: string): number[] {
    const out: number[] = [];
    for (let i = this.heads.get(k) ?? -1; i >= 0; i = this.link[i]!) out.push(i);
    // document then line order, whatever order the lines were added or patched in
    return out.sort(
      (a, b) =>
        this.nums[a * NN + DOC]! - this.nums[b * NN + DOC]! || this.nums[a * NN + LINE]! - this.nums[b * NN + LINE]!,
    );
  }

  override get(key: string): SopInvoiceLine[] | undefined {
    if (!this.heads.has(key)) return undefined;
    return this.chain(key).map((i) => this.line(i));
  }
  override has(key: string): boolean {
    return this.heads.has(key);
  }
  override get size(): number {
    return this.heads.size;
  }
  override set(key: string, lines: SopInvoiceLine[]): this {
    this.delete(key);
    for (const l of lines) this.add(l, key);
    return this;
  }
  override delete(key: string): boolean {
    const had = this.heads.has(key);
    if (had) {
      this.dead += this.chain(key).length;
      this.heads.delete(key);
    }
    return had;
  }
  override clear(): void {
    this.heads.clear();
    this.n = 0;
    this.dead = 0;
    this.docNos = [];
  }

  /**
   * Replaces the lines of the documents in `lines` (all the lines of each, as a read filtered on the document's
   * stamp returns them): lines of other documents under the same key stay. Old lines are left as garbage in the
   * columns; the columns are rebuilt once garbage is half of them. A document whose customer or number changed
   * would keep its old lines under its old key too; posted SOP documents keep both, and a reload clears it.
   */
  replaceDocuments(lines: SopInvoiceLine[]): void {
    const docs = new Set(lines.map((l) => l.sop_invoice_credit_id));
    const keys = new Set(lines.map((l) => this.keyOf(l.customer_id, l[DOC_NO] ?? null)));
    for (const k of keys) {
      const held = this.chain(k);
      const keep = held.filter((i) => !docs.has(this.nums[i * NN + DOC]!));
      this.dead += held.length - keep.length;
      let head = -1;
      for (const i of keep) {
        this.link[i] = head;
        head = i;
      }
      if (head < 0) this.heads.delete(k);
      else this.heads.set(k, head);
    }
    for (const l of lines) this.add(l);
    if (this.dead > 1024 && this.dead * 2 > this.n) this.compact();
  }

  private compact(): void {
    const all = [...this.entries()];
    this.nums = new Float64Array(NN * 1024);
    this.strs = new Int32Array(NS * 1024);
    this.link = new Int32Array(1024);
    this.clear();
    for (const [k, lines] of all) for (const l of lines) this.add(l, k);
    this.trim();
  }

  override *entries(): MapIterator<[string, SopInvoiceLine[]]> {
    for (const k of this.heads.keys()) yield [k, this.get(k)!];
  }
  override *keys(): MapIterator<string> {
    yield* this.heads.keys();
  }
  override *values(): MapIterator<SopInvoiceLine[]> {
    for (const k of this.heads.keys()) yield this.get(k)!;
  }
  override [Symbol.iterator](): MapIterator<[string, SopInvoiceLine[]]> {
    return this.entries();
  }
  override forEach(
    fn: (value: SopInvoiceLine[], key: string, map: Map<string, SopInvoiceLine[]>) => void,
    thisArg?: unknown,
  ): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  /**
   * Plain data for a lookup snapshot (lookup-cache.ts): the used part of the columns, chains and strings, kept small
   * because a worker without the piece reads it back whole (inflating and deserializing cost by the byte): each
   * numeric field is its own column, 32-bit where every value is a 32-bit integer (ids, customers, products), and
   * a line's document number is an index into the distinct numbers (the lines of one document share one).
   */
  toState(): SopIndexState {
    const n = this.n;
    const numCols: SopIndexState['numCols'] = [];
    const numScale: number[] = [];
    for (let c = 0; c < NN; c++) {
      const value = (i: number) => this.nums[i * NN + c]!;
      const scale = int32Scale(value, n);
      const col = scale ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = scale ? Math.round(value(i) * scale) : value(i);
      numCols.push(col);
      numScale.push(scale || 1);
    }
    const docList: (string | null)[] = [];
    const docIndex = new Int32Array(n);
    const seen = new Map<string | null, number>();
    for (let i = 0; i < n; i++) {
      const d = this.docNos[i]!;
      let k = seen.get(d);
      if (k === undefined) {
        k = docList.length;
        docList.push(d);
        seen.set(d, k);
      }
      docIndex[i] = k;
    }
    const strs =
      this.strings.length < 32768 ? Int16Array.from(this.strs.subarray(0, NS * n)) : this.strs.slice(0, NS * n);
    return {
      n,
      numCols,
      numScale,
      strs,
      link: this.link.slice(0, n),
      docList,
      docIndex,
      dead: this.dead,
      heads: this.heads,
      strings: this.strings,
    };
  }

  static fromState(s: SopIndexState, keyOf: (customerId: unknown, documentNo: unknown) => string): CompactSopIndex {
    const n = s.n;
    if (
      !Number.isInteger(n) ||
      !Array.isArray(s.numCols) ||
      s.numCols.length !== NN ||
      !s.numCols.every((c) => (c instanceof Float64Array || c instanceof Int32Array) && c.length === n) ||
      !Array.isArray(s.numScale) ||
      s.numScale.length !== NN ||
      !(s.strs instanceof Int32Array || s.strs instanceof Int16Array) ||
      !(s.link instanceof Int32Array && s.docIndex instanceof Int32Array) ||
      s.strs.length !== NS * n ||
      s.link.length !== n ||
      s.docIndex.length !== n ||
      !Array.isArray(s.docList) ||
      !(s.heads instanceof Map)
    )
      throw new Error('Not a SOP line index snapshot');
    // the deserialized chains and strings are this index's own from now on: adopted, not copied
    const x = new CompactSopIndex(keyOf);
    x.n = n;
    x.dead = s.dead;
    x.heads = s.heads;
    x.strings = s.strings;
    for (let i = 0; i < s.strings.length; i++) x.stringIds.set(s.strings[i]!, i);
    const nums = new Float64Array(NN * Math.max(n, 1));
    for (let c = 0; c < NN; c++) {
      const col = s.numCols[c]!;
      const scale = s.numScale[c]!;
      if (scale === 1) for (let i = 0; i < n; i++) nums[i * NN + c] = col[i]!;
      else for (let i = 0; i < n; i++) nums[i * NN + c] = col[i]! / scale;
    }
    x.nums = nums;
    const docNos: (string | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const d = s.docList[s.docIndex[i]!];
      if (d === undefined) throw new Error('Torn SOP line index snapshot');
      docNos[i] = d;
    }
    x.docNos = docNos;
    x.strs = s.strs instanceof Int32Array ? s.strs : Int32Array.from(s.strs);
    x.link = s.link;
    return x;
  }

  /** Lines held (live ones). */
  get lineCount(): number {
    return this.n - this.dead;
  }
  /** Column bytes (for the memory figures in docs/performance.md). */
  get bytes(): number {
    return this.nums.byteLength + this.strs.byteLength + this.link.byteLength;
  }
}

/**
 * 1 when every value is a 32-bit integer, 100 when every value is a whole number of pence that fits 32 bits once
 * scaled (amounts), 0 otherwise (a 64-bit column). Scaling back divides, and gives exactly the value kept.
 */
function int32Scale(value: (i: number) => number, n: number): number {
  for (const k of [1, 100]) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const r = Math.round(value(i) * k);
      ok = r === (r | 0) && !Object.is(r, -0) && r / k === value(i);
    }
    if (ok) return k;
  }
  return 0;
}

export interface SopIndexState {
  n: number;
  /** one column per SOP_NUM_FIELDS entry, n values each */
  numCols: (Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>)[];
  /** a 32-bit column holds value * scale (100: amounts in pence) */
  numScale: number[];
  /** 16-bit while there are fewer than 32,768 distinct strings */
  strs: Int32Array<ArrayBuffer> | Int16Array<ArrayBuffer>;
  link: Int32Array<ArrayBuffer>;
  /** distinct document numbers, and each line's index into them */
  docList: (string | null)[];
  docIndex: Int32Array<ArrayBuffer>;
  dead: number;
  heads: Map<string, number>;
  strings: string[];
}
