import { SageError } from './errors.ts';
import type { BookState } from './state.ts';
import type { Rec } from './table.ts';

export const LEDGER_POSTINGS = new Set<string>();

export function postLedger(_s: BookState, resource: string, _body: Rec, _now: Date): Rec {
  throw new SageError(404, `${resource}: not implemented yet`);
}
