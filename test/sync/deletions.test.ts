// Deletion detection by id reconciliation against the Sage 200 simulator over real HTTP: a customer deleted in
// Sage gets metadata.isDeleted = true after the next incremental sync; a listing that fails deletes nothing; every
// listed data type lists exactly the ids its reader emits. Runs on SQLite, or PostgreSQL with DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../../simulator/demo.ts';
import { ConnectorError, type DataType } from '../../src/connectors/connector.ts';
import { sage200Connector } from '../../src/connectors/sage200/index.ts';
import { LISTABLE } from '../../src/connectors/sage200/read/ids.ts';
import { createLogger } from '../../src/logger.ts';
import { createConnectionResolver } from '../../src/sync/connection-context.ts';
import type { Linked } from '../push/harness.ts';
import { allViaApi, type SyncHarness, startSyncHarness } from './sage-harness.ts';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

async function sim(l: Linked, method: string, path: string, body?: unknown) {
  const demo = DEMO_COMPANIES.find((c) => c.companyId === l.simCompanyId)!;
  const res = await fetch(`${h.sim.url}/uk/sage200/accounts/v1/${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${l.accessToken}`,
      'X-Site': demo.siteId,
      'X-Company': String(demo.companyId),
      'Ocp-Apim-Subscription-Key': DEMO_SUBSCRIPTION_KEY,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`sim ${method} ${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? (JSON.parse(text) as { id: number; name: string }) : undefined;
}

async function datasetRow(id: string) {
  return h.server.store.db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function customersById(companyId: string) {
  const all = await allViaApi(h.server, `/companies/${companyId}/data/customers`);
  return new Map(all.map((c) => [String(c.id), c as { metadata: { isDeleted: boolean }; modifiedDate: string }]));
}

describe('deletions by id reconciliation (Sage 200 simulator)', () => {
  it('a customer deleted in Sage is marked isDeleted after the next incremental sync; nothing else changes', async () => {
    const l = await h.link(1);
    const created = (await sim(l, 'POST', 'customers', { reference: 'DELME01', name: 'Short-lived Ltd' }))!;
    expect((await h.syncAndWait(l.companyId, 'customers')).status).toBe('Complete');
    const before = await customersById(l.companyId);
    expect(before.get(String(created.id))?.metadata.isDeleted).toBe(false);

    await sim(l, 'DELETE', `customers/${created.id}`);
    const ds = await h.syncAndWait(l.companyId, 'customers');
    expect(ds.status).toBe('Complete');
    const row = await datasetRow(ds.id);
    expect(row.is_full).toBe(0);
    expect(row.ids_done).toBe(1);
    expect(row.records_deleted).toBe(1);
    expect(row.records_modified).toBe(0);

    const after = await customersById(l.companyId);
    expect(after.size).toBe(before.size);
    const gone = after.get(String(created.id))!;
    expect(gone.metadata.isDeleted).toBe(true);
    expect(gone.modifiedDate).not.toBe(before.get(String(created.id))!.modifiedDate);
    const others = [...after.entries()].filter(([id]) => id !== String(created.id));
    for (const [id, c] of others) {
      expect(c.metadata.isDeleted).toBe(false);
      expect(c.modifiedDate).toBe(before.get(id)!.modifiedDate);
    }
    // Hidden from a filtered query, still reachable by id (never hard-deleted).
    const live = await allViaApi(h.server, `/companies/${l.companyId}/data/customers`, 'metadata.isDeleted!=true');
    expect(live.length).toBe(before.size - 1);
    const one = await h.server.fetch(`/companies/${l.companyId}/data/customers/${created.id}`);
    expect(one.status).toBe(200);
  });

  it('a listing that fails part-way deletes nothing and warns', async () => {
    const l = await h.link(2);
    const created = (await sim(l, 'POST', 'customers', { reference: 'DELME02', name: 'Also short-lived Ltd' }))!;
    expect((await h.syncAndWait(l.companyId, 'customers')).status).toBe('Complete');
    await sim(l, 'DELETE', `customers/${created.id}`);

    // The real listing yields its first page of ids over HTTP, then the source fails.
    const real = sage200Connector.listIds!.bind(sage200Connector);
    const spy = vi.spyOn(sage200Connector, 'listIds').mockImplementationOnce(async function* (ctx, dataType, o) {
      for await (const ids of real(ctx, dataType, o)) {
        yield ids.slice(0, 10);
        break;
      }
      throw new ConnectorError(
        'FetchError',
        'Sage 200 GET customers failed: socket hang up (gave up after 5 attempts)',
      );
    });
    const ds = await h.syncAndWait(l.companyId, 'customers');
    spy.mockRestore();
    expect(ds.status).toBe('Complete');
    const row = await datasetRow(ds.id);
    expect(row.is_full).toBe(0);
    expect(row.records_deleted).toBe(0);
    const v = (await (await h.server.fetch(`/companies/${l.companyId}/sync/${ds.id}/validation`)).json()) as {
      warnings: { ruleId?: string; message: string }[];
    };
    expect(v.warnings.map((w) => w.message).join(' ')).toMatch(/Deleted records were not detected.*socket hang up/);
    const after = await customersById(l.companyId);
    expect([...after.values()].every((c) => c.metadata.isDeleted === false)).toBe(true);

    // The next sync lists successfully and catches up.
    const next = await h.syncAndWait(l.companyId, 'customers');
    expect((await datasetRow(next.id)).records_deleted).toBe(1);
    expect((await customersById(l.companyId)).get(String(created.id))?.metadata.isDeleted).toBe(true);
  });

  it('every listed data type lists exactly the ids its reader emits', async () => {
    const l = await h.link(1);
    const resolved = await createConnectionResolver({
      db: h.server.store.db,
      keyring: h.server.keyring,
      config: h.server.config,
      logger: createLogger({ level: 'silent' }),
    })(l.connectionId);
    const types = [...LISTABLE] as DataType[];
    expect(types.length).toBe(16);
    for (const dataType of types) {
      const read: string[] = [];
      for await (const p of resolved.connector.read(resolved.ctx, dataType, { pageSize: 5000 }))
        read.push(...p.records.map((r) => r.id));
      const listed: string[] = [];
      for await (const ids of resolved.connector.listIds!(resolved.ctx, dataType)) listed.push(...ids);
      expect({ dataType, ids: listed.sort() }).toEqual({ dataType, ids: read.sort() });
      expect(read.length, dataType).toBeGreaterThan(0);
    }
    // Types without a listing say so (they are always read whole).
    const none = resolved.connector.listIds!(resolved.ctx, 'journalEntries');
    await expect(async () => {
      for await (const _ of none) void _;
    }).rejects.toMatchObject({ kind: 'NotSupported' });
  });
});
