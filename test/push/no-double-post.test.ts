// No double posting: Sage processes the posting but the answer is lost (502 / dropped connection), or our process
// dies between sending and recording. Each retry looks for the earlier posting by our marker before sending again;
// the books must hold exactly one document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../simulator/server.ts';
import { pushMarker } from '../../src/connectors/sage200/write/ledger.ts';
import { pushServiceOf } from '../../src/http/routes/push.ts';
import { createLogger } from '../../src/logger.ts';
import { createPushService } from '../../src/push/platform.ts';
import { type FaultProxy, startFaultProxy } from './fault-proxy.ts';
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
  testClock,
} from './harness.ts';

type Row = Record<string, any>;
let sim: Simulator;
let proxy: FaultProxy;
let h: Harness;
let l: Linked;
let r: Awaited<ReturnType<typeof refs>>;
const crashKeys = new Set<string>();
const clock = testClock();

beforeAll(async () => {
  sim = await startSim();
  proxy = await startFaultProxy(sim.url);
  h = await startHarness(
    sim,
    { crashAfterSourceWrite: (key) => crashKeys.delete(key), retryDelayMs: () => 50, leaseMs: 60_000 },
    clock,
    `${proxy.url}/uk/sage200/accounts/v1/`,
  );
  l = await linkCompany(h, 1);
  r = await refs(h, l);
});
afterAll(async () => {
  await h?.close();
  await proxy?.close();
  await sim?.close();
});

const std = () => r.taxCodes.find((t) => Number(t.tax_rate) === 20)!;
const body = (n: string) => ({
  invoiceNumber: n,
  customerRef: { id: String(r.customers[0].id) },
  issueDate: '2026-10-20',
  lineItems: [{ description: 'Widgets', quantity: 3, unitAmount: 10, taxRateRef: { id: String(std().id) } }],
});

async function postedWithMarker(key: string): Promise<Row[]> {
  return sage<Row[]>(h, l, 'sales_posted_transactions', {
    $filter: `second_reference eq '${pushMarker(key)}'`,
    $orderby: 'id asc',
  });
}
const postsTo = (resource: string) => proxy.seen.filter((s) => s === `POST /uk/sage200/accounts/v1/${resource}`).length;

describe('Sage answers 5xx (or drops the connection) after posting', () => {
  for (const mode of ['502', 'drop'] as const) {
    it(`retries without a duplicate (${mode})`, async () => {
      const before = await simChecks(h);
      const postsBefore = postsTo('sales_invoices');
      proxy.failNext((m, p) => m === 'POST' && p.endsWith('/sales_invoices'), 1, mode);
      const res = await push(h, l, 'invoices', body(`NDP-${mode}`));
      expect(res.body.status).toBe('Success');
      const key = res.body.pushOperationKey;
      expect(postsTo('sales_invoices') - postsBefore).toBe(1);
      const rows = await postedWithMarker(key);
      expect(rows).toHaveLength(1);
      expect(res.body.changes![0].recordRef.id).toBe(String(rows[0].id));
      const after = await simChecks(h);
      expect(after.postedTransactions).toBe(Number(before.postedTransactions) + 1);
      const row = await pushServiceOf(h.server.app).store.get(key);
      expect(row?.attempts).toBe(2);
    });
  }
});

describe('a payment whose allocation answer is lost', () => {
  it('the retry finds the receipt and its allocation: one receipt, allocated once', async () => {
    const inv = await push(h, l, 'invoices', body('NDP-PAY-INV'));
    expect(inv.body.status).toBe('Success');
    const invoiceId = inv.body.changes![0].recordRef.id;
    proxy.failNext((m, p) => m === 'POST' && p.endsWith('/sales_allocations'), 1, 'drop');
    const allocationsBefore = postsTo('sales_allocations');
    const pay = await push(h, l, 'payments', {
      customerRef: { id: String(r.customers[0].id) },
      accountRef: { id: String(r.banks[0].id) },
      totalAmount: 36,
      date: '2026-10-25',
      lines: [{ amount: 36, links: [{ type: 'Invoice', id: invoiceId, amount: -36 }] }],
    });
    expect(pay.body.status, JSON.stringify(pay.body)).toBe('Success');
    expect(postsTo('sales_allocations') - allocationsBefore).toBe(1);
    const receipts = await sage<Row[]>(h, l, 'sales_posted_transactions', {
      $filter: `second_reference eq '${pushMarker(pay.body.pushOperationKey)}'`,
    });
    expect(receipts).toHaveLength(1);
    const invoice = await sage<Row>(h, l, `sales_posted_transactions/${invoiceId}`);
    expect(Number(invoice.document_outstanding_value)).toBe(0);
    expect(Math.abs(Number(invoice.document_allocated_value))).toBe(36);
  });
});

