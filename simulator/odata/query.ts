// $top/$skip/$orderby/$filter/$select/$expand/$count: parsing with Sage's rules (reference section 4) and execution
// over a books collection, taking the cheapest route: the collection's key-ordered slice when there is no filter and
// the order is the key, an early-stopping scan when only a filter is added, and a bounded heap (never a full sort)
// for any other order.
import type { Want } from '../books/types.ts';
import type { TimestampStyle } from '../switches.ts';
import { ODataError } from './errors.ts';
import { type EnumIds, evaluate, getPath, type Row, toMs } from './evaluate.ts';
import { fieldsOf, type Node, parseFilter } from './parser.ts';
import { addExpandPath, buildSelect, type ExpandTree, emptyExpand, type SelectTree, shapeRow } from './shape.ts';

export const DEFAULT_TOP = 500;
export const MAX_TOP = 5000;

/** What the OData layer needs from a books collection. */
export interface QueryableCollection {
  readonly resource: string;
  readonly key: string;
  size(): number;
  get(id: number, want?: Want): Row | undefined;
  /** `want`: nested keys to build (others may be placeholders); collections may ignore it */
  scan(want?: Want): Iterable<Row>;
  slice(offset: number, limit: number, want?: Want): Row[];
  /** optional: a stored column's values as numbers, so an order index is built without building rows */
  orderValues?(path: string): OrderValues | undefined;
}

/**
 * One number per row, in scan (key) order: `keys[i]` is the i-th row's key and `values[i]` the value of the order
 * field, as the row would give it (`date`: the instant in ms of its ISO string; null: -Infinity).
 */
export interface OrderValues {
  kind: 'date' | 'num';
  keys: number[];
  values: Float64Array;
}

export interface OrderBy {
  path: string[];
  desc: boolean;
}

export interface ODataQuery {
  top: number;
  skip: number;
  orderby: OrderBy[];
  filter?: Node;
  expand: ExpandTree;
  select?: SelectTree;
  count: boolean;
  /** filter text + order: identifies the row set and order, whatever $top/$skip/$select/$expand say */
  signature: string;
}

/** A query's matching keys (in key order, or sorted once pages beyond the first are asked for). */
export interface Snapshot {
  keys: number[];
  /** sort values per key, for orders other than the key */
  vals?: unknown[][];
  sorted: boolean;
  /** a structure derived from the data, kept with the same lifetime (an order index, a parent index) */
  extra?: unknown;
  /** builds the structure again from the current data (order indexes: the owner maintains them after writes) */
  rebuild?: () => void;
}

/** Where snapshots live between requests; the owner drops them whenever the data changes. */
export interface SnapshotStore {
  get(signature: string): Snapshot | undefined;
  set(signature: string, s: Snapshot): void;
  /** the snapshot as it was before the data last changed (order indexes only), to rebuild from */
  stale?(signature: string): Snapshot | undefined;
}

const splitPath = (s: string) => s.split(/[./]/);
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function nonNegativeInt(name: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim()))
    throw new ODataError(`The value of ${name} must be a non-negative integer; '${raw}' is not valid.`);
  return Number(raw.trim());
}

/** Refuses a path that the resource's rows do not have, naming it (sample = a full row of the collection). */
function checkPath(sample: Row | undefined, path: string[], resource: string, param: string): void {
  let cur: unknown = sample;
  for (const p of path) {
    if (Array.isArray(cur)) cur = cur[0];
    if (cur === undefined || cur === null || typeof cur !== 'object') return;
    if (!(p in (cur as Row))) {
      throw new ODataError(`Could not find a property named '${path.join('.')}' on type '${resource}' (in ${param}).`);
    }
    cur = (cur as Row)[p];
  }
}

