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
    expect(JSON.stringify(cold)).toBe(text);
    expect(JSON.stringify(warm)).toBe(text);
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
