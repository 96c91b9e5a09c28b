// Micro benchmark: the Sage 200 read mappers alone (posted documents, ledger payments, journal entries) over real
// simulator pages, against JSON.parse of the same page bytes measured in the same run. Pages are downloaded once
// (not timed); each round parses every page, then maps its rows, timing the two apart.
// Run: npx tsx bench/map-documents.ts [--scale 2] [--page-size 5000] [--rounds 5] [--only invoices,payments]
//   [--company 1] (a DEMO_COMPANIES id: 2 is the EUR-based Irish company, 3 the sandbox)
//   --dump FILE writes every mapped record (the differential baseline); --check FILE compares the output with it
//   byte for byte (JSON text per record) and exits 1 on the first difference.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { DEMO_COMPANIES } from '../simulator/demo.ts';
import { startSimulator } from '../simulator/server.ts';
import type { ConnectionContext, StandardRecord } from '../src/connectors/connector.ts';
import { createSageAuth } from '../src/connectors/sage200/auth.ts';
import { Sage200Client } from '../src/connectors/sage200/client.ts';
import type { Lookups } from '../src/connectors/sage200/mapping/lookups.ts';
import { TRADER, traderFilter } from '../src/connectors/sage200/mapping/sage.ts';
import { mapBillCreditNote } from '../src/connectors/sage200/read/billCreditNotes.ts';
import { mapBillPayment } from '../src/connectors/sage200/read/billPayments.ts';
import { mapBill } from '../src/connectors/sage200/read/bills.ts';
import { readAll } from '../src/connectors/sage200/read/common.ts';
import { mapCreditNote } from '../src/connectors/sage200/read/creditNotes.ts';
import { mapInvoice, POSTED_EXPAND } from '../src/connectors/sage200/read/invoices.ts';
import { mapJournalEntry } from '../src/connectors/sage200/read/journalEntries.ts';
import { type LookupNeed, loadLookups } from '../src/connectors/sage200/read/lookups.ts';
import { mapPayment } from '../src/connectors/sage200/read/payments.ts';
import { loadSopLines, type SopLineIndex } from '../src/connectors/sage200/read/sopLines.ts';
import { signInAtSage, simCredentials } from '../test/connector/sim-login.ts';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '2' },
    'page-size': { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '5' },
    only: { type: 'string' },
    company: { type: 'string', default: '1' },
    dump: { type: 'string' },
    check: { type: 'string' },
  },
});
const scale = Number(values.scale);
const pageSize = Number(values['page-size']);
const rounds = Math.max(1, Number(values.rounds));
const company = DEMO_COMPANIES.find((c) => c.companyId === Number(values.company)) ?? DEMO_COMPANIES[0]!;
const log = (s: string) => console.log(`[bench] ${s}`);

type Row = Record<string, unknown>;
type Ctx = { lk: Lookups; sop: SopLineIndex; names: Map<number, string | null> };
interface Case {
  name: string;
  resource: string;
  query: Record<string, string>;
  needs: LookupNeed[];
  /** maps one page of parsed rows */
  map: (rows: Row[], c: Ctx) => StandardRecord[];
}

