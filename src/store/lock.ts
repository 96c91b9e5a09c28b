// A lock that holds across processes on both dialects, for work that must happen once at a time (token refresh).
// PostgreSQL: a transaction-scoped advisory lock keyed by the name. SQLite: a `BEGIN IMMEDIATE` transaction, which
// takes the database write lock (other writers wait up to busy_timeout). `fn` runs inside that transaction with the
// given `trx`; its writes commit atomically with the lock release. Keep `fn` short: on SQLite it holds the writer.
import { type Kysely, sql, type Transaction } from 'kysely';
import { dialectOf } from './json.ts';
import type { Database } from './schema.ts';

export async function withLock<T>(
  db: Kysely<Database>,
  name: string,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (dialectOf(db) === 'postgres') {
    return db.transaction().execute(async (trx: Transaction<Database>) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(trx);
      return fn(trx);
    });
  }
  // better-sqlite3 waits for a busy lock synchronously, so two handles in one process would deadlock on
  // BEGIN IMMEDIATE: serialise holders of the same name within the process first, then take the file lock.
  return inProcess(name, () =>
    // better-sqlite3 has one connection per Kysely instance; connection() keeps it for us until we are done.
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw err;
      }
    }),
  );
}

const tails = new Map<string, Promise<unknown>>();

/** A per-name async mutex within this process. */
async function inProcess<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(name) ?? Promise.resolve();
  const run = previous.catch(() => {}).then(fn);
  const tail = run.catch(() => {});
  tails.set(name, tail);
  try {
    return await run;
  } finally {
    if (tails.get(name) === tail) tails.delete(name);
  }
}
