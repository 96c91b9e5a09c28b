// Pre-send validation, trial accounts and the options endpoint: Failed pushes with field-level errors and nothing
// written to Sage (the simulator's books are checked before and after).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/server.ts';
import {
  type Harness,
  type Linked,
  linkCompany,
  push,
  refs,
  sage,
  simChecks,
  startHarness,
  startSim,
} from './harness.ts';

let sim: Simulator;
let h: Harness;
let hadley: Linked;
let trial: Linked;
let r: Awaited<ReturnType<typeof refs>>;

beforeAll(async () => {
  sim = await startSim();
  h = await startHarness(sim);
  hadley = await linkCompany(h, 1);
  trial = await linkCompany(h, 4);
  r = await refs(h, hadley);
});
afterAll(async () => {
  await h?.close();
  await sim?.close();
});

const standard = () => r.taxCodes.find((t) => Number(t.tax_rate) === 20)!;
const salesNominal = () => r.nominals.find((n) => n.reference === '4000') ?? r.nominals.at(-1)!;

function invoice(over: Record<string, unknown> = {}) {
  return {
    invoiceNumber: 'INV-T-1',
    customerRef: { id: String(r.customers[0].id) },
    issueDate: '2026-10-15',
    dueDate: '2026-11-14',
    lineItems: [
      {
        description: 'Consulting',
        quantity: 2,
        unitAmount: 50,
        subTotal: 100,
        taxAmount: 20,
        totalAmount: 120,
        taxRateRef: { id: String(standard().id) },
        accountRef: { id: String(salesNominal().id) },
      },
    ],
    subTotal: 100,
    totalTaxAmount: 20,
    totalAmount: 120,
    ...over,
  };
}

async function salesCount(l: Linked): Promise<number> {
  const rows = await sage<unknown[]>(h, l, 'sales_posted_transactions', {
    $select: 'id',
    $top: '5000',
    $orderby: 'id asc',
  });
  return rows.length;
}

describe('validation before sending', () => {
  it('an invalid body fails with field-level errors and nothing is sent', async () => {
    const before = await salesCount(hadley);
    const res = await push(h, hadley, 'invoices', { customerRef: {}, lineItems: [] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('Failed');
    expect(res.body.statusCode).toBe(400);
    const ids = (res.body.validation.errors ?? []).map((e) => e.itemId);
    expect(ids).toEqual(expect.arrayContaining(['customerRef.id', 'issueDate', 'lineItems']));
    expect(res.body.changes ?? []).toEqual([]);
    expect(await salesCount(hadley)).toBe(before);
  });

  it('an unknown customer fails naming customerRef.id', async () => {
    const res = await push(h, hadley, 'invoices', invoice({ customerRef: { id: '99999999' } }));
    expect(res.body.status).toBe('Failed');
    expect(res.body.validation.errors).toEqual([
      expect.objectContaining({ itemId: 'customerRef.id', message: expect.stringContaining('is not a customer') }),
    ]);
  });

  it('a tax amount that does not match the tax code fails (tax mismatch), and header totals must reconcile', async () => {
    const before = await salesCount(hadley);
    const bad = invoice();
    (bad.lineItems[0] as Record<string, unknown>).taxAmount = 25;
    (bad.lineItems[0] as Record<string, unknown>).totalAmount = 125;
    const res = await push(h, hadley, 'invoices', { ...bad, totalTaxAmount: 25, totalAmount: 125 });
    expect(res.body.status).toBe('Failed');
    const msgs = (res.body.validation.errors ?? []).map((e) => `${e.itemId}: ${e.message}`);
    expect(msgs.join('\n')).toMatch(/lineItems\[0\]\.taxAmount: .*25\.00 does not match .*expected 20\.00/);

    const res2 = await push(h, hadley, 'invoices', invoice({ totalAmount: 130 }));
    expect(res2.body.status).toBe('Failed');
    expect(res2.body.validation.errors).toEqual([
      expect.objectContaining({
        itemId: 'totalAmount',
        message: expect.stringContaining('does not equal subTotal + tax (120.00)'),
      }),
    ]);
    expect(await salesCount(hadley)).toBe(before);
  });

  it('an unknown nominal code or tax code fails before sending', async () => {
    const body = invoice();
    (body.lineItems[0] as Record<string, unknown>).accountRef = { id: '987654' };
    (body.lineItems[0] as Record<string, unknown>).taxRateRef = { id: '555555' };
    const res = await push(h, hadley, 'invoices', body);
    expect(res.body.status).toBe('Failed');
    expect((res.body.validation.errors ?? []).map((e) => e.itemId).sort()).toEqual([
      'lineItems[0].accountRef.id',
      'lineItems[0].taxRateRef.id',
    ]);
  });

  it('Sage limits: customer reference over 8 and name over 60 characters', async () => {
    const res = await push(h, hadley, 'customers', {
      reference: 'TOOLONG123',
      customerName: 'N'.repeat(63),
      status: 'Active',
    });
    expect(res.body.status).toBe('Failed');
    expect(res.body.validation.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: 'reference', message: expect.stringContaining('must not be longer than 8') }),
        expect.objectContaining({
          itemId: 'customerName',
          message: expect.stringContaining('must not be longer than 60'),
        }),
      ]),
    );
  });

  it('updating a posted invoice is refused with a clear message', async () => {
    const [posted] = await sage<Record<string, any>[]>(h, hadley, 'sales_posted_transactions', {
      $top: '1',
      $orderby: 'id asc',
    });
    const res = await push(h, hadley, 'invoices', invoice(), { recordId: String(posted.id) });
    expect(res.body.status).toBe('Failed');
    expect(res.body.errorMessage).toMatch(/posted ledger documents cannot be changed/);
  });

  it('unknown data types are 404 with a clear message', async () => {
    const res = await push(h, hadley, 'taxRates', { name: 'x' });
    expect(res.status).toBe(404);
    expect(String((res.body as Record<string, unknown>).error)).toMatch(/Datatype taxRates not supported for push/);
  });
});