describe('compensation: a later step refused', () => {
  it('a receipt posted whose allocation Sage refuses fails saying what remains, naming the receipt', async () => {
    const inv = await push(h, l, 'invoices', body('NDP-COMP-INV'));
    const invoiceId = inv.body.changes![0].recordRef.id;
    // Sage refuses the allocation (the amount no longer fits): a real 400 from the simulator's books
    proxy.rewriteNext(
      (m, p) => m === 'POST' && p.endsWith('/sales_allocations'),
      1,
      (b) => ({ ...b, allocation_lines: b.allocation_lines.map((x: Row) => ({ ...x, value_to_allocate: 999999 })) }),
    );
    const pay = await push(h, l, 'payments', {
      customerRef: { id: String(r.customers[0].id) },
      accountRef: { id: String(r.banks[0].id) },
      totalAmount: 36,
      date: '2026-10-25',
      reference: 'COMP-1',
      lines: [{ amount: 36, links: [{ type: 'Invoice', id: invoiceId, amount: -36 }] }],
    });
    expect(pay.body.status).toBe('Failed');
    expect(pay.body.errorMessage).toMatch(
      /The receipt was posted to Sage 200 \(id \d+, reference COMP-1\) but allocating it failed: .*remains on the customer's account unallocated/,
    );
    const receiptId = pay.body.changes![0].recordRef.id;
    const receipt = await sage<Row>(h, l, `sales_posted_transactions/${receiptId}`);
    expect(Math.abs(Number(receipt.document_outstanding_value))).toBe(36);
    expect(Number((await sage<Row>(h, l, `sales_posted_transactions/${invoiceId}`)).document_outstanding_value)).toBe(
      36,
    );
  });
});

describe('the process dies between sending and recording', () => {
  it('recovery after the lease finds the posting by marker and records it once', async () => {
    const service = pushServiceOf(h.server.app);
    const key = crypto.randomUUID();
    crashKeys.add(key);
    const before = await simChecks(h);
    const first = await service.start({
      pushOperationKey: key,
      tenantId: h.server.tenantId,
      companyId: l.companyId,
      connectionId: l.connectionId,
      dataType: 'invoices',
      operation: 'create',
      body: body('NDP-CRASH'),
    });
    // the "crashed" process recorded the attempt but not the outcome
    expect(first.status).toBe('Pending');
    expect(first.attempts).toBe(1);
    expect(await postedWithMarker(key)).toHaveLength(1);

    // another process (a fresh service on the same database) resumes it once the lease has lapsed
    const other = createPushService({
      db: h.server.store.db,
      keyring: h.server.keyring,
      config: h.server.config,
      logger: createLogger({ level: 'silent' }),
      clock,
    });
    expect(await other.recover()).toHaveLength(0); // still leased: nobody else touches it
    clock.advance(61_000);
    const resumed = await other.recover();
    expect(resumed.map((x) => x.push_operation_key)).toContain(key);
    const done = await other.store.get(key);
    expect(done?.status).toBe('Success');
    expect(done?.attempts).toBe(2);
    expect(await postedWithMarker(key)).toHaveLength(1);
    expect((await simChecks(h)).postedTransactions).toBe(Number(before.postedTransactions) + 1);
  });

  it('a customer created before a crash is not created twice', async () => {
    const service = pushServiceOf(h.server.app);
    const key = crypto.randomUUID();
    crashKeys.add(key);
    await service.start({
      pushOperationKey: key,
      tenantId: h.server.tenantId,
      companyId: l.companyId,
      connectionId: l.connectionId,
      dataType: 'customers',
      operation: 'create',
      body: { customerName: 'Crashy Customer Ltd', status: 'Active' },
    });
    clock.advance(61_000);
    await service.recover();
    const done = await service.store.get(key);
    expect(done?.status).toBe('Success');
    const rows = await sage<Row[]>(h, l, 'customers', { $filter: "name eq 'Crashy Customer Ltd'" });
    expect(rows).toHaveLength(1);
  });
});
