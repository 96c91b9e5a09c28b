// Master data: few enough rows to keep as Sage-shaped records in insertion (= ascending id) order.
export type Rec = Record<string, unknown>;

export class Table {
  readonly rows = new Map<number, Rec>();
  private sortedIds: number[] | null = null;
  /** parent id -> child ids, when this table is a child collection */
  private readonly byParent = new Map<number, Set<number>>();

  constructor(
    readonly resource: string,
    private nextId: number,
    readonly parentField?: string,
  ) {}

  insert(rec: Rec): Rec {
    const id = this.nextId++;
    const row: Rec = { id, ...rec };
    this.rows.set(id, row);
    this.sortedIds = null;
    if (this.parentField) {
      const p = row[this.parentField] as number;
      let set = this.byParent.get(p);
      if (!set) {
        set = new Set();
        this.byParent.set(p, set);
      }
      set.add(id);
    }
    return row;
  }

  get(id: number): Rec | undefined {
    return this.rows.get(id);
  }

  delete(id: number): void {
    const row = this.rows.get(id);
    if (!row) return;
    this.rows.delete(id);
    this.sortedIds = null;
    if (this.parentField) this.byParent.get(row[this.parentField] as number)?.delete(id);
  }

  children(parentId: number): Rec[] {
    const ids = this.byParent.get(parentId);
    if (!ids) return [];
    return [...ids].sort((a, b) => a - b).map((id) => this.rows.get(id)!);
  }

  ids(): number[] {
    if (!this.sortedIds) this.sortedIds = [...this.rows.keys()];
    return this.sortedIds;
  }

  get size(): number {
    return this.rows.size;
  }

  find(pred: (r: Rec) => boolean): Rec | undefined {
    for (const r of this.rows.values()) if (pred(r)) return r;
    return undefined;
  }
}

/** deep copy of JSON-shaped data (callers get fresh objects); a plain walk, several times faster than
 * structuredClone on the small records served thousands at a time */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (Object.getPrototypeOf(v) !== Object.prototype) return structuredClone(v);
  const o: Record<string, unknown> = {};
  for (const k in v) o[k] = clone((v as Record<string, unknown>)[k]);
  return o as T;
}
