// PostgreSQL with three `ledgerlink worker` processes sharing the pg-boss queue: every dataset runs exactly once
// (each page fetched once), the work is spread over the workers, and each connection's expired access token is
// refreshed exactly once although several workers need it at the same moment. Runs when DATABASE_URL is PostgreSQL.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/index.ts';
import { type SyncHarness, startSyncHarness, waitForDataset } from './sage-harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PAGE = 25;
const pgUrl = testDatabaseUrl();
let h: SyncHarness;
const children = new Set<ChildProcess>();

function startWorker(pollMs = 500): ChildProcess {
  const db = h.server.config.database;
  if (db.dialect !== 'postgres') throw new Error('PostgreSQL only');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOG_LEVEL: 'warn',
    DATA_DIR: h.server.store.dir,
    LEDGERLINK_MASTER_KEY: h.server.config.masterKey.current!,
    PUBLIC_URL: h.server.url,
    SAGE_AUTH_BASE_URL: h.sim.url,
    SAGE_API_BASE_URL: `${h.sim.url}/uk/sage200/accounts/v1/`,
    DATABASE_URL: db.url,
  };
  // as `npx ledgerlink worker` starts it: through the shebang, with its node options
  const child = spawn(
    join(ROOT, 'bin', 'ledgerlink.mjs'),
    [
      'worker',
      '--page-size',
      String(PAGE),
      '--poll-ms',
      String(pollMs),
      '--concurrency',
      '2',
      '--db-schema',
      db.schema!,
    ],
    { env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr?.on('data', (d) => process.stderr.write(`[worker ${child.pid}] ${d}`));
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

describe.skipIf(!pgUrl)('PostgreSQL: three worker processes', () => {
  beforeAll(async () => {
    h = await startSyncHarness({ startEngine: false, engine: { role: 'producer' } });
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    const schema = h?.server.config.database.dialect === 'postgres' ? h.server.config.database.schema : undefined;
    await h?.close();
    if (schema && pgUrl) {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`drop schema if exists "${schema}_boss" cascade`);
      await client.end();
    }
  });

  it('shares the datasets, runs each once, refreshes each token once', async () => {
    const links = [await h.link(1), await h.link(2), await h.link(1)];
    const db = h.server.store.db;
    // Expire every access token: the first Sage call of each connection needs a refresh.
    await db.updateTable('connection_tokens').set({ access_token_expires_at: '2020-01-01T00:00:00.000Z' }).execute();
    const versions = new Map(
      (await db.selectFrom('connection_tokens').select(['connection_id', 'version']).execute()).map((r) => [
        r.connection_id,
        Number(r.version),
      ]),
    );

    const ids: { companyId: string; id: string }[] = [];
    for (const l of links) {
      for (const t of ['customers', 'suppliers', 'taxRates', 'chartOfAccounts']) {
        const r = await h.server.fetch(`/companies/${l.companyId}/data/queue/${t}`, { method: 'POST' });
        expect(r.status).toBe(200);
        ids.push({ companyId: l.companyId, id: ((await r.json()) as { id: string }).id });
      }
    }
    const workers = [startWorker(), startWorker(), startWorker()];
    for (const d of ids) expect((await waitForDataset(h.server, d.companyId, d.id, 120_000)).status).toBe('Complete');

    const rows = await db
      .selectFrom('datasets')
      .selectAll()
      .where(
        'id',
        'in',
        ids.map((d) => d.id),
      )
      .execute();
    for (const r of rows) {
      // claimed once, never taken over, and every committed page counted once
      expect(r.attempts).toBe(1);
      expect(r.pages).toBe(Math.max(1, Math.ceil(r.records_fetched / PAGE)));
    }
    expect(new Set(rows.map((r) => r.worker_id)).size).toBeGreaterThanOrEqual(2);

    const after = await db.selectFrom('connection_tokens').select(['connection_id', 'version']).execute();
    for (const t of after) expect(Number(t.version)).toBe(versions.get(t.connection_id)! + 1);
    const conns = await db.selectFrom('connections').select('status').execute();
    expect(conns.every((c) => c.status === 'Linked')).toBe(true);

    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
  }, 240_000);

  it('wakes an idle worker as soon as a sync is queued (NOTIFY), without waiting for its next poll', async () => {
    const l = await h.link(2);
    // polls every 10 minutes: only the notification can start the dataset within the wait below
    const worker = startWorker(600_000);
    await new Promise((r) => setTimeout(r, 3000)); // started, polled once, now idle
    const r = await h.server.fetch(`/companies/${l.companyId}/data/queue/taxRates`, { method: 'POST' });
    expect(r.status).toBe(200);
    const { id } = (await r.json()) as { id: string };
    expect((await waitForDataset(h.server, l.companyId, id, 60_000)).status).toBe('Complete');
    worker.kill('SIGTERM');
    await new Promise((res) => (worker.exitCode !== null ? res(null) : worker.once('exit', res)));
  }, 120_000);
});
