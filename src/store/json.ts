// Small helpers that keep row values portable between SQLite (text/integer) and PostgreSQL (jsonb/boolean).
import { type Kysely, SqliteAdapter } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Which dialect a Kysely instance (or transaction) talks to. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

/** Column type for JSON documents in migrations: jsonb on PostgreSQL, text on SQLite. */
export function jsonType(db: Kysely<any>): 'jsonb' | 'text' {
  return dialectOf(db) === 'postgres' ? 'jsonb' : 'text';
}

/** Serialises a value for a JSON column (pg accepts the text form for jsonb too). */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Reads a JSON column: SQLite returns text, pg returns already-parsed jsonb. */
export function fromJson<T = unknown>(value: unknown, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }
  return value as T;
}

export const toBool = (v: unknown): boolean => v === 1 || v === true || v === '1';
export const fromBool = (v: boolean): number => (v ? 1 : 0);
