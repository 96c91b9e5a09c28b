// Lookup snapshots: a sync keeps the connection's large lookups (parties, URN maps, SOP lines) in the platform
// database, and a process that has none of them in memory (another worker, a restart: here the process-wide cache
// is cleared) syncs the changes from the snapshots instead of re-reading whole ledgers, with the same records as a
// sync from scratch. Real HTTP against the simulator (its request log shows what was read); SQLite, or PostgreSQL
// with DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { clearLookupCaches, configureLookupCaches } from '../../src/connectors/sage200/read/lookup-cache.ts';
import { createLogger } from '../../src/logger.ts';
import { createSnapshotStore } from '../../src/sync/lookup-snapshots.ts';
import type { Linked } from '../push/harness.ts';
import { STANDARD, sageHeaders, simPost } from '../simulator/helpers.ts';
import { allViaApi, postSalesInvoice, type SyncHarness, startSyncHarness } from './sage-harness.ts';

type Row = Record<string, unknown>;

let sim: Simulator;
let h: SyncHarness;
let l: Linked;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05, requestLog: true });
  h = await startSyncHarness({ sim });
  l = await h.link(1);
  // every patch saved again (by default only when the snapshot is 10 minutes old; see the third test)
  configureLookupCaches({ snapshotResaveMs: 0 });
});
afterAll(async () => {
  await simPost(sim.url, '/_sim/clock', { reset: true }).catch(() => {});
  await h?.close();
});

async function sage(method: string, path: string, body?: unknown): Promise<Row | Row[]> {
  const res = await fetch(`${sim.url}${STANDARD}${path}`, {
    method,
    headers: { ...sageHeaders(l.accessToken, 1), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(200);
  return text ? JSON.parse(text) : {};
}

const requests = async () =>
  ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as { url: string }[]).map((r) => decodeURIComponent(r.url));
const clearRequests = () => fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });

const db = () => h.server.store.db;
async function snapshots() {
  const rows = await db()
    .selectFrom('lookup_snapshots')
    .select(['piece', 'stamp', 'saved_at'])
    .where('connection_id', '=', l.connectionId)
    .execute();
  return new Map(rows.map((r) => [r.piece.split('|').pop()!, r]));
}

/** Reads of a whole lookup: the resource asked for without a `$filter` (what a snapshot spares). */
const wholeReads = (urls: string[]) =>
  urls.filter(
    (u) =>
      !u.includes('$filter=') &&
      (u.includes('/customer_sop_invoice_credit_line_views?') ||
        u.includes('/customers?') ||
        (u.includes('/sales_posted_transactions?') && u.includes('$select=id,urn,'))),
  );

