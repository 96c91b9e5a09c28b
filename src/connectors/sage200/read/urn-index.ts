// URN -> posted transaction, compact: a ledger of 450k posted transactions is three typed arrays (urns sorted, ids,
// type indexes: 18 bytes an entry) instead of a Map of objects (about 150 bytes an entry). It still *is* a
// `Map<number, UrnInfo>` to the mappers (`Lookups['urns']`): the read methods are answered from the arrays, so mapper
// code keeps calling `lk.urns.get(urn)` unchanged. Entries added later (new postings, `set`) go to a small overflow
// map that is merged into the arrays once it grows.
import type { Lookups } from '../mapping/lookups.ts';

export type UrnInfo = Lookups['urns'] extends Map<number, infer V> ? V : never;
type Ledger = UrnInfo['ledger'];

/** Overflow entries merged into the sorted arrays beyond this many (or a sixteenth of the arrays). */
const MERGE_AT = 4096;

/** Growable column of float64 values (urns and ids are int64 in Sage's spec: a double holds them exactly). */
class F64 {
  a = new Float64Array(1024);
  n = 0;
  push(v: number) {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/** Builds a CompactUrnMap page by page (typed arrays only, nothing per entry). */
export class UrnIndexBuilder {
  private readonly urns = new F64();
  private readonly ids = new F64();
  private readonly kinds = new F64();
  private readonly types = new TypeTable();

  add(urn: number, id: number, type: string, ledger?: Ledger): void {
    if (!Number.isFinite(urn)) return;
    this.urns.push(urn);
    this.ids.push(id);
    this.kinds.push(this.types.index(type, ledger));
  }

  build(): CompactUrnMap {
    const n = this.urns.n;
    const u = this.urns.a;
    // Sage hands out URNs in posting order, so rows read by id are usually sorted already.
    let order: Uint32Array | null = null;
    for (let i = 1; i < n; i++)
      if (u[i]! <= u[i - 1]!) {
        order = Uint32Array.from({ length: n }, (_, k) => k);
        // stable: equal urns keep load order, the last one wins below (as Map.set would)
        order.sort((a, b) => u[a]! - u[b]! || a - b);
        break;
      }
    const urns = new Float64Array(n);
    const ids = new Float64Array(n);
    const kinds = new Uint16Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      if (m > 0 && urns[m - 1] === u[i]) m--; // duplicate urn: the later row replaces the earlier
      urns[m] = u[i]!;
      ids[m] = this.ids.a[i]!;
      kinds[m] = this.kinds.a[i]!;
      m++;
    }
    return new CompactUrnMap(urns.slice(0, m), ids.slice(0, m), kinds.slice(0, m), this.types);
  }
}

/** (type, ledger) pairs: a ledger repeats a handful of transaction types. */
class TypeTable {
  readonly list: { type: string; ledger?: Ledger }[] = [];
  private readonly byKey = new Map<string, number>();
  index(type: string, ledger?: Ledger): number {
    const key = `${ledger ?? ''}|${type}`;
    let i = this.byKey.get(key);
    if (i === undefined) {
      if (this.list.length >= 65535) throw new Error('More than 65,535 distinct transaction types in one URN map');
      i = this.list.length;
      this.list.push(ledger ? { type, ledger } : { type });
      this.byKey.set(key, i);
    }
    return i;
  }
}

export class CompactUrnMap extends Map<number, UrnInfo> {
  private extra = new Map<number, UrnInfo>();
  constructor(
    private urns: Float64Array,
    private ids: Float64Array,
    private kinds: Uint16Array,
    private types: TypeTable = new TypeTable(),
  ) {
    super();
  }

  static empty(): CompactUrnMap {
    return new CompactUrnMap(new Float64Array(0), new Float64Array(0), new Uint16Array(0));
  }

