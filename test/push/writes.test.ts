// Every data type's create (and update/delete where Sage allows) over real HTTP, checking that the simulator's books
// changed as they should: balances, nominal postings, tax analysis, allocations; plus the follow-up sync and the
// write webhook event.
import { Decimal } from 'decimal.js';
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

type Row = Record<string, any>;
let sim: Simulator;
let h: Harness;
let l: Linked;
let r: Awaited<ReturnType<typeof refs>>;

beforeAll(async () => {
  sim = await startSim();
  h = await startHarness(sim);
  l = await linkCompany(h, 1);
  r = await refs(h, l);
});
afterAll(async () => {
  await h?.close();
  await sim?.close();
});

const rate = (pct: number) => r.taxCodes.find((t) => Number(t.tax_rate) === pct)!;
const nominal = (ref: string) =>
  r.nominals.find((n) => n.reference === ref && !n.cost_centre_code && !n.department_code) ??
  r.nominals.find((n) => n.reference === ref)!;
const gbpCustomer = () => r.customers.find((c) => c.currency_id === r.customers[0].currency_id)!;
const gbpSupplier = () => r.suppliers.find((c) => c.currency_id === r.suppliers[0].currency_id)!;
const d = (v: unknown) => new Decimal(String(v ?? 0));

async function ok(res: Awaited<ReturnType<typeof push>>) {
  if (res.body.status !== 'Success') throw new Error(`push failed: ${JSON.stringify(res.body)}`);
  return res.body;
}

function twoRateInvoiceLines() {
  return [
    {
      description: 'Machining',
      quantity: 4,
      unitAmount: 25,
      taxRateRef: { id: String(rate(20).id) },
      accountRef: { id: String(nominal('4000').id) },
    },
    {
      description: 'Manuals',
      quantity: 1,
      unitAmount: 40,
      taxRateRef: { id: String(rate(0).id) },
      accountRef: { id: String(nominal('4000').id) },
    },
  ];
}

describe('customers and suppliers', () => {
  it('creates a customer, updates it, refuses a stale update unless forceUpdate', async () => {
    const created = await ok(
      await push(h, l, 'customers', {
        customerName: 'Push Test Widgets Ltd',
        taxNumber: 'GB123456789',
        status: 'Active',
        addresses: [{ type: 'Billing', line1: '1 High St', city: 'Leeds', postalCode: 'LS1 1AA' }],
      }),
    );
    const id = created.changes![0].recordRef.id;
    expect(created.changes![0].type).toBe('Created');
    const row = await sage<Row>(h, l, `customers/${id}`);
    expect(row.name).toBe('Push Test Widgets Ltd');
    expect(row.reference).toBe('PUSHTEST');
    expect(row.vat_number).toBe('GB123456789');

    const updated = await ok(
      await push(
        h,
        l,
        'customers',
        { customerName: 'Push Test Widgets Group Ltd', sourceModifiedDate: row.date_time_updated },
        { recordId: id },
      ),
    );
    expect(updated.changes![0].type).toBe('Modified');
    const after = await sage<Row>(h, l, `customers/${id}`);
    expect(after.name).toBe('Push Test Widgets Group Ltd');

    const stale = await push(
      h,
      l,
      'customers',
      { customerName: 'Stale Name', sourceModifiedDate: '2020-01-01T00:00:00Z' },
      { recordId: id },
    );
    expect(stale.body.status).toBe('Failed');
    expect(stale.body.statusCode).toBe(409);
    expect(stale.body.errorMessage).toMatch(/forceUpdate=true/);
    expect((await sage<Row>(h, l, `customers/${id}`)).name).toBe('Push Test Widgets Group Ltd');

    await ok(
      await push(
        h,
        l,
        'customers',
        { customerName: 'Forced Name', sourceModifiedDate: '2020-01-01T00:00:00Z' },
        { recordId: id, query: 'forceUpdate=true' },
      ),
    );
    expect((await sage<Row>(h, l, `customers/${id}`)).name).toBe('Forced Name');
  });

  it('creates and updates a supplier with an explicit reference', async () => {
    const created = await ok(
      await push(h, l, 'suppliers', { reference: 'PSHSUP01', supplierName: 'Push Supplies Ltd', status: 'Active' }),
    );
    const id = created.changes![0].recordRef.id;
    expect((await sage<Row>(h, l, `suppliers/${id}`)).reference).toBe('PSHSUP01');
    await ok(await push(h, l, 'suppliers', { supplierName: 'Push Supplies (North) Ltd' }, { recordId: id }));
    expect((await sage<Row>(h, l, `suppliers/${id}`)).name).toBe('Push Supplies (North) Ltd');
    const dup = await push(h, l, 'suppliers', { reference: 'PSHSUP01', supplierName: 'Another', status: 'Active' });
    expect(dup.body.status).toBe('Failed');
    expect(dup.body.validation.errors![0].message).toMatch(/already used/);
  });
});

