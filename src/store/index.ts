// createStore(config): one Kysely data-access layer over SQLite (better-sqlite3) or PostgreSQL (pg Pool), plus
// versioned migrations discovered from ./migrations by file name.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Dialect } from './json.ts';
import { runMigrations } from './migrator.ts';
import type { Database } from './schema.ts';

export type { Dialect } from './json.ts';
export { dialectOf, fromBool, fromJson, jsonType, toBool, toJson } from './json.ts';
export { withLock } from './lock.ts';
export type { Database } from './schema.ts';

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Applies pending migrations; returns the names applied now. */
  migrate(): Promise<string[]>;
  /** true when the database answers a trivial query */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// pg returns int8/numeric as strings by default; counts come back as bigint, so parse int8 to number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function createStore(config: Pick<Config, 'database'>): Store {
  const dbConfig = config.database;
  let db: Kysely<Database>;
  if (dbConfig.dialect === 'postgres') {
    const pool = new pg.Pool({
      connectionString: dbConfig.url,
      // shown in pg_stat_activity, so a DBA can tell Ledgerlink's connections apart (unless the URL names one)
      ...(/[?&]application_name=/.test(dbConfig.url) ? {} : { application_name: 'ledgerlink' }),
      max: 10,
      // Idle connections above `min` close after 10 s. Keeping a few open spares the next sync (minutes or hours
      // later) a new connection per query it runs in parallel: authentication, a new server process and cold
      // catalog caches cost both sides CPU (about 26 connections per incremental sync of 3 workers otherwise).
      min: dbConfig.poolMin ?? 0,
      ...(dbConfig.schema ? { options: `-c search_path=${dbConfig.schema}` } : {}),
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    mkdirSync(dirname(dbConfig.file), { recursive: true });
    const sqlite = new SQLite(dbConfig.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('synchronous = NORMAL');
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const schema = dbConfig.dialect === 'postgres' ? dbConfig.schema : undefined;
  return {
    db,
    dialect: dbConfig.dialect,
    async migrate() {
      if (dbConfig.dialect === 'sqlite') return runMigrations(db);
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      const current = await sql<{ s: string }>`select current_schema() as s`.execute(db);
      return runMigrations(db, { schema: current.rows[0]?.s ?? 'public' });
    },
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}
