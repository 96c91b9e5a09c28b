// Crash safety: a real `ledgerlink worker` process is SIGKILLed at several points of a sync; each restart resumes
// from the last checkpoint (committed pages are never fetched again) and the dataset ends Complete with exactly the
// simulator's records.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createConnectionResolver } from '../../src/sync/connection-context.ts';
import { toStagedRow } from '../../src/sync/records-store.ts';
import { type SyncHarness, startSyncHarness, waitForDataset } from './sage-harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PAGE = 10;
let h: SyncHarness;
const children = new Set<ChildProcess>();

function startWorker(): ChildProcess {
  const db = h.server.config.database;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LOG_LEVEL: 'warn',
    DATA_DIR: h.server.store.dir,
    LEDGERLINK_MASTER_KEY: h.server.config.masterKey.current!,
    PUBLIC_URL: h.server.url,
    SAGE_AUTH_BASE_URL: h.sim.url,
    SAGE_API_BASE_URL: `${h.sim.url}/uk/sage200/accounts/v1/`,
    DATABASE_URL: db.dialect === 'sqlite' ? `sqlite:${db.file}` : db.url,
  };
  const args = [
    'worker',
    '--page-size',
    String(PAGE),
    '--poll-ms',
    '100',
    '--stale-after-ms',
    '1500',
    '--heartbeat-ms',
    '200',
    ...(db.dialect === 'postgres' && db.schema ? ['--db-schema', db.schema] : []),
  ];
  // run as `npx ledgerlink worker` runs it (the shebang's node options; env execs node, so this pid is the worker)
  const child = spawn(join(ROOT, 'bin', 'ledgerlink.mjs'), args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d) => process.stderr.write(`[worker] ${d}`));
  children.add(child);
  child.on('exit', (code, sig) => {
    children.delete(child);
    if (process.env.DEBUG_CRASH) console.log('DBG worker exit', code, sig);
  });
  return child;
}

async function kill9(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (process.env.DEBUG_CRASH)
      console.log(
        JSON.stringify(
          await h.server.store.db
            .selectFrom('datasets')
            .select(['status', 'pages', 'attempts', 'worker_id', 'heartbeat_at', 'cursor'])
            .execute(),
        ),
      );
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  h = await startSyncHarness({ startEngine: false, scale: 1 });
  // Slow Sage down a little so the kills land mid-sync.
  await fetch(`${h.sim.url}/_sim/switches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ companyId: 1, faults: { latencyMs: 40 } }),
  });
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await h?.close();
});

describe('crash safety', () => {
  it('SIGKILL mid-fetch twice: resumes from checkpoints, fetches each committed page once, ends with the source records', async () => {
    const l = await h.link(1);
    const res = await h.server.fetch(`/companies/${l.companyId}/data/queue/customers`, { method: 'POST' });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const row = () =>
      h.server.store.db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    let w = startWorker();
    const firstKill = await until(async () => {
      const r = await row();
      return r.pages >= 2 && r;
    });
    await kill9(w);
    const afterFirst = await row();
    expect(afterFirst.status).toBe('Fetching'); // nobody has noticed yet
    expect(afterFirst.cursor).not.toBeNull();

    w = startWorker();
    await until(async () => {
      const r = await row();
      return r.attempts === 2 && r.pages >= afterFirst.pages + 3 && r;
    });
    await kill9(w);
    const afterSecond = await row();

    w = startWorker();
    const done = await waitForDataset(h.server, l.companyId, id, 90_000);
    if (process.env.DEBUG_CRASH) console.log('DBG done', done);
    expect(done.status).toBe('Complete');
    const final = await row();
    expect(final.attempts).toBe(3);
    expect(afterSecond.pages).toBeGreaterThan(firstKill.pages);

    // The source, read once more directly through the connector.
    const resolve = createConnectionResolver({
      db: h.server.store.db,
      keyring: h.server.keyring,
      config: h.server.config,
      logger: createLogger({ level: 'silent' }),
    });
    const { connector, ctx } = await resolve(l.connectionId);
    if (process.env.DEBUG_CRASH) console.log('DBG resolved');
    const source = new Map<string, string>();
    let sourcePages = 0;
    for await (const p of connector.read(ctx, 'customers', { pageSize: PAGE })) {
      sourcePages++;
      for (const r of p.records) source.set(r.id, toStagedRow(r).content_hash);
    }
    if (process.env.DEBUG_CRASH) console.log('DBG read', sourcePages);
    // Pages are counted only when committed; a restart from scratch would have counted more than the source has.
    expect(final.pages).toBe(sourcePages);
    expect(final.records_fetched).toBe(source.size);

    const stored = await h.server.store.db
      .selectFrom('records')
      .select(['record_id', 'content_hash', 'is_deleted'])
      .where('company_id', '=', l.companyId)
      .where('data_type', '=', 'customers')
      .execute();
    expect(stored.length).toBe(source.size);
    for (const s of stored) {
      expect(s.is_deleted).toBe(0);
      expect(source.get(s.record_id)).toBe(s.content_hash);
    }
    expect(w.exitCode).toBeNull(); // an idle worker stays up
    await kill9(w);
  }, 240_000);

  it('graceful SIGTERM checkpoints and hands the dataset back at once', async () => {
    const l = await h.link(1);
    const res = await h.server.fetch(`/companies/${l.companyId}/data/queue/customers`, { method: 'POST' });
    const { id } = (await res.json()) as { id: string };
    const row = () =>
      h.server.store.db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const w = startWorker();
    await until(async () => (await row()).pages >= 2);
    const exited = new Promise<number | null>((r) => w.once('exit', (code) => r(code)));
    w.kill('SIGTERM');
    expect(await exited).toBe(0);
    const r = await row();
    expect(r.status).toBe('Queued');
    expect(r.cursor).not.toBeNull();
    expect(r.status_description).toMatch(/checkpoint/);
    const w2 = startWorker();
    expect((await waitForDataset(h.server, l.companyId, id, 90_000)).status).toBe('Complete');
    await kill9(w2);
  }, 180_000);
});