describe('ledger documents', () => {
  it('posts an invoice: lines become nominal rows, tax one item per code, totals reconcile, URN resolved', async () => {
    const customer = gbpCustomer();
    const before = await simChecks(h);
    const balanceBefore = d((await sage<Row>(h, l, `customers/${customer.id}`)).balance);
    const res = await ok(
      await push(h, l, 'invoices', {
        invoiceNumber: 'PUSH-INV-1',
        customerRef: { id: String(customer.id) },
        issueDate: '2026-10-20',
        dueDate: '2026-11-19',
        lineItems: twoRateInvoiceLines(),
        subTotal: 140,
        totalTaxAmount: 20,
        totalAmount: 160,
      }),
    );
    const id = res.changes![0].recordRef.id;
    const t = await sage<Row>(h, l, `sales_posted_transactions/${id}`, {
      $expand: 'tax_analysis_items,nominal_analysis_items',
    });
    expect(t.trader_transaction_type).toBe('TradingAccountEntryTypeInvoice');
    expect(t.reference).toBe('PUSH-INV-1');
    expect(d(t.document_goods_value).toFixed(2)).toBe('140.00');
    expect(d(t.document_tax_value).toFixed(2)).toBe('20.00');
    expect(d(t.document_gross_value).toFixed(2)).toBe('160.00');
    const tax = (t.tax_analysis_items as Row[])
      .map((i) => [i.id, d(i.goods_amount).toFixed(2), d(i.tax_amount).toFixed(2)])
      .sort();
    expect(tax).toEqual(
      [
        [rate(0).id, '40.00', '0.00'],
        [rate(20).id, '100.00', '20.00'],
      ].sort(),
    );
    const nominalSum = (t.nominal_analysis_items as Row[]).reduce((a, n) => a.plus(d(n.value)), new Decimal(0));
    expect(nominalSum.toFixed(2)).toBe('0.00');
    const after = await simChecks(h);
    expect(after.postedTransactions).toBe(Number(before.postedTransactions) + 1);
    expect(after.trialBalance).toBe('0.00');
    expect(
      d((await sage<Row>(h, l, `customers/${customer.id}`)).balance)
        .minus(balanceBefore)
        .toFixed(2),
    ).toBe('160.00');
  });

  it('posts a credit note, a bill and a bill credit note with the right trader balances', async () => {
    const customer = gbpCustomer();
    const supplier = gbpSupplier();
    const cBefore = d((await sage<Row>(h, l, `customers/${customer.id}`)).balance);
    const sBefore = d((await sage<Row>(h, l, `suppliers/${supplier.id}`)).balance);
    const line = (acc: string) => [
      {
        description: 'x',
        quantity: 1,
        unitAmount: 50,
        taxRateRef: { id: String(rate(20).id) },
        accountRef: { id: String(nominal(acc).id) },
      },
    ];
    const cn = await ok(
      await push(h, l, 'creditNotes', {
        creditNoteNumber: 'PUSH-CN-1',
        customerRef: { id: String(customer.id) },
        issueDate: '2026-10-21',
        lineItems: line('4000'),
        totalAmount: 60,
      }),
    );
    const bill = await ok(
      await push(h, l, 'bills', {
        reference: 'PUSH-BILL-1',
        supplierRef: { id: String(supplier.id) },
        issueDate: '2026-10-21',
        dueDate: '2026-11-20',
        lineItems: line('5000'),
        taxAmount: 10,
        totalAmount: 60,
      }),
    );
    const bcn = await ok(
      await push(h, l, 'billCreditNotes', {
        billCreditNoteNumber: 'PUSH-BCN-1',
        supplierRef: { id: String(supplier.id) },
        issueDate: '2026-10-22',
        lineItems: [{ ...line('5000')[0], unitAmount: 20 }],
      }),
    );
    expect(
      d((await sage<Row>(h, l, `customers/${customer.id}`)).balance)
        .minus(cBefore)
        .toFixed(2),
    ).toBe('-60.00');
    expect(
      d((await sage<Row>(h, l, `suppliers/${supplier.id}`)).balance)
        .minus(sBefore)
        .abs()
        .toFixed(2),
    ).toBe('36.00');
    const billRow = await sage<Row>(h, l, `purchase_posted_transactions/${bill.changes![0].recordRef.id}`);
    expect(billRow.trader_transaction_type).toBe('TradingAccountEntryTypeInvoice');
    expect(cn.changes![0].recordRef.id).toBeTruthy();
    expect(bcn.changes![0].recordRef.id).toBeTruthy();
    expect((await simChecks(h)).trialBalance).toBe('0.00');
  });

  it('posts a payment and allocates it to the invoice named (outstanding falls to zero)', async () => {
    const customer = gbpCustomer();
    const inv = await ok(
      await push(h, l, 'invoices', {
        invoiceNumber: 'PUSH-INV-PAY',
        customerRef: { id: String(customer.id) },
        issueDate: '2026-10-23',
        lineItems: [
          {
            quantity: 1,
            unitAmount: 100,
            taxRateRef: { id: String(rate(20).id) },
            accountRef: { id: String(nominal('4000').id) },
          },
        ],
      }),
    );
    const invoiceId = inv.changes![0].recordRef.id;
    const bank = r.banks[0];
    const pay = await ok(
      await push(h, l, 'payments', {
        customerRef: { id: String(customer.id) },
        accountRef: { id: String(bank.id) },
        totalAmount: 120,
        date: '2026-10-25',
        reference: 'PUSH-REC-1',
        lines: [{ amount: 120, links: [{ type: 'Invoice', id: invoiceId, amount: -120 }] }],
      }),
    );
    const receipt = await sage<Row>(h, l, `sales_posted_transactions/${pay.changes![0].recordRef.id}`);
    expect(receipt.trader_transaction_type).toBe('TradingAccountEntryTypePurchasePaymentSalesReceipt');
    expect(d(receipt.document_outstanding_value).toFixed(2)).toBe('0.00');
    const invoice = await sage<Row>(h, l, `sales_posted_transactions/${invoiceId}`);
    expect(d(invoice.document_outstanding_value).toFixed(2)).toBe('0.00');
    expect(d(invoice.document_allocated_value).abs().toFixed(2)).toBe('120.00');
    expect((await simChecks(h)).trialBalance).toBe('0.00');
  });

  it('posts a bill payment to the supplier account', async () => {
    const supplier = gbpSupplier();
    const before = d((await sage<Row>(h, l, `suppliers/${supplier.id}`)).balance);
    const res = await ok(
      await push(h, l, 'billPayments', {
        supplierRef: { id: String(supplier.id) },
        accountRef: { id: String(r.banks[0].id) },
        totalAmount: 75,
        date: '2026-10-26',
        reference: 'PUSH-PAY-1',
      }),
    );
    const row = await sage<Row>(h, l, `purchase_posted_transactions/${res.changes![0].recordRef.id}`);
    expect(d(row.document_gross_value).abs().toFixed(2)).toBe('75.00');
    expect(
      d((await sage<Row>(h, l, `suppliers/${supplier.id}`)).balance)
        .minus(before)
        .abs()
        .toFixed(2),
    ).toBe('75.00');
  });
});

