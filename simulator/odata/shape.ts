// Response shaping: nested objects and arrays are omitted unless named in $expand (at every depth; `a/b` or `a.b`
// expands deeper, `*` expands everything), then $select keeps only the named paths, and audit stamps get the
// configured timestamp style.
import type { TimestampStyle } from '../switches.ts';
import type { Row } from './evaluate.ts';

export interface ExpandTree {
  all: boolean;
  children: Map<string, ExpandTree>;
}
export type SelectTree = Map<string, SelectTree | true>;

export const emptyExpand = (): ExpandTree => ({ all: false, children: new Map() });
const ALL: ExpandTree = { all: true, children: new Map() };

export function addExpandPath(tree: ExpandTree, path: string[]): void {
  let t = tree;
  for (const p of path) {
    if (p === '*') {
      t.all = true;
      return;
    }
    let next = t.children.get(p);
    if (!next) {
      next = emptyExpand();
      t.children.set(p, next);
    }
    t = next;
  }
}

export function buildSelect(paths: string[][]): SelectTree {
  const root: SelectTree = new Map();
  for (const path of paths) {
    let t = root;
    path.forEach((p, i) => {
      if (i === path.length - 1) {
        t.set(p, true);
        return;
      }
      let next = t.get(p);
      if (next === true) return;
      if (!next) {
        next = new Map();
        t.set(p, next);
      }
      t = next;
    });
  }
  return root;
}

function stamp(key: string, v: unknown, style: TimestampStyle): unknown {
  if (typeof v !== 'string' || v.length < 19 || v[10] !== 'T' || v[4] !== '-') return v;
  if (style === 'z') return !v.endsWith('Z') && key.startsWith('date_time_') ? `${v}Z` : v;
  return v.endsWith('Z') ? v.slice(0, -1) : v;
}

function shapeObject(o: Row, tree: ExpandTree, style: TimestampStyle): Row {
  const out: Row = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v !== null && typeof v === 'object') {
      const sub = tree.all ? ALL : tree.children.get(k);
      if (!sub) continue;
      out[k] = Array.isArray(v)
        ? v.map((e) => (e !== null && typeof e === 'object' ? shapeObject(e as Row, sub, style) : e))
        : shapeObject(v as Row, sub, style);
    } else {
      out[k] = stamp(k, v, style);
    }
  }
  return out;
}

function project(v: unknown, sel: SelectTree): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((e) => project(e, sel));
  const out: Row = {};
  for (const [k, s] of sel) {
    const child = (v as Row)[k];
    out[k] = s === true ? child : project(child, s);
  }
  return out;
}

export function shapeRow(row: Row, expand: ExpandTree, select: SelectTree | undefined, style: TimestampStyle): Row {
  const shaped = shapeObject(row, expand, style);
  return select ? (project(shaped, select) as Row) : shaped;
}

/** True when `row` is already what shapeRow(row, expand, undefined, 'z') would give (no unexpanded nested value,
 * no stamp to change, plain objects only), so it can be serialised as it is. Walks without allocating. */
export function alreadyShaped(o: Row, tree: ExpandTree): boolean {
  return Object.getPrototypeOf(o) === Object.prototype && shapedKeys(o, tree);
}

function shapedKeys(o: Row, tree: ExpandTree): boolean {
  for (const k in o) {
    const v = o[k];
    if (v !== null && typeof v === 'object') {
      const sub = tree.all ? ALL : tree.children.get(k);
      if (!sub) return false;
      if (Array.isArray(v)) {
        for (const e of v) {
          if (e !== null && typeof e === 'object' && !alreadyShaped(e as Row, sub)) return false;
        }
      } else if (!alreadyShaped(v as Row, sub)) return false;
    } else if (typeof v === 'string' && v.length >= 19 && stamp(k, v, 'z') !== v) return false;
  }
  return true;
}
