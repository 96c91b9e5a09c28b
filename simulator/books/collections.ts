// Collection adapters over master tables, ledger rows and computed lists (the HTTP layer reads only these).

import { toMs } from '../odata/evaluate.ts';
import type { OrderValues } from '../odata/query.ts';
import { clone, type Rec, type Table } from './table.ts';
import type { Collection, Want } from './types.ts';

/** A stored numeric column of a dense collection, by row index (`date`: instants in ms). */
export type OrderColumns = Record<string, { kind: 'date' | 'num'; at: (index: number) => number }>;

export class TableCollection implements Collection {
  readonly key = 'id';
  constructor(
    readonly resource: string,
    private readonly table: Table,
    private readonly view: (r: Rec, want?: Want) => Rec,
    /** stamp fields the view copies unchanged from the stored row: order indexes read them without the view */
    private readonly stamps: readonly string[] = [],
    /** the keys the view adds or replaces (it copies every other stored field unchanged); when set, a reader that
     * looks only at other fields (`Want.only`: a `$select`, a filter on stamps) gets them from the stored row,
     * without building the view (a customer's view clones its currency, tax code, country and contacts) */
    private readonly viewAdds?: readonly string[],
  ) {}
  private row(r: Rec, want?: Want): Rec {
    const only = want?.only;
    if (only && this.viewAdds) {
      const adds = this.viewAdds;
      let slim = true;
      for (const k of only) if (adds.includes(k)) slim = false;
      if (slim) {
        const o: Rec = {};
        for (const k of only) if (k in r) o[k] = clone(r[k]);
        return o;
      }
    }
    return this.view(r, want);
  }
  size(): number {
    return this.table.size;
  }
  orderValues(path: string): OrderValues | undefined {
    if (!this.stamps.includes(path)) return undefined;
    const keys = [...this.table.ids()];
    const values = new Float64Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const v = this.table.get(keys[i]!)![path];
      if (v === null || v === undefined) values[i] = Number.NEGATIVE_INFINITY;
      else if (typeof v === 'string' && v.length >= 10 && v[4] === '-') values[i] = toMs(v);
      else return undefined;
      if (Number.isNaN(values[i])) return undefined;
    }
    return { kind: 'date', keys, values };
  }
  get(id: number, want?: Want): Rec | undefined {
    const r = this.table.get(id);
    return r ? this.row(r, want) : undefined;
  }
  *scan(want?: Want): Iterable<Rec> {
    for (const id of [...this.table.ids()]) {
      const r = this.table.get(id);
      if (r) yield this.row(r, want);
    }
  }
  slice(offset: number, limit: number, want?: Want): Rec[] {
    return this.table
      .ids()
      .slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit))
      .map((id) => this.row(this.table.get(id)!, want));
  }
}

/** Dense 1-based ids over an append-only store: id i is element i - 1. `want` (see Want) lets a reader skip
 * building nested items it will not send. */
export class DenseCollection implements Collection {
  constructor(
    readonly resource: string,
    readonly key: string,
    private readonly count: () => number,
    private readonly at: (index: number, want?: Want) => Rec,
    private readonly columns: OrderColumns = {},
  ) {}
  size(): number {
    return this.count();
  }
  orderValues(path: string): OrderValues | undefined {
    const c = this.columns[path];
    if (!c) return undefined;
    const n = this.count();
    const keys = new Array<number>(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = i + 1;
      values[i] = c.at(i);
    }
    return { kind: c.kind, keys, values };
  }
  get(id: number, want?: Want): Rec | undefined {
    if (!Number.isInteger(id) || id < 1 || id > this.count()) return undefined;
    return this.at(id - 1, want);
  }
  *scan(want?: Want): Iterable<Rec> {
    const n = this.count();
    for (let i = 0; i < n; i++) yield this.at(i, want);
  }
  slice(offset: number, limit: number, want?: Want): Rec[] {
    const n = this.count();
    const out: Rec[] = [];
    for (let i = Math.max(0, offset); i < n && out.length < limit; i++) out.push(this.at(i, want));
    return out;
  }
}

/** A small computed list, rebuilt on each read. */
export class ListCollection implements Collection {
  constructor(
    readonly resource: string,
    readonly key: string,
    private readonly build: () => Rec[],
  ) {}
  size(): number {
    return this.build().length;
  }
  get(id: number): Rec | undefined {
    return this.build().find((r) => r[this.key] === id);
  }
  scan(): Iterable<Rec> {
    return this.build();
  }
  slice(offset: number, limit: number): Rec[] {
    return this.build().slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit));
  }
}