export function parseQuery(params: Record<string, unknown>, sample: Row | undefined, resource: string): ODataQuery {
  const get = (k: string): string | undefined => {
    const v = params[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ODataError(`The query option ${k} may be given only once.`);
    return v;
  };
  const q: ODataQuery = { top: DEFAULT_TOP, skip: 0, orderby: [], expand: emptyExpand(), count: false, signature: '' };

  const top = get('$top');
  if (top !== undefined) {
    q.top = nonNegativeInt('$top', top);
    if (q.top > MAX_TOP)
      throw new ODataError(`The maximum value that can be specified for $top is ${MAX_TOP}; ${q.top} was given.`);
  }
  const orderby = get('$orderby');
  if (orderby !== undefined) {
    for (const part of list(orderby)) {
      const m = /^(\S+)(?:\s+(asc|desc))?$/i.exec(part);
      if (!m) throw new ODataError(`$orderby is not valid near '${part}': use 'field asc' or 'field desc'.`);
      const path = splitPath(m[1]!);
      checkPath(sample, path, resource, '$orderby');
      q.orderby.push({ path, desc: m[2]?.toLowerCase() === 'desc' });
    }
  }
  const skip = get('$skip');
  if (skip !== undefined) {
    q.skip = nonNegativeInt('$skip', skip);
    if (!q.orderby.length) throw new ODataError('When using $skip, you must also use the $orderby parameter.');
  }
  const filter = get('$filter');
  if (filter !== undefined && filter.trim() !== '') {
    q.filter = parseFilter(filter);
    for (const path of fieldsOf(q.filter)) checkPath(sample, path, resource, '$filter');
  }
  const expand = get('$expand');
  if (expand !== undefined) {
    for (const item of list(expand)) {
      const path = splitPath(item);
      if (item !== '*')
        checkPath(
          sample,
          path.filter((p) => p !== '*'),
          resource,
          '$expand',
        );
      addExpandPath(q.expand, path);
    }
  }
  const select = get('$select');
  if (select !== undefined && select.trim() !== '' && select.trim() !== '*') {
    const paths = list(select).map(splitPath);
    for (const path of paths) {
      checkPath(sample, path, resource, '$select');
      // selecting into a nested property implies expanding it
      if (path.length > 1 || isNested(sample, path)) addExpandPath(q.expand, path);
    }
    q.select = buildSelect(paths);
  }
  q.signature = `${resource}|${filter ?? ''}|${q.orderby.map((o) => `${o.path.join('.')} ${o.desc ? 'desc' : 'asc'}`).join(',')}`;
  const count = get('$count');
  if (count !== undefined) {
    if (!/^(true|false)$/i.test(count)) throw new ODataError(`$count must be true or false; '${count}' is not valid.`);
    q.count = count.toLowerCase() === 'true';
  }
  return q;
}

function isNested(sample: Row | undefined, path: string[]): boolean {
  const v = sample ? getPath(sample, path) : undefined;
  return v !== null && typeof v === 'object';
}

function comparator(orderby: OrderBy[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const o of orderby) {
      const c = compareValues(getPath(a, o.path), getPath(b, o.path));
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  };
}

/** SQL Server order: nulls first, strings case-insensitively. */
function compareValues(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const as = String(a).toLowerCase();
  const bs = String(b).toLowerCase();
  return as < bs ? -1 : as > bs ? 1 : 0;
}

export interface QueryResult {
  rows: Row[];
  /** number of matching rows ignoring $top/$skip, when $count=true */
  count?: number;
}

/** Which nested keys a collection should build (undefined = all); see Collection.scan in books/types.ts. */
export type { Want };

/** The nested keys shaping will send: the top level of the expand tree. */
export function outputWant(q: ODataQuery, key?: string): Want {
  if (q.expand.all) return undefined;
  const names = q.expand.children;
  if (!q.select || q.select.has('*') || key === undefined) return { build: (k) => names.has(k), omit: true };
  // a $select: the fields it sends, the key, and what $filter and $orderby read
  const only = new Set<string>([key, ...q.select.keys(), ...testedPaths(q).map((p) => p[0]!)]);
  return { build: (k) => names.has(k), omit: true, only };
}

/** The field paths $orderby and $filter read. */
function testedPaths(q: ODataQuery): string[][] {
  return [...q.orderby.map((o) => o.path), ...(q.filter ? fieldsOf(q.filter) : [])];
}

/** The nested keys $filter/$orderby read: only the first segment of deeper paths (a depth-1 nested key compares
 * the same whether built or a placeholder: both are objects, or both null). */
function testWant(q: ODataQuery, key: string): Want {
  const paths = testedPaths(q);
  const names = new Set(paths.filter((p) => p.length > 1).map((p) => p[0]!));
  const only = new Set([key, ...paths.map((p) => p[0]!)]);
  return { build: (k) => names.has(k), only };
}

/** A key-ordered list of one collection sorted by an $orderby (ties in key order), kept between requests. When
 * the first order field is ascending and its values are all instants in order, `ms` holds them for range starts. */
interface OrderIndex {
  keys: number[];
  /** the first order values as numbers, rising (instants in ms, or plain numbers): lets a filter start mid-index */
  ms?: Float64Array;
  msKind?: 'date' | 'num';
}

export function execute(
  coll: QueryableCollection,
  q: ODataQuery,
  enumIds: EnumIds,
  style: TimestampStyle,
  parentFilter?: (r: Row) => boolean,
  snapshots?: SnapshotStore,
): QueryResult {
  const out = selectRows(coll, q, enumIds, parentFilter, snapshots);
  return { rows: out.rows.map((r) => shapeRow(r, q.expand, q.select, style)), count: out.count };
}

/** The page of rows a query asks for, unshaped (nested keys not expanded may be placeholders), and the count. */
export function selectRows(
  coll: QueryableCollection,
  q: ODataQuery,
  enumIds: EnumIds,
  parentFilter?: (r: Row) => boolean,
  snapshots?: SnapshotStore,
): QueryResult {
  const want = outputWant(q, coll.key);
  const test = testWant(q, coll.key);
  const byKey = (desc: boolean) =>
    q.orderby.length === 0 ||
    (q.orderby.length === 1 && q.orderby[0]!.path.join('.') === coll.key && q.orderby[0]!.desc === desc);
  const matches = (r: Row) => (!parentFilter || parentFilter(r)) && (!q.filter || evaluate(q.filter, r, enumIds));
  const unfiltered = !q.filter && !parentFilter;

  if (unfiltered && byKey(false)) {
    return { rows: coll.slice(q.skip, q.top, want), count: q.count ? coll.size() : undefined };
  }
  if (unfiltered && q.orderby.length === 1 && byKey(true)) {
    const n = coll.size();
    const end = Math.max(0, n - q.skip);
    const start = Math.max(0, end - q.top);
    return { rows: coll.slice(start, end - start, want).reverse(), count: q.count ? n : undefined };
  }
  const rowsOf = (keys: number[]) => {
    const out: Row[] = [];
    for (const id of keys) {
      const r = coll.get(id, want);
      if (r) out.push(r);
    }
    return out;
  };
  const page = (keys: number[]) => rowsOf(keys.slice(q.skip, q.skip + q.top));
  const key = (r: Row) => r[coll.key] as number;
  const hit = snapshots?.get(q.signature);

  if (byKey(false)) {
    if (hit) return { rows: page(hit.keys), count: q.count ? hit.keys.length : undefined };
    if (snapshots && q.skip > 0) {
      // paging on: remember every matching key once, so later pages cost a page, not a rescan from the start
      const keys: number[] = [];
      for (const r of coll.scan(test)) if (matches(r)) keys.push(key(r));
      snapshots.set(q.signature, { keys, sorted: true });
      return { rows: page(keys), count: q.count ? keys.length : undefined };
    }
    // the scan is already in key order: filter (on rows built only as far as the filter needs) and stop once the
    // page is full (unless counting); the page's rows are then built as the response needs them
    const keys: number[] = [];
    let seen = 0;
    for (const r of coll.scan(test)) {
      if (!matches(r)) continue;
      if (seen >= q.skip && keys.length < q.top) keys.push(key(r));
      seen++;
      if (keys.length >= q.top && !q.count) break;
    }
    return { rows: rowsOf(keys), count: q.count ? seen : undefined };
  }
  if (hit) {
    // a later page of the same query: sort the remembered keys once (stable, so ties stay in key order)
    if (!hit.sorted && hit.vals) {
      const order = hit.keys.map((_, i) => i);
      const valCmp = valuesComparator(q.orderby);
      const vals = hit.vals;
      order.sort((a, b) => valCmp(vals[a]!, vals[b]!));
      hit.keys = order.map((i) => hit.keys[i]!);
      hit.vals = undefined;
      hit.sorted = true;
    }
    return { rows: page(hit.keys), count: q.count ? hit.keys.length : undefined };
  }
  if (snapshots) {
    // any other order, with a place to keep things: sort the whole collection by this order once (until the data
    // changes), then walk it from where the filter can first match (e.g. date_time_updated gt <stamp>) and stop
    // once the page is full
    const index = orderIndex(coll, q.orderby, snapshots, test);
    const from = index.ms ? rangeStart(index.ms, bound(q.filter, q.orderby[0]!.path, index.msKind!, 'lower')) : 0;
    // and ends where the filter bounds it from above (`urn le N`): no row past it can match
    const upper = index.ms ? bound(q.filter, q.orderby[0]!.path, index.msKind!, 'upper') : undefined;
    const to = index.ms && upper !== undefined ? rangeStart(index.ms, upper, true) : index.keys.length;
    const keep = q.skip > 0; // paging by $skip: remember every matching key, as for key order
    const keys: number[] = [];
    let seen = 0;
    for (let i = from; i < to; i++) {
      const k = index.keys[i]!;
      if (!unfiltered) {
        const r = coll.get(k, test);
        if (!r || !matches(r)) continue;
      }
      if (keep || (seen >= q.skip && keys.length < q.top)) keys.push(k);
      seen++;
      if (!keep && !q.count && keys.length >= q.top) break;
    }
    if (keep) {
      snapshots.set(q.signature, { keys, sorted: true });
      return { rows: page(keys), count: q.count ? keys.length : undefined };
    }
    return { rows: rowsOf(keys), count: q.count ? seen : undefined };
  }
  // no store: keep only the best skip+top rows in a bounded heap (no full sort for one page)
  const cmp = comparator(q.orderby);
  const k = q.skip + q.top;
  const heap = new BoundedHeap(k, cmp);
  for (const r of coll.scan(test)) {
    if (!matches(r)) continue;
    heap.offer(r);
  }
  return { rows: rowsOf(heap.sorted().slice(q.skip, k).map(key)), count: q.count ? heap.seen : undefined };
}

function orderIndex(coll: QueryableCollection, orderby: OrderBy[], snapshots: SnapshotStore, test: Want): OrderIndex {
  const sig = `index|${coll.resource}|${orderby.map((o) => `${o.path.join('.')} ${o.desc ? 'desc' : 'asc'}`).join(',')}`;
  const cached = snapshots.get(sig)?.extra as OrderIndex | undefined;
  if (cached) return cached;
  const keep = (index: OrderIndex) => {
    snapshots.set(sig, {
      keys: [],
      sorted: true,
      extra: index,
      rebuild: () => orderIndex(coll, orderby, snapshots, test),
    });
    return index;
  };
  const before = snapshots.stale?.(sig)?.extra as OrderIndex | undefined;
  // later order values are kept only when they are not simply the key (the common `X asc, id asc`)
  const byKeyAfter =
    orderby.length === 1 || (orderby.length === 2 && orderby[1]!.path.join('.') === coll.key && !orderby[1]!.desc);
  const path0 = orderby[0]!.path;
  // a stored column (ledger stamps, URNs): read as numbers, without building a row per key (a million nominal rows
  // in milliseconds instead of seconds)
  const column = byKeyAfter ? coll.orderValues?.(path0.join('.')) : undefined;
  let keys: number[] = [];
  const vals: unknown[][] = [];
  let kind: 'date' | 'num' | undefined;
  let first: Float64Array;
  const firstVals: unknown[] = [];
  if (column && column.keys.length > 0) {
    keys = column.keys;
    kind = column.kind;
    first = column.values;
  } else {
    for (const r of coll.scan(test)) {
      keys.push(r[coll.key] as number);
      firstVals.push(getPath(r, path0));
      if (!byKeyAfter) vals.push(orderby.map((o) => getPath(r, o.path)));
    }
    // The first order value decides most comparisons: turn it into a number (plain numbers, or instants in ms) or a
    // lower-cased string once per row, instead of once per comparison (a ledger of a million rows sorts in seconds).
    first = new Float64Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const v = firstVals[i];
      let m: number;
      if (typeof v === 'number' && kind !== 'date') {
        kind = 'num';
        m = v;
      } else if (typeof v === 'string' && v.length >= 10 && v[4] === '-' && kind !== 'num') {
        kind = 'date';
        m = toMs(v);
      } else m = v === null || v === undefined ? Number.NEGATIVE_INFINITY : Number.NaN;
      if (Number.isNaN(m)) {
        kind = undefined;
        break;
      }
      first[i] = m;
    }
  }
  const n = keys.length;
  const sign = orderby[0]!.desc ? -1 : 1;
  // already in order (URNs grow as postings are appended): the scan order is the index, nothing to sort or patch
  if (kind && sign === 1 && byKeyAfter && n > 0 && rising(first)) {
    return keep({ keys, ms: first, msKind: kind });
  }
  const patched = kind && before ? patchIndex(before, keys, first, kind, orderby, coll.key) : undefined;
  if (patched) return keep(patched);
  const texts = kind
    ? undefined
    : firstVals.map((v) => (v === null || v === undefined ? null : String(v).toLowerCase()));
  const rest = (a: number, b: number) => {
    // by key after the first value: scan order is key order, so the final `a - b` decides
    if (byKeyAfter) return 0;
    for (let i = 1; i < orderby.length; i++) {
      const c = compareValues(vals[a]![i], vals[b]![i]);
      if (c !== 0) return orderby[i]!.desc ? -c : c;
    }
    return 0;
  };
  const primary = texts
    ? (a: number, b: number) => {
        const x = texts[a];
        const y = texts[b];
        if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
        return x < y ? -1 : x > y ? 1 : 0;
      }
    : (a: number, b: number) => first[a]! - first[b]!;
  const order = keys.map((_, i) => i);
  // already in order (URNs grow as rows are appended): nothing to sort
  if (!(kind && sign === 1 && byKeyAfter && rising(first)))
    order.sort((a, b) => sign * primary(a, b) || rest(a, b) || a - b);
  const index: OrderIndex = { keys: order.map((i) => keys[i]!) };
  if (kind && sign === 1 && n > 0 && first.every((m) => Number.isFinite(m))) {
    // range starts: the first values, rising in index order
    const ms = new Float64Array(n);
    for (let i = 0; i < n; i++) ms[i] = first[order[i]!]!;
    index.ms = ms;
    index.msKind = kind;
  }
  return keep(index);
}