describe('orders, items and accounts', () => {
  it('creates, updates and deletes an item (product)', async () => {
    const res = await ok(
      await push(h, l, 'items', {
        code: 'PUSH-ITEM-1',
        name: 'Push bracket',
        invoiceItem: { description: 'Steel bracket', taxRateRef: { id: String(rate(20).id) } },
      }),
    );
    const id = res.changes![0].recordRef.id;
    expect((await sage<Row>(h, l, `products/${id}`)).code).toBe('PUSH-ITEM-1');
    await ok(await push(h, l, 'items', { name: 'Push bracket v2' }, { recordId: id }));
    expect((await sage<Row>(h, l, `products/${id}`)).name).toBe('Push bracket v2');
    const del = await ok(await push(h, l, 'items', null, { method: 'DELETE', recordId: id }));
    expect(del.changes![0].type).toBe('Deleted');
    await expect(sage(h, l, `products/${id}`)).rejects.toThrow(/404/);
  });

  it('creates a sales order with stock and free-text lines; per-line tax codes survive', async () => {
    const product = (await sage<Row[]>(h, l, 'products', { $top: '1', $orderby: 'id asc' }))[0];
    const res = await ok(
      await push(h, l, 'salesOrders', {
        salesOrderNumber: 'PO-CUST-77',
        customerRef: { id: String(gbpCustomer().id) },
        issueDate: '2026-10-27',
        lineItems: [
          { quantity: 2, unitAmount: 10, itemRef: { id: String(product.id) }, taxRateRef: { id: String(rate(20).id) } },
          { description: 'Setup', quantity: 1, unitAmount: 30, taxRateRef: { id: String(rate(0).id) } },
        ],
      }),
    );
    const id = res.changes![0].recordRef.id;
    const order = await sage<Row>(h, l, `sop_orders/${id}`, { $expand: 'lines' });
    expect(order.customer_document_no).toBe('PO-CUST-77');
    expect((order.lines as Row[]).map((x) => x.tax_code_id)).toEqual([rate(20).id, rate(0).id]);
    expect(d(order.total_tax_value).toFixed(2)).toBe('4.00');
    await ok(await push(h, l, 'salesOrders', { deliveryDate: '2026-11-05' }, { recordId: id }));
    expect(String((await sage<Row>(h, l, `sop_orders/${id}`)).promised_delivery_date)).toMatch(/^2026-11-05/);
  });

  it('creates a purchase order', async () => {
    const res = await ok(
      await push(h, l, 'purchaseOrders', {
        purchaseOrderNumber: 'SUP-REF-9',
        supplierRef: { id: String(gbpSupplier().id) },
        issueDate: '2026-10-27',
        lineItems: [{ description: 'Steel', quantity: 10, unitAmount: 7.5, taxRateRef: { id: String(rate(20).id) } }],
      }),
    );
    const order = await sage<Row>(h, l, `pop_orders/${res.changes![0].recordRef.id}`, { $expand: 'lines' });
    expect(order.supplier_document_no).toBe('SUP-REF-9');
    expect(d(order.total_net_value).toFixed(2)).toBe('75.00');
  });

  it('creates an account (nominal code) in a report category', async () => {
    const opts = (await (
      await h.server.fetch(`/companies/${l.companyId}/connections/${l.connectionId}/options/accounts`)
    ).json()) as Row;
    const category = (opts.properties.fullyQualifiedCategory.options as Row[]).find((o) =>
      String(o.value).startsWith('Expense.'),
    )!;
    const res = await ok(
      await push(h, l, 'accounts', {
        nominalCode: '7999',
        name: 'Push test expenses',
        fullyQualifiedCategory: category.value,
      }),
    );
    const row = await sage<Row>(h, l, `nominal_codes/${res.changes![0].recordRef.id}`);
    expect(row.reference).toBe('7999');
  });
});

describe('after a write', () => {
  it('queues a targeted sync of the data type and records the write webhook event', async () => {
    const res = await ok(await push(h, l, 'customers', { customerName: 'Webhook Check Ltd', status: 'Active' }));
    const db = h.server.store.db;
    const datasets = await db
      .selectFrom('datasets')
      .select(['data_type', 'trigger'])
      .where('company_id', '=', l.companyId)
      .execute();
    expect(datasets).toEqual(expect.arrayContaining([{ data_type: 'customers', trigger: 'push' }]));
    const events = await db
      .selectFrom('webhook_events')
      .select(['event_type', 'body'])
      .where('company_id', '=', l.companyId)
      .execute();
    const ev = events.find(
      (e) => e.event_type === 'customers.write.successful' && String(e.body).includes(res.pushOperationKey),
    );
    expect(ev).toBeTruthy();
  });
});
