// createTestStore(): a fresh, migrated database per call. SQLite: a temp file. With DATABASE_URL=postgres://...:
// a fresh schema in that database (search_path), dropped on close. Same code under test either way.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config.ts';
import { createStore, type Store } from '../../src/store/index.ts';

export interface TestStore extends Store {
  /** the database settings of this store, to build a Config or a second store on the same data */
  database: Config['database'];
  /** temp directory of this store (SQLite file, key files); removed on close */
  dir: string;
}

export function testDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//.test(url) ? url : undefined;
}

export async function createTestStore(options: { migrate?: boolean } = {}): Promise<TestStore> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerlink-test-'));
  const pgUrl = testDatabaseUrl();
  const schema = pgUrl ? `test_${randomBytes(6).toString('hex')}` : undefined;
  const database: Config['database'] = pgUrl
    ? { dialect: 'postgres', url: pgUrl, schema }
    : { dialect: 'sqlite', file: join(dir, 'ledgerlink.db') };
  const store = createStore({ database });
  let closed = false;
  const result: TestStore = {
    ...store,
    database,
    dir,
    async close() {
      if (closed) return;
      closed = true;
      await store.close();
      if (pgUrl && schema) {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        try {
          await client.query(`drop schema if exists "${schema}" cascade`);
        } finally {
          await client.end();
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (err) {
      // a failed migration must not leave a schema or temp dir behind
      await result.close().catch(() => {});
      throw err;
    }
  }
  return result;
}
