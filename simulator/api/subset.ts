// A parent's children as a collection of their own (e.g. /customers/7/sales_posted_transactions): the child keys
// of every parent are found by one scan of the child collection and kept until the company's data changes, so a
// parent-scoped read costs its own rows, not a scan of every child.
import type { Row } from '../odata/evaluate.ts';
import type { QueryableCollection, Snapshot, SnapshotStore, Want } from '../odata/query.ts';

const NONE: Want = { build: () => false };

export function childSubset(
  child: QueryableCollection,
  field: string,
  parentId: number,
  store: SnapshotStore,
): QueryableCollection {
  const sig = `parents|${child.resource}|${field}`;
  let byParent = store.get(sig)?.extra as Map<unknown, number[]> | undefined;
  if (!byParent) {
    byParent = new Map();
    for (const r of child.scan(NONE)) {
      const p = r[field];
      let keys = byParent.get(p);
      if (!keys) {
        keys = [];
        byParent.set(p, keys);
      }
      keys.push(r[child.key] as number);
    }
    const snap: Snapshot = { keys: [], sorted: true, extra: byParent };
    store.set(sig, snap);
  }
  return new KeySubset(child, byParent.get(parentId) ?? []);
}

/** The rows of `coll` whose keys are in `keys` (ascending). */
class KeySubset implements QueryableCollection {
  readonly resource: string;
  readonly key: string;
  constructor(
    private readonly coll: QueryableCollection,
    private readonly keys: number[],
  ) {
    this.resource = coll.resource;
    this.key = coll.key;
  }
  size(): number {
    return this.keys.length;
  }
  get(id: number, want?: Want): Row | undefined {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid]! < id) lo = mid + 1;
      else hi = mid;
    }
    return this.keys[lo] === id ? this.coll.get(id, want) : undefined;
  }
  *scan(want?: Want): Iterable<Row> {
    for (const k of this.keys) {
      const r = this.coll.get(k, want);
      if (r) yield r;
    }
  }
  slice(offset: number, limit: number, want?: Want): Row[] {
    const out: Row[] = [];
    const start = Math.max(0, offset);
    for (const k of this.keys.slice(start, start + Math.max(0, limit))) {
      const r = this.coll.get(k, want);
      if (r) out.push(r);
    }
    return out;
  }
}
