// Exact decimal money for writes: Sage takes 2dp values; sums and comparisons never use float accumulation.
import { Decimal } from 'decimal.js';

export type Money = Decimal;
export const ZERO = new Decimal(0);
/** One penny: amounts that differ by less than this reconcile (rounding of per-line tax). */
export const TOLERANCE = new Decimal('0.01');

export function dec(v: unknown): Decimal {
  if (v instanceof Decimal) return v;
  if (v === null || v === undefined || v === '') return ZERO;
  return new Decimal(v as Decimal.Value);
}

export function sum(values: Decimal[]): Decimal {
  return values.reduce((a, b) => a.plus(b), ZERO);
}

/** A JSON number rounded half-up to 2dp, for Sage's decimal(2dp) fields. */
export function num2(v: Decimal): number {
  return v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toNumber();
}

export function close(a: Decimal, b: Decimal, tolerance = TOLERANCE): boolean {
  return a.minus(b).abs().lte(tolerance);
}

export function fmt(v: Decimal): string {
  return v.toFixed(2);
}
