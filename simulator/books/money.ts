import { Decimal } from 'decimal.js';
import { SageError } from './errors.ts';

// Money is held as integer pennies (exact in a double up to 2^53) and converted at the edges with decimal.js.

/** Parse a request amount (number or numeric string) into pennies; refuses more than 2 decimal places. */
export function toPennies(value: unknown, field: string): number {
  if (value === undefined || value === null || value === '') return 0;
  if (typeof value !== 'number' && typeof value !== 'string') throw new SageError(400, `${field} must be a number.`);
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw new SageError(400, `${field} must be a number.`);
  }
  if (!d.isFinite()) throw new SageError(400, `${field} must be a number.`);
  const p = d.times(100);
  if (!p.isInteger()) throw new SageError(400, `${field} must have at most 2 decimal places.`);
  return p.toNumber();
}

/** pennies -> JSON number with 2dp semantics */
export function money(pennies: number): number {
  return pennies / 100;
}

/** pennies -> exact "1234.56" string */
export function moneyString(pennies: number): string {
  return new Decimal(pennies).div(100).toFixed(2);
}

/** round half away from zero, as Sage rounds tax */
export function roundPennies(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** tax in pennies on goods in pennies at rate percent (e.g. 20, 13.5), exact decimal */
export function taxOn(goodsPennies: number, ratePercent: number): number {
  // integer arithmetic (rates have at most 2 decimals): exact and far cheaper than Decimal in the generator
  const x = Math.abs(goodsPennies) * Math.round(ratePercent * 100);
  if (!Number.isSafeInteger(x)) {
    return new Decimal(goodsPennies).times(ratePercent).div(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  }
  const q = Math.floor((x + 5000) / 10000);
  return goodsPennies < 0 ? -q : q;
}

/** document pennies -> base pennies at a Sage exchange rate (document units per base unit) */
export function toBase(docPennies: number, rate: number): number {
  if (rate === 1) return docPennies;
  return new Decimal(docPennies).div(rate).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}
