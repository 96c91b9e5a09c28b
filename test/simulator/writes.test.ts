// Writes through HTTP change the real books: master data create/update/delete, a child create, a ledger posting
// returning a URN that then reads back and moves the customer's balance; trial sites refuse every write.
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { STANDARD, sageHeaders, signIn, simPost } from './helpers.ts';

type Row = Record<string, unknown>;
let sim: Simulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ scale: 0.05 });
  token = (await signIn(sim.url)).access_token;
});
afterAll(() => sim.close());

const call = (method: string, path: string, body?: unknown, companyId = 1) =>
  fetch(`${sim.url}${STANDARD}${path}`, {
    method,
    headers: {
      ...sageHeaders(token, companyId),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
const ok = async (method: string, path: string, body?: unknown, companyId = 1) => {
  const res = await call(method, path, body, companyId);
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(200);
  return text ? (JSON.parse(text) as Row) : undefined;
};

describe('master data writes', () => {
  it('creates, reads, updates and deletes a customer, stamping the simulator clock', async () => {
    await simPost(sim.url, '/_sim/clock', { set: '2026-11-02T09:30:00Z' });
    try {
      const created = (await ok('POST', '/customers', { reference: 'WRT001', name: 'Write Test Ltd' }))!;
      expect(created).toMatchObject({ reference: 'WRT001', name: 'Write Test Ltd' });
      expect(typeof created.id).toBe('number');
      expect(String(created.date_time_created)).toMatch(/^2026-11-02T09:30:0\d/);

      const read = (await ok('GET', `/customers/${created.id}`))!;
      expect(read).toMatchObject({ id: created.id, reference: 'WRT001', name: 'Write Test Ltd' });
      const listed = (await ok('GET', "/customers?$filter=reference eq 'WRT001'&$select=id")) as unknown as Row[];
      expect(listed).toEqual([{ id: created.id }]);

      await simPost(sim.url, '/_sim/clock', { advanceSeconds: 3600 });
      const updated = (await ok('PUT', `/customers/${created.id}`, { name: 'Renamed Test Ltd' }))!;
      expect(updated.name).toBe('Renamed Test Ltd');
      expect(String(updated.date_time_updated)).toMatch(/^2026-11-02T10:30:0\d/);
      expect((await ok('GET', `/customers/${created.id}`))!.name).toBe('Renamed Test Ltd');

      const del = await call('DELETE', `/customers/${created.id}`);
      expect(del.status).toBe(200);
      expect(await del.text()).toBe('');
      const gone = await call('GET', `/customers/${created.id}`);
      expect(gone.status).toBe(404);
    } finally {
      await simPost(sim.url, '/_sim/clock', { reset: true });
    }
  });

  it('pages see writes made between pages (query snapshots are dropped on write)', async () => {
    const page = async (skip: number) =>
      (await ok('GET', `/customers?$orderby=name asc,id asc&$top=1&$skip=${skip}&$select=id,name`)) as unknown as Row[];
    await page(1);
    const created = (await ok('POST', '/customers', { reference: 'AAFIRST', name: 'AAA First Customer' }))!;
    expect((await page(0))[0]).toEqual({ id: created.id, name: 'AAA First Customer' });
    await ok('DELETE', `/customers/${created.id}`);
    expect((await page(0))[0]!.id).not.toBe(created.id);
  });

  it('creates a contact through the customer-scoped path', async () => {
    const [customer] = (await ok('GET', '/customers?$top=1')) as unknown as Row[];
    const contact = (await ok('POST', `/customers/${customer!.id}/customer_contacts`, {
      first_name: 'Ada',
      last_name: 'Writer',
    }))!;
    expect(contact.customer_id).toBe(customer!.id);
    const contacts = (await ok('GET', `/customers/${customer!.id}/customer_contacts?$select=id`)) as unknown as Row[];
    expect(contacts.map((c) => c.id)).toContain(contact.id);
  });

  it("answers Sage's validation failures with 400 and a Message", async () => {
    const tooLong = await call('POST', '/customers', { reference: 'TOOLONGREF1', name: 'x' });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as Row).Message).toMatch(/reference/i);
    const notObject = await call('POST', '/customers', '[1,2]');
    expect(notObject.status).toBe(400);
    expect(((await notObject.json()) as Row).Message).toContain('JSON object');
    const unknown = await call('PUT', '/customers/987654321', { name: 'Nobody' });
    expect(unknown.status).toBe(404);
    expect(typeof ((await unknown.json()) as Row).Message).toBe('string');
  });
});

describe('ledger postings', () => {
  it('posts a sales invoice, returns a URN, and the posted transaction and balance follow', async () => {
    const [customer] = (await ok(
      'GET',
      "/customers?$filter=account_status_type eq 'AccountStatusActive'&$top=1",
    )) as unknown as Row[];
    const standard = ((await ok('GET', '/tax_codes')) as unknown as Row[]).find((t) => t.tax_rate === 20)!;
    const [sales] = (await ok('GET', "/nominal_codes?$filter=startswith(reference,'4')&$top=1")) as unknown as Row[];
    const before = new Decimal(String(customer!.balance));

    const posted = (await ok('POST', '/sales_invoices', {
      customer_id: customer!.id,
      transaction_date: '2026-10-15T00:00:00Z',
      reference: 'WRTINV1',
      document_goods_value: 100,
      document_tax_value: 20,
      tax_analysis_items: [{ id: standard.id, goods_amount: 100, tax_amount: 20 }],
      nominal_analysis_items: [
        {
          code: sales!.reference,
          cost_centre: sales!.cost_centre_code ?? '',
          department: sales!.department_code ?? '',
          narrative: 'Consulting',
          value: 100,
        },
      ],
    }))!;
    expect(Object.keys(posted)).toEqual(['urn']);
    expect(typeof posted.urn).toBe('string');

    const rows = (await ok(
      'GET',
      `/sales_posted_transactions?$filter=urn eq ${posted.urn}&$expand=tax_analysis_items,nominal_analysis_items`,
    )) as unknown as Row[];
    expect(rows).toHaveLength(1);
    const tx = rows[0]!;
    expect(tx).toMatchObject({
      customer_id: customer!.id,
      trader_transaction_type: 'TradingAccountEntryTypeInvoice',
      reference: 'WRTINV1',
    });
    expect(new Decimal(String(tx.document_goods_value)).toFixed(2)).toBe('100.00');
    expect(new Decimal(String(tx.document_gross_value)).toFixed(2)).toBe('120.00');
    const sum = (tx.nominal_analysis_items as { value: number }[]).reduce(
      (a, i) => a.plus(String(i.value)),
      new Decimal(0),
    );
    expect(sum.toFixed(2)).toBe('0.00');

    const after = (await ok('GET', `/customers/${customer!.id}`))!;
    expect(new Decimal(String(after.balance)).minus(before).toFixed(2)).toBe('120.00');
    const checks = (await (await fetch(`${sim.url}/_sim/companies/1/checks`)).json()) as Row;
    expect(checks.trialBalance).toBe('0.00');
  });

  it('refuses a tax item without an id', async () => {
    const [customer] = (await ok('GET', '/customers?$top=1')) as unknown as Row[];
    const res = await call('POST', '/sales_invoices', {
      customer_id: customer!.id,
      document_goods_value: 10,
      document_tax_value: 2,
      tax_analysis_items: [{ goods_amount: 10, tax_amount: 2 }],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Row).Message).toContain('SageNullFieldException');
  });
});

describe('trial site', () => {
  it('refuses POST, PUT and DELETE with a trial message and leaves the books unchanged; reads work', async () => {
    const before = (await ok('GET', '/customers?$count=true&$top=0', undefined, 4)) as unknown as {
      '@odata.count': number;
    };
    const [customer] = (await ok('GET', '/customers?$top=1', undefined, 4)) as unknown as Row[];
    for (const [method, path, body] of [
      ['POST', '/customers', { reference: 'TRIAL1', name: 'Trial Write' }],
      ['PUT', `/customers/${customer!.id}`, { name: 'Changed' }],
      ['DELETE', `/customers/${customer!.id}`, undefined],
    ] as const) {
      const res = await call(method, path, body, 4);
      expect(res.status, method).toBe(403);
      expect(((await res.json()) as Row).Message).toContain('trial');
    }
    const after = (await ok('GET', '/customers?$count=true&$top=0', undefined, 4)) as unknown as {
      '@odata.count': number;
    };
    expect(after['@odata.count']).toBe(before['@odata.count']);
    expect((await ok('GET', `/customers/${customer!.id}`, undefined, 4))!.name).toBe(customer!.name);
  });
});