  private find(urn: number): number {
    const u = this.urns;
    let lo = 0;
    let hi = u.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = u[mid]!;
      if (v === urn) return mid;
      if (v < urn) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private at(i: number): UrnInfo {
    const t = this.types.list[this.kinds[i]!]!;
    return t.ledger ? { id: this.ids[i]!, type: t.type, ledger: t.ledger } : { id: this.ids[i]!, type: t.type };
  }

  override get(urn: number): UrnInfo | undefined {
    const x = this.extra.get(urn);
    if (x) return x;
    const i = this.find(urn);
    return i < 0 ? undefined : this.at(i);
  }

  override has(urn: number): boolean {
    return this.extra.has(urn) || this.find(urn) >= 0;
  }

  override set(urn: number, info: UrnInfo): this {
    this.extra.set(urn, info);
    if (this.extra.size > Math.max(MERGE_AT, this.urns.length >> 4)) this.merge();
    return this;
  }

  override delete(urn: number): boolean {
    const had = this.has(urn);
    if (!had) return false;
    this.merge(urn);
    return true;
  }

  override clear(): void {
    this.extra.clear();
    this.urns = new Float64Array(0);
    this.ids = new Float64Array(0);
    this.kinds = new Uint16Array(0);
  }

  override get size(): number {
    let n = this.urns.length;
    for (const k of this.extra.keys()) if (this.find(k) < 0) n++;
    return n;
  }

  /** Rebuilds the arrays with the overflow entries in (and `drop` left out). */
  private merge(drop?: number): void {
    const b = new UrnIndexBuilder();
    for (const [urn, info] of this.entries()) if (urn !== drop) b.add(urn, info.id, info.type, info.ledger);
    const m = b.build();
    this.urns = m.urns;
    this.ids = m.ids;
    this.kinds = m.kinds;
    this.types = m.types;
    this.extra = new Map();
  }

  override *entries(): MapIterator<[number, UrnInfo]> {
    for (let i = 0; i < this.urns.length; i++) {
      const urn = this.urns[i]!;
      if (!this.extra.has(urn)) yield [urn, this.at(i)];
    }
    yield* this.extra.entries();
  }
  override *keys(): MapIterator<number> {
    for (const [k] of this.entries()) yield k;
  }
  override *values(): MapIterator<UrnInfo> {
    for (const [, v] of this.entries()) yield v;
  }
  override [Symbol.iterator](): MapIterator<[number, UrnInfo]> {
    return this.entries();
  }
  override forEach(fn: (value: UrnInfo, key: number, map: Map<number, UrnInfo>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  /** Typed-array bytes held (for the memory figures in docs/performance.md). */
  get bytes(): number {
    return this.urns.byteLength + this.ids.byteLength + this.kinds.byteLength;
  }

  /** Plain data for a lookup snapshot (lookup-cache.ts); `fromState` gives an equal map back. */
  toState(): UrnMapState {
    return { urns: this.urns, ids: this.ids, kinds: this.kinds, types: this.types.list, extra: [...this.extra] };
  }

  static fromState(s: UrnMapState): CompactUrnMap {
    if (!(s.urns instanceof Float64Array && s.ids instanceof Float64Array && s.kinds instanceof Uint16Array))
      throw new Error('Not a URN map snapshot');
    if (s.ids.length !== s.urns.length || s.kinds.length !== s.urns.length) throw new Error('Torn URN map snapshot');
    const types = new TypeTable();
    for (const t of s.types) types.index(t.type, t.ledger);
    const m = new CompactUrnMap(s.urns, s.ids, s.kinds, types);
    for (const [urn, info] of s.extra) m.extra.set(urn, info);
    return m;
  }
}

export interface UrnMapState {
  urns: Float64Array;
  ids: Float64Array;
  kinds: Uint16Array;
  types: { type: string; ledger?: Ledger }[];
  extra: [number, UrnInfo][];
}

/**
 * Several ledgers' URN maps seen as one (journal entries need both), without copying them. Writes stay in this
 * view, so a caller's `set` never changes the cached ledgers' maps.
 */
export class UnionUrnMap extends Map<number, UrnInfo> {
  private readonly own = new Map<number, UrnInfo>();
  /** later maps win on the same urn, as `new Map([...a, ...b])` did */
  constructor(private readonly parts: Map<number, UrnInfo>[]) {
    super();
  }
  override get(urn: number): UrnInfo | undefined {
    const x = this.own.get(urn);
    if (x) return x;
    for (let i = this.parts.length - 1; i >= 0; i--) {
      const v = this.parts[i]!.get(urn);
      if (v) return v;
    }
    return undefined;
  }
  override has(urn: number): boolean {
    return this.own.has(urn) || this.parts.some((p) => p.has(urn));
  }
  override set(urn: number, info: UrnInfo): this {
    this.own.set(urn, info);
    return this;
  }
  override get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }
  override *entries(): MapIterator<[number, UrnInfo]> {
    const seen = new Set<number>();
    for (const m of [this.own, ...[...this.parts].reverse()])
      for (const [k, v] of m) {
        if (seen.has(k)) continue;
        seen.add(k);
        yield [k, v];
      }
  }
  override *keys(): MapIterator<number> {
    for (const [k] of this.entries()) yield k;
  }
  override *values(): MapIterator<UrnInfo> {
    for (const [, v] of this.entries()) yield v;
  }
  override [Symbol.iterator](): MapIterator<[number, UrnInfo]> {
    return this.entries();
  }
  override forEach(fn: (value: UrnInfo, key: number, map: Map<number, UrnInfo>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}
