// Benchmark: push throughput with Idempotency-Key on, as a ratio to raw POST throughput against the simulator,
// measured in the same run. Both post the same sales invoices (two lines, two tax codes) to the same simulator
// company; "raw" is a client POSTing Sage bodies straight to /sales_invoices, "push" goes through the Ledgerlink API
// (validate, resolve references, post once by marker, resolve the URN, read-map the record, record the operation,
// outbox event, follow-up sync queued). Run: npx tsx bench/push-throughput.ts [--count 300] [--concurrency 1]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../simulator/demo.ts';
import { linkCompany, refs, startHarness, startSim } from '../test/push/harness.ts';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '1' } },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
if (!Number.isInteger(count) || count < 10) throw new Error('--count must be an integer >= 10');
const log = (s: string) => console.log(`[bench] ${s}`);

const sim = await startSim();
const h = await startHarness(sim, { waitMs: 60_000 });
const l = await linkCompany(h, 1);
const r = await refs(h, l);
const demo = DEMO_COMPANIES[0]!;
const customer = r.customers[0]!;
const t20 = r.taxCodes.find((t) => Number(t.tax_rate) === 20)!;
const t0 = r.taxCodes.find((t) => Number(t.tax_rate) === 0)!;
const n4000 = r.nominals.find((n) => n.reference === '4000')!;

async function pool(n: number, worker: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await worker(i);
    }),
  );
  return (performance.now() - started) / 1000;
}

// 1. raw: the Sage body a push would send, POSTed straight to the simulator (no lookups, no read-back)
const sageHeaders = {
  authorization: `Bearer ${l.accessToken}`,
  'x-site': demo.siteId,
  'x-company': String(demo.companyId),
  'ocp-apim-subscription-key': DEMO_SUBSCRIPTION_KEY,
  'content-type': 'application/json',
};
const rawBody = (i: number) => ({
  customer_id: customer.id,
  transaction_date: '2026-10-20T00:00:00Z',
  reference: `RAW-${i}`,
  second_reference: `RAW${i}`,
  document_goods_value: 140,
  document_tax_value: 20,
  tax_analysis_items: [
    { id: t20.id, goods_amount: 100, tax_amount: 20 },
    { id: t0.id, goods_amount: 40, tax_amount: 0 },
  ],
  nominal_analysis_items: [
    { code: n4000.reference, cost_centre: '', department: '', narrative: 'Machining', value: 100 },
    { code: n4000.reference, cost_centre: '', department: '', narrative: 'Manuals', value: 40 },
  ],
});
const rawSeconds = await pool(count, async (i) => {
  const res = await fetch(`${sim.url}/uk/sage200/accounts/v1/sales_invoices`, {
    method: 'POST',
    headers: sageHeaders,
    body: JSON.stringify(rawBody(i)),
  });
  if (res.status !== 200) throw new Error(`raw POST ${res.status} ${await res.text()}`);
  await res.json();
});
const rawRate = count / rawSeconds;
log(`raw POST /sales_invoices: ${count} in ${rawSeconds.toFixed(2)} s = ${rawRate.toFixed(1)}/s`);

// 2. push through Ledgerlink with an Idempotency-Key per request
const pushBody = (i: number) => ({
  invoiceNumber: `PUSH-${i}`,
  customerRef: { id: String(customer.id) },
  issueDate: '2026-10-20',
  lineItems: [
    {
      description: 'Machining',
      quantity: 4,
      unitAmount: 25,
      taxRateRef: { id: String(t20.id) },
      accountRef: { id: String(n4000.id) },
    },
    {
      description: 'Manuals',
      quantity: 1,
      unitAmount: 40,
      taxRateRef: { id: String(t0.id) },
      accountRef: { id: String(n4000.id) },
    },
  ],
  totalAmount: 160,
});
const keys: string[] = [];
const pushSeconds = await pool(count, async (i) => {
  const key = randomUUID();
  keys[i] = key;
  const res = await h.server.fetch(`/companies/${l.companyId}/connections/${l.connectionId}/push/invoices`, {
    method: 'POST',
    headers: { ...h.server.headers(), 'Idempotency-Key': key },
    body: JSON.stringify(pushBody(i)),
  });
  const op = (await res.json()) as { status: string };
  if (op.status !== 'Success') throw new Error(`push ${i}: ${JSON.stringify(op)}`);
});
const pushRate = count / pushSeconds;
log(`push (Idempotency-Key on): ${count} in ${pushSeconds.toFixed(2)} s = ${pushRate.toFixed(1)}/s`);

// 3. replays of the same keys (a client retrying after timeouts): answered from the store, nothing sent
const replaySeconds = await pool(count, async (i) => {
  const res = await h.server.fetch(`/companies/${l.companyId}/connections/${l.connectionId}/push/invoices`, {
    method: 'POST',
    headers: { ...h.server.headers(), 'Idempotency-Key': keys[i]! },
    body: JSON.stringify(pushBody(i)),
  });
  if (res.headers.get('idempotent-replayed') !== 'true') throw new Error(`replay ${i} was not a replay`);
  await res.json();
});
const replayRate = count / replaySeconds;
log(`idempotent replays: ${count} in ${replaySeconds.toFixed(2)} s = ${replayRate.toFixed(1)}/s`);

console.log(
  JSON.stringify(
    {
      count,
      concurrency,
      database: h.server.store.dialect,
      rawPostsPerSecond: Number(rawRate.toFixed(1)),
      pushesPerSecond: Number(pushRate.toFixed(1)),
      pushToRawRatio: Number((pushRate / rawRate).toFixed(3)),
      replaysPerSecond: Number(replayRate.toFixed(1)),
      peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024),
    },
    null,
    2,
  ),
);
await h.close();
await sim.close();
