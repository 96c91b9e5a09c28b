// The platform side of ConnectionContext.snapshots: a connector's lookup snapshots, one row per connection and
// piece, in the platform database (SQLite or PostgreSQL), so every worker process and every restart shares them.
// A cache, never the source of truth: a missing, old or unreadable snapshot only means the connector reads the
// source, and failures are logged (without the payload) rather than failing a sync.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { SnapshotStore } from '../connectors/connector.ts';
import { dialectOf } from '../store/json.ts';
import type { Db } from './tables.ts';

/** How long `exclusive` waits for another process's section on the same piece before running anyway. */
const EXCLUSIVE_WAIT_MS = 30_000;
const RETRY_MS = 20;
const NOT_HELD = Symbol('not held');
/**
 * PostgreSQL sends bytea as hex text, which the driver reads as one string per value: a snapshot of a few MB would
 * be a string of twice that, which V8 allocates in its large-object space (slow on these machines). Read in parts of
 * this many bytes instead (a 64 KiB string each), and joined.
 */
const PART = 32 * 1024;

async function loadInParts(db: Db, connectionId: string, piece: string, newerThan: string | undefined) {
  const { rows } = await sql<{ stamp: string | null; saved_at: string; part: Buffer }>`
    select s.stamp, s.saved_at, substring(s.payload from g.i for ${PART}) as part
    from lookup_snapshots s cross join lateral generate_series(1, greatest(length(s.payload), 1), ${PART}) as g(i)
    where s.connection_id = ${connectionId} and s.piece = ${piece}
      ${newerThan !== undefined ? sql`and s.stamp > ${newerThan}` : sql``}
    order by g.i`.execute(db);
  if (rows.length === 0) return undefined;
  return { stamp: rows[0]!.stamp, saved_at: rows[0]!.saved_at, payload: Buffer.concat(rows.map((r) => r.part)) };
}

export interface SnapshotStoreOptions {
  /** snapshots saved longer ago than this are ignored (config LOOKUP_SNAPSHOT_MAX_AGE_HOURS); 0 = no store */
  maxAgeMs: number;
  logger: Logger;
  clock?: () => Date;
}

export function createSnapshotStore(db: Db, connectionId: string, o: SnapshotStoreOptions): SnapshotStore | undefined {
  if (o.maxAgeMs <= 0) return undefined;
  const clock = o.clock ?? (() => new Date());
  const postgres = dialectOf(db) === 'postgres';
  const loadWhole = async (piece: string, newerThan: string | undefined) => {
    let q = db
      .selectFrom('lookup_snapshots')
      .select(['stamp', 'payload', 'saved_at'])
      .where('connection_id', '=', connectionId)
      .where('piece', '=', piece);
    if (newerThan !== undefined) q = q.where('stamp', '>', newerThan);
    return q.executeTakeFirst();
  };
  return {
    async load(piece, newerThan) {
      try {
        const row = postgres
          ? await loadInParts(db, connectionId, piece, newerThan)
          : await loadWhole(piece, newerThan);
        if (!row) return undefined;
        const savedAt = Date.parse(row.saved_at);
        if (clock().getTime() - savedAt > o.maxAgeMs) return undefined;
        return { stamp: row.stamp, payload: row.payload, savedAt };
      } catch (err) {
        o.logger.warn({ err, piece }, 'lookup snapshot could not be read; reading the source instead');
        return undefined;
      }
    },
    async save(piece, stamp, payload) {
      const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      const savedAt = clock().toISOString();
      try {
        await db
          .insertInto('lookup_snapshots')
          .values({ connection_id: connectionId, piece, stamp, payload: bytes, saved_at: savedAt })
          // Two workers may save the same piece: an older stamp never replaces a newer one.
          .onConflict((oc) =>
            oc
              .columns(['connection_id', 'piece'])
              .doUpdateSet((eb) => ({
                stamp: eb.ref('excluded.stamp'),
                payload: eb.ref('excluded.payload'),
                saved_at: eb.ref('excluded.saved_at'),
              }))
              .where((eb) =>
                eb.or([
                  eb('lookup_snapshots.stamp', 'is', null),
                  eb('excluded.stamp', 'is', null),
                  eb('excluded.stamp', '>=', eb.ref('lookup_snapshots.stamp')),
                ]),
              ),
          )
          .execute();
      } catch (err) {
        // e.g. the connection was deleted meanwhile (foreign key): nothing to keep
        o.logger.warn({ err, piece }, 'lookup snapshot could not be saved');
      }
    },
    // PostgreSQL: a session advisory lock per connection and piece, tried (never waited on inside the database), so
    // only the holder keeps a pooled connection, for as long as `fn` runs. SQLite: one process, nothing to share
    // with (the connector's cache already runs one refresh per piece at a time).
    async exclusive<R>(piece: string, fn: () => Promise<R>, waitMs = EXCLUSIVE_WAIT_MS): Promise<R> {
      if (!postgres) return fn();
      const key = `lookup:${connectionId}|${piece}`;
      const deadline = Date.now() + waitMs;
      for (;;) {
        let ran = false;
        let outcome: { value: R } | typeof NOT_HELD;
        try {
          outcome = await db.connection().execute(async (conn) => {
            const got = await sql<{ ok: boolean }>`
              select pg_try_advisory_lock(hashtextextended(${key}, 0)) as ok`.execute(conn);
            if (!got.rows[0]?.ok) return NOT_HELD;
            try {
              ran = true;
              return { value: await fn() };
            } finally {
              await sql`select pg_advisory_unlock(hashtextextended(${key}, 0))`.execute(conn).catch(() => {});
            }
          });
        } catch (err) {
          if (ran) throw err;
          o.logger.warn({ err, piece }, 'lookup lock could not be taken; reading the source without it');
          return fn();
        }
        if (outcome !== NOT_HELD) return outcome.value;
        if (Date.now() >= deadline) return fn();
        await sleep(RETRY_MS);
      }
    },
  };
}
