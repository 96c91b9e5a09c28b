// Exact decimal money: Sage values are decimals with 2 dp (rates 6 dp); we compute with decimal.js and emit numbers.
// Hot mappers use `Amount`: integer pence when a value is an exact 2-dp number (Sage money always is), else a
// Decimal. Integer arithmetic on pence is exact and allocates nothing; anything else falls back to decimal.js.
import { Decimal } from 'decimal.js';
import { MAX_PENCE, pence } from '../../../model/money.ts';

export { Decimal, pence };

export function dec(v: unknown): Decimal {
  if (v instanceof Decimal) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return new Decimal(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return new Decimal(v);
  return new Decimal(0);
}

/** Rounds half away from zero to `dp` places (Sage's money precision is 2) and returns a plain number. */
export function round(v: Decimal.Value, dp = 2): number {
  // an exact 2-dp number is already rounded (the Decimal round trip would give the same double back)
  if (typeof v === 'number' && dp >= 2 && pence(v) !== undefined) return v === 0 ? 0 : v;
  const r = (v instanceof Decimal ? v : new Decimal(v)).toDecimalPlaces(dp, Decimal.ROUND_HALF_UP).toNumber();
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

/** A money amount: integer pence (number) or, for values that are not exact 2-dp numbers, a Decimal. */
export type Amount = number | Decimal;

/** Same value as `dec(v)`: absent and non-numeric values are 0. */
export function amount(v: unknown): Amount {
  if (typeof v === 'number') {
    const c = pence(v);
    if (c !== undefined) return c;
  } else if (v == null) return 0;
  return dec(v);
}

export const amountToDecimal = (a: Amount): Decimal => (typeof a === 'number' ? new Decimal(a).div(100) : a);

export const amountIsZero = (a: Amount): boolean => (typeof a === 'number' ? a === 0 : a.isZero());
/** Decimal's isNegative (true for a Decimal -0; pence never hold a -0 read from Sage). */
export const amountIsNegative = (a: Amount): boolean => (typeof a === 'number' ? a < 0 : a.isNegative());
export const amountAbs = (a: Amount): Amount => (typeof a === 'number' ? Math.abs(a) : a.abs());
export const amountTimesSign = (a: Amount, sign: number): Amount => (typeof a === 'number' ? a * sign : a.times(sign));

export function amountPlus(a: Amount, b: Amount): Amount {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return amountToDecimal(a).plus(amountToDecimal(b));
}

export function amountMinus(a: Amount, b: Amount): Amount {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return amountToDecimal(a).minus(amountToDecimal(b));
}

/** -1, 0 or 1 like Decimal.cmp (zeros of either sign are equal). */
export function amountCmp(a: Amount, b: Amount): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  return amountToDecimal(a).cmp(amountToDecimal(b));
}

/** `round(amount)`: the 2-dp number, half away from zero, never -0. */
export function roundAmount(a: Amount): number {
  // a double division is correctly rounded, as is parsing the Decimal's digits: both give the nearest double
  if (typeof a === 'number') return a === 0 ? 0 : a / 100;
  return round(a);
}

/** `round(net / qty, 5)` for a net amount and a quantity (both >= 0, quantity not zero). */
export function unitPrice(net: Amount, qty: Amount): number {
  if (typeof net === 'number' && typeof qty === 'number') {
    // pence / (quantity x 100) = the unit price; x 1e5 for 5 places, then half-up on the integer remainder. Decimal's
    // 20-digit division cannot cross a half at this size, so both round the same way.
    const n = net * 1e5;
    if (Number.isSafeInteger(n) && net >= 0 && qty > 0) {
      const r = n % qty;
      const q = (n - r) / qty + (2 * r >= qty ? 1 : 0);
      return q / 1e5;
    }
  }
  return round(amountToDecimal(net).div(amountToDecimal(qty)), 5);
}

/** Whether `net x rate% ` is within 0.01 of `tax` (a tax code reproducing a line's tax). */
export function reproducesTax(net: Amount, tax: Amount, rate: number): boolean {
  if (typeof net === 'number' && typeof tax === 'number') {
    // rates with at most 4 places, in 1e-4 units: |net x rate / 100 - tax| <= 0.01  <=>  |N x R4 - T x 1e6| <= 1e6
    const r4 = Math.round(rate * 1e4);
    if (r4 / 1e4 === rate && Math.abs(r4) < MAX_PENCE) {
      const d = net * r4 - tax * 1e6;
      if (Number.isSafeInteger(net * r4) && Number.isSafeInteger(tax * 1e6) && Number.isSafeInteger(d))
        return Math.abs(d) <= 1e6;
    }
  }
  return amountToDecimal(net).times(rate).div(100).minus(amountToDecimal(tax)).abs().lte(0.01);
}
