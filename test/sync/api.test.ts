// The sync and data API over real HTTP with a real database; the source is the in-memory reference connector
// (the Sage simulator end-to-end suite is test/sync/sage-e2e.test.ts).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandardRecord } from '../../src/connectors/connector.ts';
import { createLogger } from '../../src/logger.ts';
import { createSyncEngine, type SyncEngine } from '../../src/sync/engine.ts';
import { type MemorySource, memoryConnector } from '../../src/sync/memory-connector.ts';
import { verify } from '../../src/webhooks/signing.ts';
import { createTestStore, startTestServer, type TestServer, type TestStore } from '../helpers/index.ts';
import { seedCompany, testDeps } from './fixtures.ts';

const inv = (id: string, total: number, customer: string): StandardRecord => ({
  id,
  invoiceNumber: `INV-${id}`,
  totalAmount: total,
  amountDue: total,
  currency: 'GBP',
  customerRef: { id: customer, companyName: `Customer ${customer}` },
  status: 'Submitted',
  issueDate: `2026-0${(Number(id) % 9) + 1}-01T00:00:00`,
  sourceModifiedDate: `2026-01-0${(Number(id) % 9) + 1}T00:00:00`,
});

let store: TestStore;
let server: TestServer;
let engine: SyncEngine;
let ids: Awaited<ReturnType<typeof seedCompany>>;
let receiver: Server;
let receiverUrl: string;
const received: { headers: Record<string, string>; body: string }[] = [];
const source: MemorySource = {
  records: new Map([
    ['invoices', Array.from({ length: 12 }, (_, i) => inv(String(i + 1), (i + 1) * 100, String((i % 3) + 1)))],
    ['customers', ['1', '2', '3'].map((i) => ({ id: i, customerName: `Customer ${i}`, status: 'Active' }))],
  ]),
  pagesServed: new Map(),
};

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function syncAndWait(dataType: string, query = '') {
  const res = await server.fetch(`/companies/${ids.companyId}/data/queue/${dataType}${query}`, { method: 'POST' });
  expect(res.status).toBe(200);
  const op = (await res.json()) as { id: string; status: string };
  return waitFor(async () => {
    const r = await server.fetch(`/companies/${ids.companyId}/data/history/${op.id}`);
    const body = (await r.json()) as { status: string; isCompleted: boolean; id: string };
    return ['Queued', 'Fetching', 'Mapping', 'Validating', 'Processing'].includes(body.status) ? undefined : body;
  });
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;

  store = await createTestStore();
  const connector = memoryConnector(source, 5);
  const services: Record<string, unknown> = {};
  server = await startTestServer({ store, services, secondTenant: true });
  ids = await seedCompany(store.db, { tenantId: server.tenantId });
  engine = await createSyncEngine({
    config: server.config,
    db: store.db,
    dialect: store.dialect,
    keyring: server.keyring,
    logger: createLogger({ level: 'silent' }),
    role: 'embedded',
    worker: { pollMs: 100, staleAfterMs: 5000 },
    webhooks: { pollMs: 100 },
    resolveConnection: testDeps(store.db, connector).resolveConnection,
    validate: null,
  });
  services.sync = engine;
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
  await server.close();
  await store.close();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

describe('sync and data API', () => {
  it('409 before the first sync, 404 for unknown types, then paged, queried, ordered data', async () => {
    const before = await server.fetch(`/companies/${ids.companyId}/data/invoices`);
    expect(before.status).toBe(409);
    expect(((await before.json()) as { error: string }).error).toMatch(/invoices data has not been synced/);
    const unknown = await server.fetch(`/companies/${ids.companyId}/data/widgets`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/^Datatype widgets not supported/);

    const hook = await server.fetch('/webhooks', {
      method: 'POST',
      body: JSON.stringify({ url: receiverUrl, eventTypes: ['read.completed'] }),
    });
    expect(hook.status).toBe(201);
    const { secret } = (await hook.json()) as { secret: string };
    const list = (await (await server.fetch('/webhooks')).json()) as { results: Record<string, unknown>[] };
    expect(list.results[0]).not.toHaveProperty('secret');

    const done = await syncAndWait('invoices');
    expect(done).toMatchObject({ status: 'Complete', isCompleted: true });

    const page = (await (
      await server.fetch(`/companies/${ids.companyId}/data/invoices?page=2&pageSize=5&orderBy=-totalAmount`)
    ).json()) as { results: { id: string; totalAmount: number }[]; totalResults: number; _links: { next?: unknown } };
    expect(page.totalResults).toBe(12);
    expect(page.results.map((r) => r.totalAmount)).toEqual([700, 600, 500, 400, 300]);
    expect(page._links.next).toBeDefined();

    const q = encodeURIComponent('customerRef.id=2 && totalAmount>300');
    const filtered = (await (await server.fetch(`/companies/${ids.companyId}/data/invoices?query=${q}`)).json()) as {
      results: { id: string; modifiedDate: string; metadata: { isDeleted: boolean } }[];
    };
    expect(filtered.results.map((r) => r.id).sort()).toEqual(['11', '5', '8']);
    expect(filtered.results[0].metadata).toEqual({ isDeleted: false });
    expect(filtered.results[0].modifiedDate).toMatch(/^\d{4}-\d\d-\d\dT/);

    const one = await server.fetch(`/companies/${ids.companyId}/data/invoices/7`);
    expect(((await one.json()) as { invoiceNumber: string }).invoiceNumber).toBe('INV-7');
    expect((await server.fetch(`/companies/${ids.companyId}/data/invoices/999`)).status).toBe(404);

    const status = (await (await server.fetch(`/companies/${ids.companyId}/dataStatus`)).json()) as Record<
      string,
      { currentStatus: string; latestSuccessfulSyncId: string }
    >;
    expect(status.invoices).toMatchObject({ currentStatus: 'Complete', latestSuccessfulSyncId: done.id });
    const validation = await server.fetch(`/companies/${ids.companyId}/sync/${done.id}/validation`);
    expect(await validation.json()).toEqual({ errors: [], warnings: [] });

    // read.completed reaches the receiver, signed.
    const got = await waitFor(async () => received.find((r) => JSON.parse(r.body).eventType === 'read.completed'));
    const body = JSON.parse(got.body);
    expect(body.payload.dataTypes[0]).toMatchObject({
      dataType: 'invoices',
      status: 'Complete',
      recordsModified: true,
    });
    expect(body.payload.referenceCompany.id).toBe(ids.companyId);
    expect(
      verify(
        secret,
        {
          id: got.headers['webhook-id'],
          timestamp: got.headers['webhook-timestamp'],
          signature: got.headers['webhook-signature'],
        },
        got.body,
      ),
    ).toBe(true);
  });

  it('queueing a type already in progress names the running dataset', async () => {
    // Hold the executor back by making the connection busy: queue, then immediately queue again.
    const a = await server.fetch(`/companies/${ids.companyId}/data/queue/customers`, { method: 'POST' });
    const first = (await a.json()) as { id: string };
    const b = await server.fetch(`/companies/${ids.companyId}/data/queue/customers`, { method: 'POST' });
    if (b.status === 409) {
      const err = (await b.json()) as { error: string; statusCode: number };
      expect(err.error).toContain(`previous sync ${first.id} is still in progress`);
      expect(err.error).toMatch(/^DatasetAlreadyInProgressException/);
    } else {
      // the first finished in between (fast machine): the second must be a new dataset
      expect(b.status).toBe(200);
      expect(((await b.json()) as { id: string }).id).not.toBe(first.id);
    }
    const history = (await (
      await server.fetch(`/companies/${ids.companyId}/data/history?query=${encodeURIComponent('dataType=customers')}`)
    ).json()) as { results: { dataType: string }[] };
    expect(history.results.length).toBeGreaterThan(0);
    expect(history.results.every((r) => r.dataType === 'customers')).toBe(true);
  });

  it('sync settings: defaults, profile and company overrides, validation', async () => {
    const profile = (await (await server.fetch('/profile/syncSettings')).json()) as {
      settings: { dataType: string; syncSchedule: number; monthsToSync?: number }[];
    };
    expect(profile.settings.find((s) => s.dataType === 'invoices')).toMatchObject({
      syncSchedule: 24,
      fetchOnFirstLink: true,
    });
    expect(profile.settings.find((s) => s.dataType === 'balanceSheet')?.monthsToSync).toBe(24);
    const post = await server.fetch(`/companies/${ids.companyId}/syncSettings`, {
      method: 'POST',
      body: JSON.stringify({
        companyId: ids.companyId,
        overridesDefaults: true,
        settings: [{ dataType: 'invoices', fetchOnFirstLink: false, syncSchedule: 168, syncOrder: 1 }],
      }),
    });
    expect(post.status).toBe(204);
    const company = (await (await server.fetch(`/companies/${ids.companyId}/syncSettings`)).json()) as {
      settings: { dataType: string; syncSchedule: number }[];
      overridesDefaults: boolean;
    };
    expect(company.settings.find((s) => s.dataType === 'invoices')?.syncSchedule).toBe(168);
    expect(company.overridesDefaults).toBe(true);
    const bad = await server.fetch('/profile/syncSettings', {
      method: 'POST',
      body: JSON.stringify({
        settings: [{ dataType: 'widgets', fetchOnFirstLink: true, syncSchedule: 1, syncOrder: 0 }],
      }),
    });
    expect(bad.status).toBe(400);
  });

  it('another tenant cannot see the company', async () => {
    const res = await server.fetch(`/companies/${ids.companyId}/data/invoices`, { apiKey: server.second!.apiKey });
    expect(res.status).toBe(404);
    const hooks = (await (await server.fetch('/webhooks', { apiKey: server.second!.apiKey })).json()) as {
      results: unknown[];
    };
    expect(hooks.results).toHaveLength(0);
  });
});