/** non-decreasing and finite throughout (what a range start needs) */
function rising(a: Float64Array): boolean {
  if (!Number.isFinite(a[0]!)) return false;
  for (let i = 1; i < a.length; i++) if (!(a[i - 1]! <= a[i]!) || a[i] === Number.POSITIVE_INFINITY) return false;
  return true;
}

/**
 * Rebuilds an ascending numeric order index after writes from the index before them, as a database maintains its
 * index on write: rows whose first value is unchanged keep their place, and only the new or changed rows (a write
 * moves its rows' `date_time_updated` to now; new postings get new URNs) are sorted and merged in. Only for
 * `X asc` and `X asc, <key> asc`, where ties fall back to key order; undefined otherwise (full sort).
 */
function patchIndex(
  before: OrderIndex,
  keys: number[],
  first: Float64Array,
  kind: 'date' | 'num',
  orderby: OrderBy[],
  keyField: string,
): OrderIndex | undefined {
  if (!before.ms || before.msKind !== kind || orderby[0]!.desc) return undefined;
  if (orderby.length > 2 || (orderby.length === 2 && (orderby[1]!.path.join('.') !== keyField || orderby[1]!.desc)))
    return undefined;
  let maxKey = 0;
  for (const k of keys) if (k > maxKey) maxKey = k;
  for (const k of before.keys) if (k > maxKey) maxKey = k;
  if (!Number.isInteger(maxKey) || maxKey > 4 * keys.length + 100_000) return undefined;
  for (let i = 0; i < first.length; i++) if (!Number.isFinite(first[i]!)) return undefined;
  const now = new Float64Array(maxKey + 1).fill(Number.NaN);
  for (let i = 0; i < keys.length; i++) now[keys[i]!] = first[i]!;
  const was = new Float64Array(maxKey + 1).fill(Number.NaN);
  for (let j = 0; j < before.keys.length; j++) was[before.keys[j]!] = before.ms[j]!;
  // unchanged rows, still in order
  const keep: number[] = [];
  for (const k of before.keys) if (now[k] === was[k]) keep.push(k);
  // new or changed rows, sorted by (value, key)
  const moved: number[] = [];
  for (const k of keys) if (now[k] !== was[k]) moved.push(k);
  moved.sort((a, b) => now[a]! - now[b]! || a - b);
  const out: number[] = new Array(keep.length + moved.length);
  const ms = new Float64Array(out.length);
  let i = 0;
  let j = 0;
  for (let o = 0; o < out.length; o++) {
    const a = keep[i];
    const b = moved[j];
    const takeKeep = b === undefined || (a !== undefined && (now[a]! - now[b]! || a - b) < 0);
    const k = takeKeep ? a! : b!;
    if (takeKeep) i++;
    else j++;
    out[o] = k;
    ms[o] = now[k]!;
  }
  return { keys: out, ms, msKind: kind };
}

