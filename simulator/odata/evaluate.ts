// Evaluates a parsed $filter against one row. Comparison follows SQL Server's defaults, which Sage sits on: strings
// compare case-insensitively, null only equals null, dates compare as instants (zone-less stamps are UTC), and an enum
// field matches either its name ('TradingAccountEntryTypeInvoice') or its numeric lookup id ('1').
import type { Node } from './parser.ts';

export type Row = Record<string, unknown>;
/** enum name -> numeric id, from the books' lookup collections */
export type EnumIds = (name: string) => number | undefined;

type Scalar = string | number | boolean | null | { ms: number };

export function getPath(row: Row, path: string[]): unknown {
  let v: unknown = row;
  for (const p of path) {
    if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Row)[p];
  }
  return v;
}

export const toMs = (s: string): number => {
  const hasZone = /(?:Z|[+-]\d{2}:\d{2})$/.test(s);
  return Date.parse(hasZone ? s : s.length === 10 ? `${s}T00:00:00Z` : `${s}Z`);
};

function value(n: Node, row: Row): Scalar {
  switch (n.k) {
    case 'field': {
      const v = getPath(row, n.path);
      if (v === undefined || v === null) return null;
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      return null;
    }
    case 'str':
      return n.v;
    case 'num':
      return n.v;
    case 'date':
      return { ms: n.ms };
    case 'bool':
      return n.v;
    case 'null':
      return null;
    default:
      return evaluate(n, row, () => undefined);
  }
}

/** -1/0/1, or undefined when the two values cannot be compared (then only `ne` is true). */
function compare(a: Scalar, b: Scalar, enumIds: EnumIds): number | undefined {
  if (a === null || b === null) return a === b ? 0 : undefined;
  if (typeof a === 'object' || typeof b === 'object') {
    const am = typeof a === 'object' ? a.ms : typeof a === 'string' ? toMs(a) : Number.NaN;
    const bm = typeof b === 'object' ? b.ms : typeof b === 'string' ? toMs(b) : Number.NaN;
    if (Number.isNaN(am) || Number.isNaN(bm)) return undefined;
    return Math.sign(am - bm);
  }
  if (typeof a === 'number' || typeof b === 'number') {
    // a quoted number against a numeric field (Sage quotes enum ids: document_status eq '2'), or an enum name
    const an = typeof a === 'number' ? a : typeof a === 'string' ? numeric(a, enumIds) : Number.NaN;
    const bn = typeof b === 'number' ? b : typeof b === 'string' ? numeric(b, enumIds) : Number.NaN;
    if (Number.isNaN(an) || Number.isNaN(bn)) return undefined;
    return Math.sign(an - bn);
  }
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    return a === b ? 0 : typeof a === typeof b ? (a ? 1 : -1) : undefined;
  }
  // both strings: an enum name against a numeric id
  if (/^\d+$/.test(b) && !/^\d+$/.test(a)) {
    const id = enumIds(a);
    if (id !== undefined) return Math.sign(id - Number(b));
  } else if (/^\d+$/.test(a) && !/^\d+$/.test(b)) {
    const id = enumIds(b);
    if (id !== undefined) return Math.sign(Number(a) - id);
  }
  const al = a.toLowerCase();
  const bl = b.toLowerCase();
  return al < bl ? -1 : al > bl ? 1 : 0;
}

function numeric(s: string, enumIds: EnumIds): number {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return enumIds(s) ?? Number.NaN;
}

export function evaluate(n: Node, row: Row, enumIds: EnumIds): boolean {
  switch (n.k) {
    case 'or':
      return evaluate(n.a, row, enumIds) || evaluate(n.b, row, enumIds);
    case 'and':
      return evaluate(n.a, row, enumIds) && evaluate(n.b, row, enumIds);
    case 'not':
      return !evaluate(n.a, row, enumIds);
    case 'cmp': {
      const a =
        n.a.k === 'cmp' || n.a.k === 'fn' || n.a.k === 'and' || n.a.k === 'or' || n.a.k === 'not'
          ? evaluate(n.a, row, enumIds)
          : value(n.a, row);
      const b =
        n.b.k === 'cmp' || n.b.k === 'fn' || n.b.k === 'and' || n.b.k === 'or' || n.b.k === 'not'
          ? evaluate(n.b, row, enumIds)
          : value(n.b, row);
      const c = compare(a, b, enumIds);
      if (c === undefined) return n.op === 'ne';
      switch (n.op) {
        case 'eq':
          return c === 0;
        case 'ne':
          return c !== 0;
        case 'gt':
          return c > 0;
        case 'ge':
          return c >= 0;
        case 'lt':
          return c < 0;
        case 'le':
          return c <= 0;
      }
      return false;
    }
    case 'fn': {
      const hay = value(n.args[0]!, row);
      const needle = value(n.args[1]!, row);
      if (typeof hay !== 'string' || typeof needle !== 'string') return false;
      const h = hay.toLowerCase();
      const s = needle.toLowerCase();
      return n.fn === 'contains' ? h.includes(s) : n.fn === 'startswith' ? h.startsWith(s) : h.endsWith(s);
    }
    case 'field':
      return getPath(row, n.path) === true;
    case 'bool':
      return n.v;
    default:
      return false;
  }
}
