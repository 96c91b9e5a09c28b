// Sage 200 simulator books: deterministic generated accounts data plus a posting engine (docs/simulator-books.md).
import { SimBook } from './book.ts';
import { dayOf } from './dates.ts';
import { generateLedger } from './gen-ledger.ts';
import { generateMasters } from './gen-masters.ts';
import { generateOrders } from './gen-orders.ts';
import { Rng } from './rng.ts';
import { BookState } from './state.ts';
import type { Book, BookOptions } from './types.ts';

export { SageError } from './errors.ts';
export type { Book, BookChecks, BookOptions, Collection } from './types.ts';

export function createBook(options: BookOptions): Book {
  const { company, seed, scale, asOf } = options;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`scale must be a positive number, got ${scale}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(`asOf must be YYYY-MM-DD, got ${asOf}`);
  const state = new BookState(company, dayOf(asOf));
  // one stream per concern, each seeded from (seed, company), so adding a feature does not reshuffle the others
  const base = (seed >>> 0) ^ Math.imul(company.companyId, 0x9e3779b1);
  const masters = generateMasters(state, new Rng(base ^ 0x1111), scale);
  generateLedger(state, new Rng(base ^ 0x2222), scale, masters);
  generateOrders(state, new Rng(base ^ 0x3333), scale, masters);
  return new SimBook(state);
}
