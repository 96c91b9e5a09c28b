// Exact decimal money: Sage values are decimals with 2 dp (rates 6 dp); we compute with decimal.js and emit numbers.
import { Decimal } from 'decimal.js';

export { Decimal };

export function dec(v: unknown): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return new Decimal(v);
  return new Decimal(0);
}

/** Rounds half away from zero to `dp` places (Sage's money precision is 2) and returns a plain number. */
export function round(v: Decimal.Value, dp = 2): number {
  const r = new Decimal(v).toDecimalPlaces(dp, Decimal.ROUND_HALF_UP).toNumber();
  return Object.is(r, -0) ? 0 : r;
}

export function sum(values: Iterable<Decimal.Value>): Decimal {
  let s = new Decimal(0);
  for (const v of values) s = s.plus(v);
  return s;
}

export function abs(v: unknown): Decimal {
  return dec(v).abs();
}
