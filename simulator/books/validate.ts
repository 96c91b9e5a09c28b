// Sage-style request validation helpers: each throws SageError(400) naming the first problem it finds.
import { parseRequestDay } from './dates.ts';
import { SageError } from './errors.ts';
import type { Rec, Table } from './table.ts';

export function bad(message: string): never {
  throw new SageError(400, message);
}

export function str(body: Rec, field: string, max: number, opts: { required?: boolean } = {}): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (opts.required) bad(`The ${field} field is required.`);
    return undefined;
  }
  if (typeof v !== 'string') bad(`The ${field} field must be a string.`);
  if (opts.required && v.trim() === '') bad(`The ${field} field is required.`);
  if (v.length > max) bad(`The field ${field} must be a string with a maximum length of ${max}.`);
  return v;
}

export function int(body: Rec, field: string, opts: { required?: boolean } = {}): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (opts.required) bad(`The ${field} field is required.`);
    return undefined;
  }
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) bad(`The ${field} field must be an integer.`);
  return n;
}

export function num(body: Rec, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) bad(`The ${field} field must be a number.`);
  return n;
}

export function bool(body: Rec, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') bad(`The ${field} field must be true or false.`);
  return v;
}

export function day(body: Rec, field: string): number | undefined {
  const d = parseRequestDay(body[field]);
  if (d !== undefined && Number.isNaN(d)) bad(`The ${field} field must be a date-time, e.g. 2024-10-01T00:00:00Z.`);
  return d;
}

/** a foreign id that must exist in `table` */
export function ref(
  body: Rec,
  field: string,
  table: Table,
  what: string,
  opts: { required?: boolean } = {},
): number | undefined {
  const id = int(body, field, opts);
  if (id === undefined || (id === 0 && !opts.required)) return undefined;
  if (!table.get(id)) bad(`${what} with ${field} ${id} was not found.`);
  return id;
}

export function arr(body: Rec, field: string, opts: { required?: boolean } = {}): Rec[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) {
    if (opts.required) bad(`The ${field} field is required.`);
    return undefined;
  }
  if (!Array.isArray(v) || v.some((x) => x === null || typeof x !== 'object' || Array.isArray(x)))
    bad(`The ${field} field must be an array of objects.`);
  return v as Rec[];
}

export function obj(body: Rec, field: string): Rec | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) bad(`The ${field} field must be an object.`);
  return v as Rec;
}
