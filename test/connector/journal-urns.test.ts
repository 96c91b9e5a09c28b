// Journal entries point back at the document a ledger posting produced (recordRef), found through the URN maps of
// both ledgers. A cold sync does not wait for those maps: pages are resolved by URN-range reads until the maps are
// loaded. Every source must give the same journal entries, page boundaries (held-back groups) included.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITES } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import type { ConnectionContext, StandardRecord } from '../../src/connectors/connector.ts';
import { createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { Sage200Client } from '../../src/connectors/sage200/client.ts';
import type { Reader } from '../../src/connectors/sage200/read/common.ts';
import { journalReader, readJournalEntries } from '../../src/connectors/sage200/read/journalEntries.ts';
import { clearLookupCaches } from '../../src/connectors/sage200/read/lookup-cache.ts';
import { signInAtSage, simCredentials } from './sim-login.ts';

let sim: Simulator;
let accessToken: string;
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

function client(connectionId: string) {
  const ctx: ConnectionContext = {
    connectionId,
    credentials: simCredentials(sim.url),
    tokens: { getAccessToken: async () => accessToken, refreshAfterUnauthorized: async () => accessToken },
    source: { siteId: DEMO_SITES.hadley.siteId, companyId: '1' },
    logger: pino({ enabled: false }),
  };
  return new Sage200Client(ctx, { pageSize: 250 });
}

async function readAllPages(reader: Reader, connectionId: string, after?: string) {
  const out: StandardRecord[] = [];
  for await (const page of reader(client(connectionId), { pageSize: 250, after })) out.push(...page.records);
  return out;
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05, requestLog: true });
  const auth = createSageAuth();
  const credentials = simCredentials(sim.url);
  const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 'journal-urns', redirectUri: REDIRECT }));
  const code = new URL(location).searchParams.get('code') ?? '';
  accessToken = (await auth.exchangeCode(credentials, { code, redirectUri: REDIRECT })).accessToken;
});
afterAll(async () => {
  clearLookupCaches();
  await sim?.close();
});

describe('journal entries: URN maps or URN-range reads', () => {
  it('give the same entries, recordRefs included, on a cold and a warm cache', async () => {
    clearLookupCaches();
    const fromMaps = await readAllPages(journalReader('maps'), 'maps');
    await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
    const fromRanges = await readAllPages(journalReader('ranges'), 'ranges');
    const served = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as { url: string }[];
    // the range reads really ran, on both ledgers, and no URN map was loaded
    const ranged = served
      .map((r) => decodeURIComponent(r.url))
      .filter((u) => /\$filter=urn ge \d+ and urn le \d+/.test(u));
    expect(ranged.some((u) => u.includes('/sales_posted_transactions?'))).toBe(true);
    expect(ranged.some((u) => u.includes('/purchase_posted_transactions?'))).toBe(true);
    expect(served.some((r) => /posted_transactions\?\$orderby=id/.test(decodeURIComponent(r.url)))).toBe(false);
    clearLookupCaches();
    const cold = await readAllPages(readJournalEntries, 'race-cold');
    const warm = await readAllPages(readJournalEntries, 'race-cold');

    expect(fromMaps.length).toBeGreaterThan(500);
    const refs = fromMaps.filter((j) => j.recordRef);
    const kinds = new Set(refs.map((j) => (j.recordRef as { dataType: string }).dataType));
    // sales and purchase documents and payments are all pointed at
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['billPayments', 'bills', 'invoices', 'payments']));
    const text = JSON.stringify(fromMaps);
    expect(JSON.stringify(fromRanges)).toBe(text);
    // the product's reader reads a company this size in two halves at once: the same entries, pages interleaved
    const byUrn = (xs: StandardRecord[]) => [...xs].sort((a, b) => Number(a.id) - Number(b.id));
    expect(JSON.stringify(byUrn(cold))).toBe(text);
    expect(JSON.stringify(byUrn(warm))).toBe(text);
  }, 60_000);

  it('an incremental read (after a URN) resolves its pages the same way', async () => {
    clearLookupCaches();
    const all = await readAllPages(journalReader('maps'), 'inc-maps');
    const mid = Number(all[Math.floor(all.length / 2)]!.id);
    const after = JSON.stringify({ urn: mid });
    const a = await readAllPages(journalReader('maps'), 'inc-maps', after);
    const b = await readAllPages(journalReader('ranges'), 'inc-ranges', after);
    expect(a.length).toBeGreaterThan(100);
    expect(a.every((j) => Number(j.id) > mid)).toBe(true);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  }, 60_000);
});

describe('journal entries read in two halves', () => {
  type Page = { records: StandardRecord[]; cursor: string; nextSync?: string };
  async function pages(reader: Reader, connectionId: string, cursor?: string, stopAfter = Infinity) {
    const out: Page[] = [];
    for await (const page of reader(client(connectionId), { pageSize: 100, cursor })) {
      out.push(page as Page);
      if (out.length >= stopAfter) break;
    }
    return out;
  }
  const byId = (ps: Page[]) => {
    const m = new Map<string, string>();
    for (const p of ps) for (const r of p.records) m.set(r.id as string, JSON.stringify(r));
    return m;
  };

  it('give the entries of one pass, each whole, and resume from any page with nothing lost or cut', async () => {
    clearLookupCaches();
    const one = await pages(journalReader('maps', { streams: 1 }), 'halves');
    await fetch(`${sim.url}/_sim/requests`, { method: 'DELETE' });
    const two = await pages(journalReader('maps', { streams: 2 }), 'halves');
    const served = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as { url: string }[];
    const reads = served
      .map((r) => decodeURIComponent(r.url))
      .filter((u) => u.includes('nominal_transaction_enquiry_views?') && u.includes('$top=100&'));
    const k = (JSON.parse(two[0]!.cursor) as { split: { k: number } }).split.k;
    // the second half really ran: it started at row k - 1 (and dropped that row's group, read by the first half)
    expect(reads.some((u) => u.endsWith(`$skip=${k - 1}`))).toBe(true);
    expect(k).toBeGreaterThan(300);

    const want = byId(one);
    expect(want.size).toBeGreaterThan(500);
    expect(byId(two)).toEqual(want);
    const lastToken = one[one.length - 1]!.nextSync;
    const urnOf = (t?: string) => (JSON.parse(t ?? '{"urn":0}') as { urn: number }).urn;
    // tokens never go past the last URN, and the last page carries it
    expect(Math.max(...two.map((p) => urnOf(p.nextSync)))).toBe(urnOf(lastToken));
    expect(two[two.length - 1]!.nextSync).toBe(lastToken);

    // a worker stopped after page n resumes from that page's cursor
    for (const n of [1, 2, 3, 5, 8, 13, two.length - 1]) {
      const first = await pages(journalReader('maps', { streams: 2 }), 'halves', undefined, n);
      const rest = await pages(journalReader('maps', { streams: 2 }), 'halves', first[first.length - 1]!.cursor);
      expect(byId([...first, ...rest])).toEqual(want);
      expect([...first, ...rest].at(-1)!.nextSync).toBe(lastToken);
    }
  }, 120_000);
});