describe('trial accounts', () => {
  it('Sage refuses the write; the push fails saying trial accounts cannot create or update, keeping Sage status', async () => {
    const tr = await refs(h, trial);
    const before = await simChecks(h, 4);
    const res = await push(h, trial, 'customers', { customerName: 'Trial Test Customer', status: 'Active' });
    expect(res.body.status).toBe('Failed');
    expect(res.body.statusCode).toBe(403);
    expect(res.body.errorMessage).toMatch(/Sage 200 trial accounts do not allow creating or updating records/);
    expect(res.body.errorMessage).toMatch(/trial site/);
    const inv = await push(h, trial, 'invoices', {
      customerRef: { id: String(tr.customers[0].id) },
      issueDate: '2026-10-01',
      lineItems: [
        {
          quantity: 1,
          unitAmount: 10,
          taxRateRef: { id: String(tr.taxCodes.find((t) => Number(t.tax_rate) === 20)!.id) },
        },
      ],
    });
    expect(inv.body.status).toBe('Failed');
    expect(inv.body.statusCode).toBe(403);
    expect(await simChecks(h, 4)).toEqual(before);
  });
});

describe('options', () => {
  it('GET options/invoices lists required fields and allowed values from the company data', async () => {
    const res = await h.server.fetch(
      `/companies/${hadley.companyId}/connections/${hadley.connectionId}/options/invoices`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.type).toBe('Object');
    expect(body.properties.customerRef.required).toBe(true);
    expect(body.properties.issueDate.required).toBe(true);
    const taxOptions = body.properties.lineItems.properties.taxRateRef.properties.id.options as { value: string }[];
    expect(taxOptions.map((o) => o.value).sort()).toEqual(r.taxCodes.map((t) => String(t.id)).sort());
    const tracking = body.properties.lineItems.properties.trackingCategoryRefs.properties.id.options as {
      value: string;
    }[];
    expect(tracking.some((o) => o.value.startsWith('__COST_CENTRES/'))).toBe(true);
    const currencies = body.properties.currency.options as { value: string }[];
    expect(currencies.map((o) => o.value)).toEqual(expect.arrayContaining(['GBP', 'EUR']));
  });

  it('GET options/accounts lists report categories; customers shows the 8-character reference rule', async () => {
    const acc = (await (
      await h.server.fetch(`/companies/${hadley.companyId}/connections/${hadley.connectionId}/options/accounts`)
    ).json()) as Record<string, any>;
    expect(acc.properties.fullyQualifiedCategory.options.length).toBeGreaterThan(3);
    const cust = (await (
      await h.server.fetch(`/companies/${hadley.companyId}/connections/${hadley.connectionId}/options/customers`)
    ).json()) as Record<string, any>;
    expect(cust.properties.customerName.required).toBe(true);
    expect(cust.properties.reference.validation.warnings[0].details).toMatch(/8 characters/);
  });
});

describe('options for every writable data type', () => {
  it('answers a PushOption tree with required fields for each', async () => {
    const types = [
      'customers',
      'suppliers',
      'invoices',
      'creditNotes',
      'bills',
      'billCreditNotes',
      'payments',
      'billPayments',
      'salesOrders',
      'purchaseOrders',
      'items',
      'chartOfAccounts',
    ];
    for (const dt of types) {
      const res = await h.server.fetch(
        `/companies/${hadley.companyId}/connections/${hadley.connectionId}/options/${dt}`,
      );
      expect(res.status, dt).toBe(200);
      const body = (await res.json()) as Record<string, any>;
      expect(body.type, dt).toBe('Object');
      const required = Object.entries(body.properties as Record<string, { required: boolean }>).filter(
        ([, p]) => p.required,
      );
      expect(required.length, dt).toBeGreaterThan(0);
    }
    const banks = (await (
      await h.server.fetch(`/companies/${hadley.companyId}/connections/${hadley.connectionId}/options/payments`)
    ).json()) as Record<string, any>;
    expect(banks.properties.accountRef.properties.id.options.map((o: { value: string }) => o.value)).toEqual(
      r.banks.map((b) => String(b.id)),
    );
  });
});

describe('unsupported fields', () => {
  it('warn "X is not supported, and will be ignored"', async () => {
    const res = await push(
      h,
      hadley,
      'invoices',
      invoice({ customerRef: { id: '99999999' }, withholdingTax: [{ name: 'x', amount: 1 }] }),
    );
    expect(res.body.validation.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          itemId: 'withholdingTax',
          message: 'WithholdingTax is not supported, and will be ignored.',
        }),
      ]),
    );
  });
});