describe('lookup snapshots', () => {
  it('a process without the lookups in memory syncs from the snapshots: only the changes are read, same records', async () => {
    expect((await h.syncAndWait(l.companyId, 'invoices')).status).toBe('Complete');
    const first = await snapshots();
    for (const piece of ['customers', 'salesUrns', 'sopLines']) expect(first.get(piece)?.stamp).toBeTruthy();

    // Changes in Sage: a customer renamed and an invoice posted to them.
    await simPost(sim.url, '/_sim/clock', { advanceSeconds: 5 });
    const [customer] = (await sage(
      'GET',
      "/customers?$filter=account_status_type eq 'AccountStatusActive'&$top=1",
    )) as Row[];
    await sage('PUT', `/customers/${customer!.id}`, { name: 'Snapshot Renamed Ltd' });
    await postSalesInvoice(sage, {
      customerId: customer!.id,
      reference: 'SNAP1',
      date: '2026-10-21T00:00:00Z',
      narrative: 'Snapshot test',
    });
    // and part of another customer's invoice with SOP document lines paid: it is read again, lines and all
    const before = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
    const lined = before.find(
      (i) =>
        i.lineItemsSource === 'DocumentLines' &&
        Number(i.amountDue) > 5 &&
        (i.customerRef as { id: string }).id !== String(customer!.id),
    )!;
    const [bank] = (await sage('GET', '/banks?$top=1')) as Row[];
    await sage('POST', '/sales_receipts', {
      customer_id: Number((lined.customerRef as { id: string }).id),
      bank_id: bank!.id,
      cheque_value: 5,
      allocation_lines: [{ posted_tran_id: Number(lined.id), value_to_allocate: 5 }],
    });

    clearLookupCaches();
    await clearRequests();
    expect((await h.syncAndWait(l.companyId, 'invoices')).status).toBe('Complete');
    const made = await requests();
    expect(made.length).toBeGreaterThan(0);
    expect(wholeReads(made)).toEqual([]);
    // the patched pieces were saved again, with later stamps
    const second = await snapshots();
    for (const piece of ['customers', 'salesUrns'])
      expect(second.get(piece)!.stamp! > first.get(piece)!.stamp!).toBe(true);
    // a page of two documents did not load the SOP line index: their customers' lines were read instead
    expect(second.get('sopLines')).toEqual(first.get('sopLines'));
    const viewReads = made.filter((u) => u.includes('/customer_sop_invoice_credit_line_views?'));
    expect(viewReads.length).toBe(1);
    expect(viewReads[0]).toContain(`customer_id eq ${(lined.customerRef as { id: string }).id}`);
    const paid = (await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`)).find((i) => i.id === lined.id)!;
    expect(Number(paid.amountDue)).toBeCloseTo(Number(lined.amountDue) - 5, 2);
    expect(paid.lineItemsSource).toBe('DocumentLines');
    expect(paid.lineItems).toEqual(lined.lineItems);

    const afterIncremental = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
    const posted = afterIncremental.find((i) => i.invoiceNumber === 'SNAP1') as
      | { customerRef: { id: string; companyName: string } }
      | undefined;
    expect(posted?.customerRef).toEqual({ id: String(customer!.id), companyName: 'Snapshot Renamed Ltd' });

    // From scratch (no snapshot, nothing in memory), a full read gives the very same records: not one changed,
    // except the renamed customer's older invoices, which an incremental read does not revisit (Sage did not
    // update them) and a full read refreshes.
    await db().deleteFrom('lookup_snapshots').where('connection_id', '=', l.connectionId).execute();
    clearLookupCaches();
    await clearRequests();
    expect((await h.syncAndWait(l.companyId, 'invoices', '?full=true')).status).toBe('Complete');
    expect(wholeReads(await requests()).length).toBeGreaterThanOrEqual(3);
    const fromScratch = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
    const untouched = (rs: Row[]) =>
      rs
        .filter((i) => i.invoiceNumber === 'SNAP1' || (i.customerRef as { id: string }).id !== String(customer!.id))
        .sort((a, b) => Number(a.id) - Number(b.id));
    expect(untouched(fromScratch).length).toBeGreaterThan(100);
    expect(untouched(fromScratch)).toEqual(untouched(afterIncremental));
  });

  it('an unreadable snapshot is ignored: the piece is read from the source and saved again', async () => {
    expect((await snapshots()).get('salesUrns')).toBeDefined();
    await db()
      .updateTable('lookup_snapshots')
      .set({ payload: Buffer.from('not a snapshot') })
      .where('connection_id', '=', l.connectionId)
      .where('piece', 'like', '%|salesUrns')
      .execute();
    clearLookupCaches();
    await clearRequests();
    expect((await h.syncAndWait(l.companyId, 'invoices')).status).toBe('Complete');
    const whole = wholeReads(await requests());
    expect(whole.some((u) => u.includes('/sales_posted_transactions?'))).toBe(true);
    expect(whole.some((u) => u.includes('/customers?'))).toBe(false);
    const saved = await db()
      .selectFrom('lookup_snapshots')
      .select('payload')
      .where('connection_id', '=', l.connectionId)
      .where('piece', 'like', '%|salesUrns')
      .executeTakeFirstOrThrow();
    expect(Buffer.from(saved.payload).toString()).not.toBe('not a snapshot');
  });

  it('a piece patched soon after its snapshot was saved is not saved again (re-patching is cheaper)', async () => {
    configureLookupCaches({ snapshotResaveMs: 60_000 });
    try {
      const before = await snapshots();
      await simPost(sim.url, '/_sim/clock', { advanceSeconds: 5 });
      const [invoice] = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
      const customer = { id: (invoice!.customerRef as { id: string }).id };
      await sage('PUT', `/customers/${customer.id}`, { name: 'Renamed Again Ltd' });
      expect((await h.syncAndWait(l.companyId, 'invoices')).status).toBe('Complete');
      expect((await snapshots()).get('customers')).toEqual(before.get('customers'));
      // the held piece was patched all the same: a full read maps the new name
      expect((await h.syncAndWait(l.companyId, 'invoices', '?full=true')).status).toBe('Complete');
      const theirs = (await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`)).filter(
        (i) => (i.customerRef as { id: string }).id === customer.id,
      );
      expect(theirs.length).toBeGreaterThan(0);
      for (const i of theirs) expect((i.customerRef as { companyName: string }).companyName).toBe('Renamed Again Ltd');
    } finally {
      configureLookupCaches({ snapshotResaveMs: 0 });
    }
  });

  it('changes one process read from Sage are shared: another applies them and asks Sage only for newer ones', async () => {
    configureLookupCaches({ snapshotResaveMs: 60_000 });
    try {
      const base = (await snapshots()).get('customers')!;
      await simPost(sim.url, '/_sim/clock', { advanceSeconds: 5 });
      const [invoice] = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
      const customerId = (invoice!.customerRef as { id: string }).id;
      await sage('PUT', `/customers/${customerId}`, { name: 'Shared Change Ltd' });
      // this process holds the customers: it reads the change from Sage and shares it
      expect((await h.syncAndWait(l.companyId, 'invoices')).status).toBe('Complete');
      const after = await snapshots();
      expect(after.get('customers')).toEqual(base); // the whole piece was not saved again
      const shared = after.get('customers~changes')!;
      expect(shared.stamp! > base.stamp!).toBe(true);

      // Another process (nothing in memory): the snapshot, then the shared changes, then Sage from their end only.
      clearLookupCaches();
      await clearRequests();
      expect((await h.syncAndWait(l.companyId, 'invoices', '?full=true')).status).toBe('Complete');
      const partyReads = (await requests()).filter(
        (u) => u.includes('/customers?') && u.includes('$select=id,reference'),
      );
      expect(partyReads.length).toBeGreaterThan(0);
      for (const u of partyReads) expect(u).toContain(`date_time_updated gt ${shared.stamp}`);
      const theirs = (await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`)).filter(
        (i) => (i.customerRef as { id: string }).id === customerId,
      );
      expect(theirs.length).toBeGreaterThan(0);
      for (const i of theirs) expect((i.customerRef as { companyName: string }).companyName).toBe('Shared Change Ltd');
    } finally {
      configureLookupCaches({ snapshotResaveMs: 0 });
    }
  });

  it('exclusive sections on the same piece never overlap, other pieces run alongside', async () => {
    const logger = createLogger({ level: 'silent' });
    // two stores: two processes' views of the same connection
    const a = createSnapshotStore(db(), l.connectionId, { maxAgeMs: 3_600_000, logger })!;
    const b = createSnapshotStore(db(), l.connectionId, { maxAgeMs: 3_600_000, logger })!;
    const spans: { piece: string; start: number; end: number }[] = [];
    const section = (piece: string) => async () => {
      const start = performance.now();
      await new Promise((r) => setTimeout(r, 60));
      spans.push({ piece, start, end: performance.now() });
      return piece;
    };
    const results = await Promise.all([
      a.exclusive!('customers', section('customers')),
      b.exclusive!('customers', section('customers')),
      a.exclusive!('customers', section('customers')),
      b.exclusive!('suppliers', section('suppliers')),
    ]);
    expect(results).toEqual(['customers', 'customers', 'customers', 'suppliers']);
    const same = spans.filter((s) => s.piece === 'customers').sort((x, y) => x.start - y.start);
    if (h.server.config.database.dialect === 'postgres') {
      for (let i = 1; i < same.length; i++) expect(same[i]!.start).toBeGreaterThanOrEqual(same[i - 1]!.end);
      // a section that fails releases the lock, and its error reaches the caller
      await expect(a.exclusive!('customers', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await b.exclusive!('customers', async () => 'free', 1000)).toBe('free');
    }
  });

  it('the store: a newer stamp is never replaced by an older one, old snapshots are ignored, 0 hours keeps none', async () => {
    let now = new Date('2026-11-01T00:00:00Z');
    const logger = createLogger({ level: 'silent' });
    const store = createSnapshotStore(db(), l.connectionId, { maxAgeMs: 3_600_000, logger, clock: () => now })!;
    const bytes = (s: string) => new Uint8Array(Buffer.from(s));
    const text = async () => Buffer.from((await store.load('test|piece'))?.payload ?? []).toString();

    await store.save('test|piece', '2026-10-02T00:00:00.000Z', bytes('newer'));
    await store.save('test|piece', '2026-10-01T00:00:00.000Z', bytes('older'));
    expect(await text()).toBe('newer');
    await store.save('test|piece', '2026-10-03T00:00:00.000Z', bytes('newest'));
    expect(await store.load('test|piece')).toMatchObject({ stamp: '2026-10-03T00:00:00.000Z' });
    expect(await text()).toBe('newest');
    // newer than a given stamp only (nothing else is read)
    expect(await store.load('test|piece', '2026-10-03T00:00:00.000Z')).toBeUndefined();
    expect(await store.load('test|piece', '2026-10-02T00:00:00.000Z')).toMatchObject({
      stamp: '2026-10-03T00:00:00.000Z',
    });
    // large payloads come back byte for byte (PostgreSQL reads them in parts), as do empty ones
    const big = new Uint8Array(200_001).map((_, i) => (i * 7919) % 251);
    await store.save('test|big', '2026-10-03T00:00:00.000Z', big);
    expect(Buffer.from((await store.load('test|big'))!.payload).equals(Buffer.from(big))).toBe(true);
    await store.save('test|empty', null, new Uint8Array(0));
    expect((await store.load('test|empty'))!.payload.length).toBe(0);

    now = new Date(now.getTime() + 3_600_001);
    expect(await store.load('test|piece')).toBeUndefined();
    expect(createSnapshotStore(db(), l.connectionId, { maxAgeMs: 0, logger })).toBeUndefined();

    // a connection's snapshots go with it
    await db().deleteFrom('connections').where('id', '=', l.connectionId).execute();
    const left = await db()
      .selectFrom('lookup_snapshots')
      .select('piece')
      .where('connection_id', '=', l.connectionId)
      .execute();
    expect(left).toEqual([]);
  });
});
