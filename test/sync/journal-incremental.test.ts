// Journal entries have no update stamp in Sage (nominal transaction view), but postings are append-only and URNs
// grow: after a full read, an incremental sync reads only the postings made since (by URN) and ends with the same
// records a full read gives. Real HTTP against the simulator; SQLite, or PostgreSQL with DATABASE_URL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../../simulator/demo.ts';
import { allViaApi, type SyncHarness, startSyncHarness } from './sage-harness.ts';

type Row = Record<string, unknown>;
let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});

it('an incremental journal sync reads only new postings and matches a full read', async () => {
  const l = await h.link(1);
  const demo = DEMO_COMPANIES.find((c) => c.companyId === 1)!;
  const sage = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.sim.url}/uk/sage200/accounts/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${l.accessToken}`,
        'X-Site': demo.siteId,
        'X-Company': '1',
        'Ocp-Apim-Subscription-Key': DEMO_SUBSCRIPTION_KEY,
        'content-type': 'application/json',
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json() as Promise<unknown>;
  };
  const db = h.server.store.db;
  const path = `/companies/${l.companyId}/data/journalEntries`;

  const first = await h.syncAndWait(l.companyId, 'journalEntries');
  expect(first.status).toBe('Complete');
  const before = await allViaApi(h.server, path);
  const firstRow = await db.selectFrom('datasets').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
  expect(firstRow.is_full).toBe(1);
  const maxUrn = Math.max(
    ...before.map((j) =>
      Number((j as { supplementalData: { content: { sage: { urn: number } } } }).supplementalData.content.sage.urn),
    ),
  );
  expect(JSON.parse(firstRow.sync_token!)).toEqual({ urn: maxUrn });

  // two new postings in Sage
  const [customer] = (await sage('GET', '/customers?$top=1')) as Row[];
  const tax = ((await sage('GET', '/tax_codes')) as Row[]).find((t) => t.tax_rate === 20)!;
  const [nominal] = (await sage('GET', "/nominal_codes?$filter=reference eq '4000'&$top=1")) as Row[];
  const urns: number[] = [];
  for (const ref of ['JRNL-INC-1', 'JRNL-INC-2']) {
    const posted = (await sage('POST', '/sales_invoices', {
      customer_id: customer!.id,
      transaction_date: '2026-11-20T00:00:00Z',
      reference: ref,
      document_goods_value: 100,
      document_tax_value: 20,
      tax_analysis_items: [{ id: tax.id, goods_amount: 100, tax_amount: 20 }],
      nominal_analysis_items: [
        { code: nominal!.reference, cost_centre: '', department: '', narrative: 'Journal test', value: 100 },
      ],
    })) as Row;
    urns.push(Number(posted.urn));
  }

  const incr = await h.syncAndWait(l.companyId, 'journalEntries');
  expect(incr.status).toBe('Complete');
  const row = await db.selectFrom('datasets').selectAll().where('id', '=', incr.id).executeTakeFirstOrThrow();
  expect(row.is_full).toBe(0);
  expect(row.after_token).toBe(firstRow.sync_token);
  // only the two new postings were read (each is one journal entry)
  expect(row.records_fetched).toBe(2);
  expect(row.records_modified).toBe(2);
  expect(JSON.parse(row.sync_token!)).toEqual({ urn: Math.max(...urns) });
  const after = await allViaApi(h.server, path);
  expect(after).toHaveLength(before.length + 2);

  // nothing new: reads nothing, keeps the token
  const idle = await h.syncAndWait(l.companyId, 'journalEntries');
  const idleRow = await db.selectFrom('datasets').selectAll().where('id', '=', idle.id).executeTakeFirstOrThrow();
  expect(idleRow.records_fetched).toBe(0);
  expect(idleRow.sync_token).toBe(row.sync_token);

  // a full read gives the same records
  expect((await h.syncAndWait(l.companyId, 'journalEntries', '?full=true')).status).toBe('Complete');
  const full = await allViaApi(h.server, path);
  const strip = (rs: Row[]) =>
    rs.map(({ modifiedDate: _m, ...r }) => r).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  expect(strip(full)).toEqual(strip(after));
});