/** The lowest (`lower`) or highest (`upper`) value of `path` the filter can match, when it says so (`gt|ge|eq`
 * from below, `lt|le|eq` from above, through and/or); undefined when unbounded on that side. */
function bound(n: Node | undefined, path: string[], kind: 'date' | 'num', side: 'lower' | 'upper'): number | undefined {
  if (!n) return undefined;
  const isField = (x: Node) =>
    x.k === 'field' && x.path.length === path.length && x.path.every((p, i) => p === path[i]);
  const tighter = side === 'lower' ? Math.max : Math.min;
  const looser = side === 'lower' ? Math.min : Math.max;
  switch (n.k) {
    case 'and': {
      const a = bound(n.a, path, kind, side);
      const b = bound(n.b, path, kind, side);
      return a === undefined ? b : b === undefined ? a : tighter(a, b);
    }
    case 'or': {
      const a = bound(n.a, path, kind, side);
      const b = bound(n.b, path, kind, side);
      return a === undefined || b === undefined ? undefined : looser(a, b);
    }
    case 'cmp': {
      const value = (x: Node) =>
        kind === 'date' && x.k === 'date' ? x.ms : kind === 'num' && x.k === 'num' ? x.v : undefined;
      const from = side === 'lower' ? ['gt', 'ge', 'eq'] : ['lt', 'le', 'eq'];
      const mirrored = side === 'lower' ? ['lt', 'le', 'eq'] : ['gt', 'ge', 'eq'];
      if (isField(n.a) && from.includes(n.op)) return value(n.b);
      if (isField(n.b) && mirrored.includes(n.op)) return value(n.a);
      return undefined;
    }
    default:
      return undefined;
  }
}

