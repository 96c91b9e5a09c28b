import { SageError } from './errors.ts';
import type { BookState } from './state.ts';
import type { Rec } from './table.ts';

export const MASTER_WRITES = new Set<string>();

export function createMaster(_s: BookState, resource: string, _body: Rec, _now: Date): Rec {
  throw new SageError(404, `${resource}: not implemented yet`);
}
export function updateMaster(_s: BookState, resource: string, _id: number, _body: Rec, _now: Date): void {
  throw new SageError(404, `${resource}: not implemented yet`);
}
export function removeMaster(_s: BookState, resource: string, _id: number, _now: Date): void {
  throw new SageError(404, `${resource}: not implemented yet`);
}
