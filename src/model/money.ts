// Exact money amounts without Decimal: a standard-model amount is a number with at most 2 decimal places.

/** Below 1e15 pence (15 significant digits) a double holds the value exactly and prints it back unchanged, so
 * `new Decimal(v)` is exactly pence / 100. */
export const MAX_PENCE = 1e15;

/** Integer pence of a number with at most 2 decimal places, or undefined (too large, more places, -0, NaN). */
export function pence(v: number): number | undefined {
  const c = Math.round(v * 100);
  return c / 100 === v && c < MAX_PENCE && c > -MAX_PENCE && !Object.is(v, -0) ? c : undefined;
}