const perRow =
  (f: (row: Row, c: Ctx) => StandardRecord) =>
  (rows: Row[], c: Ctx): StandardRecord[] => {
    const out: StandardRecord[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = f(rows[i], c);
    return out;
  };

const posted = (types: readonly string[], expand = POSTED_EXPAND) => ({
  $orderby: 'id asc',
  $filter: traderFilter(types),
  $expand: expand,
});
const SALES = ['taxCodes', 'customers', 'nominalCodes', 'tracking', 'salesUrns'] as LookupNeed[];
const PURCHASE = ['taxCodes', 'suppliers', 'nominalCodes', 'tracking', 'purchaseUrns'] as LookupNeed[];
const PAY = [...TRADER.payment, ...TRADER.refund];

const cases: Case[] = [
  {
    name: 'invoices',
    resource: 'sales_posted_transactions',
    query: posted(TRADER.invoice),
    needs: SALES,
    map: perRow((r, c) => mapInvoice(r, c.lk, c.sop)),
  },
  {
    name: 'creditNotes',
    resource: 'sales_posted_transactions',
    query: posted(TRADER.creditNote),
    needs: SALES,
    map: perRow((r, c) => mapCreditNote(r, c.lk, c.sop)),
  },
  {
    name: 'bills',
    resource: 'purchase_posted_transactions',
    query: posted(TRADER.invoice),
    needs: PURCHASE,
    map: perRow((r, c) => mapBill(r, c.lk)),
  },
  {
    name: 'billCreditNotes',
    resource: 'purchase_posted_transactions',
    query: posted(TRADER.creditNote),
    needs: PURCHASE,
    map: perRow((r, c) => mapBillCreditNote(r, c.lk)),
  },
  {
    name: 'payments',
    resource: 'sales_posted_transactions',
    query: posted(PAY, 'allocation_session_items,bank_items'),
    needs: ['customers', 'banks', 'salesUrns'],
    map: perRow((r, c) => mapPayment(r, c.lk)),
  },
  {
    name: 'billPayments',
    resource: 'purchase_posted_transactions',
    query: posted(PAY, 'allocation_session_items,bank_items'),
    needs: ['suppliers', 'banks', 'purchaseUrns'],
    map: perRow((r, c) => mapBillPayment(r, c.lk)),
  },
  {
    name: 'journalEntries',
    resource: 'nominal_transaction_enquiry_views',
    query: { $orderby: 'urn asc,id asc' },
    needs: ['salesUrns', 'purchaseUrns'],
    // groups by URN within the page (the reader carries a cut group to the next page; not needed for timing)
    map: (rows, c) => {
      const ctx = { names: c.names, baseCurrency: c.lk.baseCurrency, urns: c.lk.urns };
      const out: StandardRecord[] = [];
      let start = 0;
      for (let i = 1; i <= rows.length; i++)
        if (i === rows.length || rows[i].urn !== rows[start].urn) {
          out.push(mapJournalEntry(rows.slice(start, i), ctx));
          start = i;
        }
      return out;
    },
  },
];

/** Named so a --cpu-prof profile can be filtered to the mapping alone. */
function mapPage(c: Case, rows: Row[], ctx: Ctx): StandardRecord[] {
  return c.map(rows, ctx);
}

log(`starting simulator (scale ${scale})`);
const sim = await startSimulator({ port: 0, scale });
try {
  const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
  const auth = createSageAuth();
  const credentials = simCredentials(sim.url);
  const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 'bench', redirectUri: REDIRECT }));
  const code = new URL(location).searchParams.get('code') ?? '';
  const token = (await auth.exchangeCode(credentials, { code, redirectUri: REDIRECT })).accessToken;
  const ctx: ConnectionContext = {
    connectionId: 'bench',
    credentials,
    tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => token },
    source: { siteId: company.siteId, companyId: String(company.companyId) },
    logger: pino({ enabled: false }),
  };
  const client = new Sage200Client(ctx, { pageSize });
  const headers = {
    Authorization: `Bearer ${token}`,
    'X-Site': ctx.source.siteId,
    'X-Company': String(ctx.source.companyId),
    'Ocp-Apim-Subscription-Key': credentials.subscriptionKey ?? '',
  };

  async function rawPages(resource: string, query: Record<string, string>): Promise<string[]> {
    const pages: string[] = [];
    for (let skip = 0; ; skip += pageSize) {
      const q = new URLSearchParams({ ...query, $top: String(pageSize), $skip: String(skip) });
      const res = await fetch(`${credentials.apiBaseUrl}${resource}?${q}`, { headers });
      if (!res.ok) throw new Error(`${resource}: ${res.status} ${await res.text()}`);
      const text = await res.text();
      const n = (JSON.parse(text) as unknown[]).length;
      if (n > 0) pages.push(text);
      if (n < pageSize) return pages;
    }
  }

  // read when first compared, after the first timing (a 100 MB baseline on the heap slows the mapping measured)
  let baselineCache: Record<string, string[]> | undefined;
  const loadBaseline = (file: string) => {
    baselineCache ??= JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
    return baselineCache;
  };
  const dump: Record<string, string[]> = {};
  const only = values.only ? new Set(values.only.split(',')) : undefined;
  const keep = !!(values.dump || values.check);
  let failed = false;
  for (const c of cases) {
    if (only && !only.has(c.name)) continue;
    const [lk, sop, nominals] = await Promise.all([
      loadLookups(client, c.needs),
      c.name === 'invoices' || c.name === 'creditNotes' ? loadSopLines(client) : new Map(),
      readAll(client, 'nominal_codes', { select: 'id,name' }),
    ]);
    const names = new Map(nominals.map((n) => [Number(n.id), (n.name as string) ?? null]));
    const pages = await rawPages(c.resource, c.query);
    const bytes = pages.reduce((s, p) => s + p.length, 0);
    let parseMs = Infinity;
    let mapMs = Infinity;
    let docs = 0;
    let rows = 0;
    let out: StandardRecord[] = [];
    for (let r = 0; r < rounds; r++) {
      let p = 0;
      let m = 0;
      out = [];
      rows = 0;
      docs = 0;
      for (const text of pages) {
        const t0 = performance.now();
        const parsed = JSON.parse(text) as Row[];
        const t1 = performance.now();
        const mapped = mapPage(c, parsed, { lk, sop, names });
        m += performance.now() - t1;
        p += t1 - t0;
        rows += parsed.length;
        docs += mapped.length;
        // kept only to compare or write them: a heap holding every record would slow the mapping it measures
        if (keep) for (const x of mapped) out.push(x);
      }
      // best round: least disturbed by the other processes on a shared machine
      parseMs = Math.min(parseMs, p);
      mapMs = Math.min(mapMs, m);
    }
    const perPage = (ms: number) => ((ms / rows) * pageSize).toFixed(1);
    log(
      `${c.name.padEnd(15)} ${String(docs).padStart(6)} docs (${rows} rows, ${pages.length} pages, ${(bytes / 1e6).toFixed(1)} MB): ` +
        `map ${mapMs.toFixed(0)} ms = ${Math.round(docs / (mapMs / 1000))} docs/s, ${perPage(mapMs)} ms per ${pageSize} rows; ` +
        `JSON.parse ${parseMs.toFixed(0)} ms, ${perPage(parseMs)} ms per ${pageSize} rows; map/parse ${(mapMs / parseMs).toFixed(2)}`,
    );
    const texts = keep ? out.map((x) => JSON.stringify(x)) : [];
    if (values.dump) dump[c.name] = texts;
    if (values.check) {
      const want = loadBaseline(values.check)[c.name];
      if (!want) log(`${c.name}: not in the baseline, not compared`);
      else if (want.length !== texts.length) {
        log(`${c.name}: DIFFERENT record count ${texts.length}, baseline ${want.length}`);
        failed = true;
      } else {
        const i = texts.findIndex((t, k) => t !== want[k]);
        if (i >= 0) {
          log(`${c.name}: DIFFERENT record ${i}\n  now:      ${texts[i]}\n  baseline: ${want[i]}`);
          failed = true;
        } else log(`${c.name}: identical to the baseline (${texts.length} records)`);
      }
    }
  }
  if (values.dump) writeFileSync(values.dump, JSON.stringify(dump));
  if (failed) process.exitCode = 1;
} finally {
  await sim.close();
}
