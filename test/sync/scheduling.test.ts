// Scheduling against the simulator: fetch on first link (and read.completed.initial), the scheduler queueing what is
// due per sync settings, keep-alive refreshing idle connections' tokens, the refresh-token expiry warning, and the
// `ledgerlink sync` command.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/platform/events.ts';
import { type SyncHarness, startSyncHarness, waitForDataset } from './sage-harness.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('scheduling', () => {
  it('first link queues every fetchOnFirstLink type, then read.completed.initial is recorded once', async () => {
    const l = await h.link(1);
    // Only three types on first link for this company (keeps the test short); the rest are switched off.
    const settings = ['company', 'customers', 'taxRates'].map((dataType, i) => ({
      dataType,
      fetchOnFirstLink: true,
      syncSchedule: 24,
      syncOrder: i,
    }));
    const others = (
      (await (await h.server.fetch('/profile/syncSettings')).json()) as { settings: { dataType: string }[] }
    ).settings
      .filter((s) => !settings.some((x) => x.dataType === s.dataType))
      .map((s, i) => ({ dataType: s.dataType, fetchOnFirstLink: false, syncSchedule: 0, syncOrder: 10 + i }));
    const saved = await h.server.fetch(`/companies/${l.companyId}/syncSettings`, {
      method: 'POST',
      body: JSON.stringify({ companyId: l.companyId, settings: [...settings, ...others], overridesDefaults: true }),
    });
    expect(saved.status).toBe(204);

    const bus = h.server.app.deps.services.events as EventBus;
    await bus.emit('connectionLinked', {
      tenantId: h.server.tenantId,
      companyId: l.companyId,
      connectionId: l.connectionId,
      platformKey: 'jcrp',
      relinked: false,
      connectionInfo: {},
    });
    const queued = await h.server.store.db
      .selectFrom('datasets')
      .selectAll()
      .where('company_id', '=', l.companyId)
      .execute();
    expect(queued.map((d) => d.data_type).sort()).toEqual(['company', 'customers', 'taxRates']);
    expect(queued.every((d) => d.trigger === 'firstLink')).toBe(true);
    for (const d of queued) expect((await waitForDataset(h.server, l.companyId, d.id)).status).toBe('Complete');

    const initial = await h.server.store.db
      .selectFrom('webhook_events')
      .selectAll()
      .where('company_id', '=', l.companyId)
      .where('event_type', '=', 'read.completed.initial')
      .execute();
    expect(initial).toHaveLength(1);
    const body = JSON.parse(initial[0].body);
    expect(body.payload.dataTypes.map((d: { dataType: string }) => d.dataType).sort()).toEqual([
      'company',
      'customers',
      'taxRates',
    ]);
    const connected = await h.server.store.db
      .selectFrom('webhook_events')
      .select('event_type')
      .where('company_id', '=', l.companyId)
      .where('event_type', '=', 'connection.connected')
      .execute();
    expect(connected).toHaveLength(1);

    // The scheduler: nothing is due right after; 25 h later the daily types are, the switched-off ones are not.
    const db = h.server.store.db;
    const before = (await db.selectFrom('datasets').select('id').where('company_id', '=', l.companyId).execute())
      .length;
    await h.engine.scheduler.tick();
    expect((await db.selectFrom('datasets').select('id').where('company_id', '=', l.companyId).execute()).length).toBe(
      before,
    );
    await db
      .updateTable('datasets')
      .set({ requested: new Date(Date.now() - 25 * 3_600_000).toISOString() })
      .where('company_id', '=', l.companyId)
      .execute();
    const { queued: due } = await h.engine.scheduler.tick();
    const dueRows = await db
      .selectFrom('datasets')
      .selectAll()
      .where('id', 'in', due.length ? due : ['-'])
      .execute();
    expect(
      dueRows
        .filter((d) => d.company_id === l.companyId)
        .map((d) => d.data_type)
        .sort(),
    ).toEqual(['company', 'customers', 'taxRates']);
    expect(dueRows.every((d) => d.trigger === 'schedule')).toBe(true);
    for (const d of dueRows) await waitForDataset(h.server, d.company_id, d.id);
  });

  it('keep-alive refreshes tokens idle for 30 days; a refresh token near expiry raises one warning event', async () => {
    const l = await h.link(1);
    const db = h.server.store.db;
    const v0 = Number(
      (
        await db
          .selectFrom('connection_tokens')
          .select('version')
          .where('connection_id', '=', l.connectionId)
          .executeTakeFirstOrThrow()
      ).version,
    );
    await db
      .updateTable('connection_tokens')
      .set({
        updated_at: new Date(Date.now() - 31 * 86_400_000).toISOString(),
        refresh_token_expires_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      })
      .where('connection_id', '=', l.connectionId)
      .execute();
    const { keptAlive } = await h.engine.scheduler.tick();
    expect(keptAlive).toContain(l.connectionId);
    const v1 = Number(
      (
        await db
          .selectFrom('connection_tokens')
          .select('version')
          .where('connection_id', '=', l.connectionId)
          .executeTakeFirstOrThrow()
      ).version,
    );
    expect(v1).toBe(v0 + 1);
    await h.engine.scheduler.tick();
    const warnings = await db
      .selectFrom('webhook_events')
      .selectAll()
      .where('company_id', '=', l.companyId)
      .where('event_type', '=', 'connection.tokenExpiring')
      .execute();
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0].body).payload.message).toMatch(/link again/);
  });

  it('`ledgerlink sync <companyId> --dataType taxRates` shows progress and ends with a table', async () => {
    const l = await h.link(1);
    const db = h.server.config.database;
    if (db.dialect !== 'sqlite') return; // the command opens the database from DATABASE_URL; covered on SQLite
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'ledgerlink.mjs'), 'sync', l.companyId, '--dataType', 'taxRates'],
      {
        env: {
          ...(process.env as Record<string, string>),
          LOG_LEVEL: 'warn',
          DATA_DIR: h.server.store.dir,
          LEDGERLINK_MASTER_KEY: h.server.config.masterKey.current!,
          DATABASE_URL: `sqlite:${db.file}`,
          SAGE_AUTH_BASE_URL: h.sim.url,
          SAGE_API_BASE_URL: `${h.sim.url}/uk/sage200/accounts/v1/`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(out).toMatch(/taxRates\s+\[#+\]\s+100%\s+Complete/);
    expect(out).toMatch(/Data type\s+Records\s+Modified\s+Deleted\s+Duration\s+Status/);
    expect(out).toMatch(/taxRates\s+\d+\s+\d+\s+0\s+[\d.]+s\s+Complete/);
    expect(code).toBe(0);
  }, 60_000);
});