/** first position whose value is >= bound, or with `after` > bound (binary search over a rising array) */
function rangeStart(ms: Float64Array, bound: number | undefined, after = false): number {
  if (bound === undefined) return 0;
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ms[mid]! < bound || (after && ms[mid] === bound)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function valuesComparator(orderby: OrderBy[]): (a: unknown[], b: unknown[]) => number {
  return (a, b) => {
    for (let i = 0; i < orderby.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return orderby[i]!.desc ? -c : c;
    }
    return 0;
  };
}

/** Keeps the k smallest rows by `cmp` (ties broken by arrival, i.e. key order); a max-heap on top of the worst. */
class BoundedHeap {
  private items: { r: Row; i: number }[] = [];
  private n = 0;
  get seen(): number {
    return this.n;
  }
  constructor(
    private readonly k: number,
    private readonly cmp: (a: Row, b: Row) => number,
  ) {}
  private worse(a: { r: Row; i: number }, b: { r: Row; i: number }): boolean {
    const c = this.cmp(a.r, b.r);
    return c > 0 || (c === 0 && a.i > b.i);
  }
  offer(r: Row): void {
    const item = { r, i: this.n++ };
    const h = this.items;
    if (this.k === 0) return;
    if (h.length < this.k) {
      h.push(item);
      let c = h.length - 1;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!this.worse(h[c]!, h[p]!)) break;
        [h[c], h[p]] = [h[p]!, h[c]!];
        c = p;
      }
      return;
    }
    if (!this.worse(h[0]!, item)) return;
    h[0] = item;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      const r = l + 1;
      let m = p;
      if (l < h.length && this.worse(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.worse(h[r]!, h[m]!)) m = r;
      if (m === p) break;
      [h[p], h[m]] = [h[m]!, h[p]!];
      p = m;
    }
  }
  sorted(): Row[] {
    return this.items.sort((a, b) => (this.worse(a, b) ? 1 : this.worse(b, a) ? -1 : 0)).map((x) => x.r);
  }
}
