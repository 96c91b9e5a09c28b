// Currency codes and Codat's currencyRate (base amount = document amount x rate).
import { Decimal } from 'decimal.js';

const inverses = new Map<number, number>();

/** Sage's `exchange_rate` is document units per ONE base unit (1.16 EUR per GBP), so Codat's rate is its inverse.
 * Codat allows up to 9 dp. A missing or zero rate means "same as base" (1). */
export function currencyRate(sageExchangeRate: unknown): number {
  const r = typeof sageExchangeRate === 'number' ? sageExchangeRate : Number(sageExchangeRate);
  if (!Number.isFinite(r) || r <= 0) return 1;
  if (r === 1) return 1;
  // a ledger uses a handful of rates: each is divided once (pure, bounded)
  let inverse = inverses.get(r);
  if (inverse === undefined) {
    inverse = new Decimal(1).div(r).toDecimalPlaces(9, Decimal.ROUND_HALF_UP).toNumber();
    if (inverses.size >= 10_000) inverses.clear();
    inverses.set(r, inverse);
  }
  return inverse;
}

/** ISO 4217 code or `XXX` when unknown/invalid (Codat's convention). */
export function isoOrXXX(code: unknown): string {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code.trim().toUpperCase()) ? code.trim().toUpperCase() : 'XXX';
}
