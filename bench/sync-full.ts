// Benchmark: a full sync of posted sales invoices from the Sage 200 simulator over loopback, against the limit
// measured in the same run (downloading the same pages raw: same resource, $filter, $expand, $orderby and $top,
// JSON-parsed; plus bulk-inserting the same rows into the same database), then incremental syncs: invoices with
// nothing changed (posted transactions cannot be edited through the API) and customers after 1% of them changed,
// each against its full sync. Lookups are cold for every full sync (the per-connection lookup cache is cleared).
// Prints ratios and peak RSS. The simulator runs in this process, so RSS includes its books.
// Run: npx tsx bench/sync-full.ts [--scale 1] [--page-size 5000] [--separate-sim]
//   (DATABASE_URL=postgres://... for PostgreSQL). --separate-sim runs the simulator in its own process, so the peak
//   RSS printed is Ledgerlink's alone (the simulator's is printed beside it).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../simulator/demo.ts';
import { clearLookupCaches } from '../src/connectors/sage200/read/lookup-cache.ts';
import { dialectOf } from '../src/store/json.ts';
import { toStagedRow } from '../src/sync/records-store.ts';
import { startSyncHarness } from '../test/sync/sage-harness.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    'page-size': { type: 'string', default: '5000' },
    'separate-sim': { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const pageSize = Number(values['page-size']);
const log = (s: string) => console.log(`[bench] ${s}`);
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

let peakRss = 0;
let simPeakRss = 0;
let simPid: number | undefined;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  if (simPid) {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${simPid}/status`, 'utf8'));
    if (m) simPeakRss = Math.max(simPeakRss, Number(m[1]) * 1024);
  }
}, 100);

/** The simulator in its own process (`ledgerlink simulator`), resolved once it prints its URL. */
async function separateSimulator(): Promise<{ url: string; close(): Promise<void> }> {
  const child = spawn(process.execPath, ['bin/ledgerlink.mjs', 'simulator', '--port', '0', '--scale', String(scale)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  simPid = child.pid;
  // never leave the simulator behind, even when the run fails
  process.once('exit', () => child.kill());
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        simPid = undefined;
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

log(`starting simulator (scale ${scale}) and Ledgerlink (${process.env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'})`);
const h = await startSyncHarness({
  scale,
  ...(values['separate-sim'] ? { sim: await separateSimulator() } : {}),
  // no scheduler ticks: at large sizes a tick would queue the company's other data types mid-run
  engine: {
    worker: { pollMs: 50, concurrency: 1 },
    pipeline: { pageSize },
    validate: null,
    schedulerTickMs: 86_400_000,
  },
});
const l = await h.link(1);
const demo = DEMO_COMPANIES[0]!;
const db = h.server.store.db;

async function timedSync(dataType: string, full = false) {
  const t = performance.now();
  const d = await h.syncAndWait(l.companyId, dataType, full ? '?full=true' : '', 3_600_000);
  const ms = performance.now() - t;
  const row = await db.selectFrom('datasets').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow();
  if (d.status !== 'Complete') throw new Error(`${dataType} ended ${d.status}: ${d.errorMessage}`);
  return { ms, records: row.records_fetched, modified: row.records_modified };
}

// 2c. Where the time goes: the connector alone (Sage lookups + mapping, no storage), same page size.
const { createConnectionResolver } = await import('../src/sync/connection-context.ts');
const { createLogger } = await import('../src/logger.ts');
const resolved = await createConnectionResolver({
  db,
  keyring: h.server.keyring,
  config: h.server.config,
  logger: createLogger({ level: 'silent' }),
})(l.connectionId);
let t = performance.now();
let connectorRows = 0;
for await (const p of resolved.connector.read(resolved.ctx, 'invoices', { pageSize }))
  connectorRows += p.records.length;
const connectorMs = performance.now() - t;
log(
  `connector read alone (also warms the simulator's lazily built views): ${connectorRows} invoices in ${secs(connectorMs)}`,
);

// 1. Full sync (cold lookups).
clearLookupCaches();
const full = await timedSync('invoices', true);
log(
  `full sync: ${full.records} invoices in ${secs(full.ms)} (${Math.round(full.records / (full.ms / 1000))} records/s); engine overhead over the connector ${secs(full.ms - connectorMs)}`,
);

// 2a. Limit: download the same collection raw, same page size, parse each page.
const headers = {
  Authorization: `Bearer ${l.accessToken}`,
  'X-Site': demo.siteId,
  'X-Company': String(demo.companyId),
  'Ocp-Apim-Subscription-Key': DEMO_SUBSCRIPTION_KEY,
};
// the connector's query for invoices (src/connectors/sage200/read/invoices.ts)
const SAME_QUERY = [
  '$orderby=id asc',
  "$filter=trader_transaction_type eq 'TradingAccountEntryTypeInvoice' or trader_transaction_type eq 'TradingAccountEntryTypeOpeningBalanceInvoice'",
  '$expand=tax_analysis_items,nominal_analysis_items,allocation_session_items',
]
  .map((p) => p.replace(/=(.*)$/, (_, v: string) => `=${encodeURIComponent(v)}`))
  .join('&');
t = performance.now();
let rawRows = 0;
for (let skip = 0; ; skip += pageSize) {
  const res = await fetch(
    `${h.sim.url}/uk/sage200/accounts/v1/sales_posted_transactions?${SAME_QUERY}&$top=${pageSize}&$skip=${skip}`,
    { headers },
  );
  const page = (await res.json()) as unknown[];
  rawRows += page.length;
  if (page.length < pageSize) break;
}
const downloadMs = performance.now() - t;

// 2b. Limit: bulk-insert the same rows into a table shaped like `records`, one transaction per page.
// Rows are read back one page at a time (not timed), so memory stays at one page as in the sync.
async function storedPage(after: string) {
  const page = await db
    .selectFrom('records')
    .select(['record_id', 'content'])
    .where('company_id', '=', l.companyId)
    .where('data_type', '=', 'invoices')
    .where('record_id', '>', after)
    .orderBy('record_id')
    .limit(pageSize)
    .execute();
  return page.map((r) => toStagedRow(typeof r.content === 'string' ? JSON.parse(r.content) : (r.content as never)));
}
// shaped like `records`: on PostgreSQL its definition and indexes (the content column's lz4 compression included)
if (dialectOf(db) === 'postgres') {
  await sql`create table bench_records (like records including defaults including constraints
              including compression including indexes)`.execute(db);
} else {
  await sql`create table bench_records as select * from records where 1 = 0`.execute(db);
  await sql`create unique index bench_records_key on bench_records (company_id, data_type, record_id)`.execute(db);
}
let insertMs = 0;
let inserted = 0;
for (let after = '', i = 0; ; i += pageSize) {
  const chunk = await storedPage(after);
  if (chunk.length === 0) break;
  after = chunk[chunk.length - 1].record_id;
  inserted += chunk.length;
  t = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let j = 0; j < chunk.length; j += 1000) {
      await trx
        .insertInto('bench_records' as never)
        .values(
          chunk.slice(j, j + 1000).map((r, k) => ({
            id: i + j + k + 1,
            company_id: l.companyId,
            data_type: 'invoices',
            record_id: r.record_id,
            connection_id: l.connectionId,
            content: r.content,
            content_hash: r.content_hash,
            source_modified_date: r.source_modified_date,
            modified_date: new Date().toISOString(),
            is_deleted: 0,
            dataset_id: 'bench',
          })) as never,
        )
        .execute();
    }
  });
  insertMs += performance.now() - t;
}
await sql`drop table bench_records`.execute(db);
const limitMs = downloadMs + insertMs;
log(
  `limit: raw download ${rawRows} rows ${secs(downloadMs)} + bulk insert ${inserted} rows ${secs(insertMs)} = ${secs(limitMs)}`,
);

// 3a. Incremental invoices, nothing changed (date_time_updated keyset read + id listing), against the full sync.
const incrInvoices = await timedSync('invoices');

// 3b. Incremental after 1% of customers change, against a full customers sync (cold lookups).
clearLookupCaches();
const fullCustomers = await timedSync('customers', true);
const customers = (await (
  await fetch(`${h.sim.url}/uk/sage200/accounts/v1/customers?$orderby=id%20asc&$top=5000`, { headers })
).json()) as { id: number; name: string }[];
const changeCount = Math.max(1, Math.round(customers.length / 100));
for (const c of customers.slice(0, changeCount)) {
  await fetch(`${h.sim.url}/uk/sage200/accounts/v1/customers/${c.id}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `${c.name} *` }),
  });
}
const incr = await timedSync('customers');
clearInterval(sampler);

console.log('');
console.log(`full sync / limit           : ${(full.ms / limitMs).toFixed(2)}x   (target <= 1.5x)`);
console.log(
  `incremental invoices / full : ${((incrInvoices.ms / full.ms) * 100).toFixed(1)}%  (${incrInvoices.records} re-read, ${incrInvoices.modified} modified; nothing changed)`,
);
console.log(
  `incremental / full (1% chg) : ${((incr.ms / fullCustomers.ms) * 100).toFixed(1)}%  (${incr.modified} of ${fullCustomers.records} customers modified; target <= 5%)`,
);
const mb = (n: number) => Math.round(n / 1048576);
console.log(
  values['separate-sim']
    ? `peak RSS, Ledgerlink alone  : ${mb(peakRss)} MB   (target < 400 MB; simulator process ${mb(simPeakRss)} MB)`
    : `peak RSS (incl. simulator)  : ${mb(peakRss)} MB   (target < 400 MB)`,
);
await h.close();
