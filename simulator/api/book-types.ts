// The part of the books contract (simulator/books/index.ts) the HTTP layer relies on, stated structurally so the
// HTTP side can be built and exercised with any implementation of it.
import type { DemoCompany } from '../demo.ts';
import type { QueryableCollection } from '../odata/query.ts';

export interface BookLike {
  readonly company: DemoCompany;
  collection(resource: string): QueryableCollection | undefined;
  resources(): string[];
  create(resource: string, body: Record<string, unknown>, now: Date): Record<string, unknown>;
  update(resource: string, id: number, body: Record<string, unknown>, now: Date): Record<string, unknown>;
  remove(resource: string, id: number, now: Date): void;
  checks(): unknown;
}

export type CreateBook = (o: { company: DemoCompany; seed: number; scale: number; asOf: string }) => BookLike;

/** The books' SageError (status + message), recognised by shape so this layer does not depend on its module. */
export function isSageError(e: unknown): e is Error & { status: number } {
  return e instanceof Error && e.name === 'SageError' && typeof (e as { status?: unknown }).status === 'number';
}
