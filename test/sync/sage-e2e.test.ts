// End to end against the Sage 200 simulator: queue over the API, the real connector reads over HTTP, records land
// in the database and come back through the data endpoints, reconciled with the simulator's books.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sage } from '../push/harness.ts';
import { allViaApi, type SyncHarness, startSyncHarness } from './sage-harness.ts';

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('sync against the Sage 200 simulator', () => {
  it('customers: every Sage customer, once, then incremental picks up a change and only it', async () => {
    const l = await h.link(1);
    const first = await h.syncAndWait(l.companyId, 'customers');
    expect(first).toMatchObject({ status: 'Complete' });
    const sageCustomers = await sage<{ id: number; reference: string; name: string }[]>(
      { sim: h.sim, server: h.server, close: async () => {} },
      l,
      'customers',
      { $orderby: 'id asc', $top: '5000' },
    );
    const ours = await allViaApi(h.server, `/companies/${l.companyId}/data/customers`);
    expect(ours.length).toBe(sageCustomers.length);
    expect(new Set(ours.map((c) => c.id)).size).toBe(ours.length);
    expect(ours.map((c) => String(c.id)).sort()).toEqual(sageCustomers.map((c) => String(c.id)).sort());

    // Change one customer in Sage; the next (incremental) sync modifies exactly that record.
    const target = sageCustomers[0];
    const put = await fetch(`${h.sim.url}/uk/sage200/accounts/v1/customers/${target.id}`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${l.accessToken}`,
        'X-Site': '6f3c2a1e-8b4d-4c2a-9e71-1a2b3c4d5e01',
        'X-Company': '1',
        'Ocp-Apim-Subscription-Key': 'sim0subscription0key0a1b2c3d4e5f',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: `${target.name} (renamed)` }),
    });
    expect(put.status).toBeLessThan(300);
    const before = new Map(ours.map((c) => [String(c.id), c.modifiedDate]));
    const second = await h.syncAndWait(l.companyId, 'customers');
    expect(second.status).toBe('Complete');
    const row = await h.server.store.db
      .selectFrom('datasets')
      .selectAll()
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(row.is_full).toBe(0);
    expect(row.records_modified).toBe(1);
    expect(row.records_fetched).toBeLessThan(sageCustomers.length);
    const after = await allViaApi(h.server, `/companies/${l.companyId}/data/customers`);
    const changed = after.filter((c) => c.modifiedDate !== before.get(String(c.id)));
    expect(changed.map((c) => String(c.id))).toEqual([String(target.id)]);
    expect(changed[0].customerName).toBe(`${target.name} (renamed)`);
  });

  it('invoices: totals reconcile with the records read, info and history endpoints answer', async () => {
    const l = await h.link(1);
    for (const t of ['company', 'invoices'])
      expect(await h.syncAndWait(l.companyId, t)).toMatchObject({ status: 'Complete' });
    const info = (await (await h.server.fetch(`/companies/${l.companyId}/data/info`)).json()) as {
      companyName: string;
    };
    expect(info.companyName).toContain('Hadley');
    const invoices = await allViaApi(h.server, `/companies/${l.companyId}/data/invoices`);
    expect(invoices.length).toBeGreaterThan(0);
    const row = await h.server.store.db
      .selectFrom('datasets')
      .selectAll()
      .where('company_id', '=', l.companyId)
      .where('data_type', '=', 'invoices')
      .executeTakeFirstOrThrow();
    expect(row.records_fetched).toBe(invoices.length);
    const history = (await (await h.server.fetch(`/companies/${l.companyId}/data/history`)).json()) as {
      totalResults: number;
    };
    expect(history.totalResults).toBe(2);
  });

  it('sandbox company: balanceSheet ends in ValidationError with the net-assets rule, data endpoint still 409', async () => {
    const l = await h.link(3);
    const ds = await h.syncAndWait(l.companyId, 'balanceSheet');
    expect(ds.status).toBe('ValidationError');
    const v = (await (await h.server.fetch(`/companies/${l.companyId}/sync/${ds.id}/validation`)).json()) as {
      errors: { message: string }[];
    };
    expect(v.errors.length).toBeGreaterThan(0);
    expect(v.errors.map((e) => e.message).join(' ')).toMatch(/1,?234\.56/);
    const bs = await h.server.fetch(
      `/companies/${l.companyId}/data/financials/balanceSheet?periodLength=1&periodsToCompare=2`,
    );
    expect(bs.status).toBe(409);
  });

  it('normal company: balance sheet and P&L aggregate from monthly records', async () => {
    const l = await h.link(1);
    for (const t of ['balanceSheet', 'profitAndLoss'])
      expect((await h.syncAndWait(l.companyId, t)).status).toBe('Complete');
    const bs = (await (
      await h.server.fetch(`/companies/${l.companyId}/data/financials/balanceSheet?periodLength=1&periodsToCompare=3`)
    ).json()) as { reports: { netAssets: number; equity: { value: number } }[] };
    expect(bs.reports).toHaveLength(3);
    for (const r of bs.reports) expect(Math.abs(r.netAssets - r.equity.value)).toBeLessThan(0.01);
    const pl = await h.server.fetch(
      `/companies/${l.companyId}/data/financials/profitAndLoss?periodLength=3&periodsToCompare=2`,
    );
    expect(pl.status).toBe(200);
  });

  it('connection-scoped bank accounts and their transactions; aged debtors from synced documents', async () => {
    const l = await h.link(1);
    for (const t of ['bankAccounts', 'bankTransactions', 'invoices', 'creditNotes', 'payments', 'customers']) {
      expect(await h.syncAndWait(l.companyId, t)).toMatchObject({ status: 'Complete' });
    }
    const base = `/companies/${l.companyId}/connections/${l.connectionId}/data/bankAccounts`;
    const accounts = await allViaApi(h.server, base);
    expect(accounts.length).toBeGreaterThan(0);
    const one = (await (await h.server.fetch(`${base}/${accounts[0].id}`)).json()) as { id: string };
    expect(one.id).toBe(accounts[0].id);
    let total = 0;
    for (const a of accounts) {
      const txs = await allViaApi(h.server, `${base}/${encodeURIComponent(String(a.id))}/bankTransactions`);
      for (const t of txs) expect(t.accountId).toBe(a.id);
      total += txs.length;
    }
    const all = await h.server.store.db
      .selectFrom('records')
      .select('record_id')
      .where('company_id', '=', l.companyId)
      .where('data_type', '=', 'bankTransactions')
      .execute();
    expect(total).toBe(all.length);
    expect(
      (
        await h.server.fetch(
          `/companies/${l.companyId}/connections/00000000-0000-0000-0000-000000000000/data/bankAccounts`,
        )
      ).status,
    ).toBe(404);
    expect((await h.server.fetch(`/companies/${l.companyId}/data/bankAccounts`)).status).toBe(404);

    const aged = await h.server.fetch(
      `/companies/${l.companyId}/reports/agedDebtor?reportDate=2026-10-31&numberOfPeriods=4`,
    );
    expect(aged.status).toBe(200);
    const report = (await aged.json()) as { reportDate: string; data: unknown[] };
    expect(report.reportDate).toMatch(/^2026-10-31/);
    expect(Array.isArray(report.data)).toBe(true);
    expect((await h.server.fetch(`/companies/${l.companyId}/reports/agedCreditor?reportDate=2026-10-31`)).status).toBe(
      409,
    );
  });
});
