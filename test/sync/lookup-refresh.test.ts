// Lookups kept between syncs are brought up to date incrementally: after a customer is renamed, an invoice posted
// and a receipt allocated in the simulator, a refresh of the cached lookups equals a cold load from the source, and
// costs one small request per piece (plus one for the SOP lines when documents were posted), none of them a full
// read. Real HTTP against the simulator through the real Sage 200 client.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import type { ConnectionContext } from '../../src/connectors/connector.ts';
import { Sage200Client } from '../../src/connectors/sage200/client.ts';
import type { SageReader } from '../../src/connectors/sage200/read/common.ts';
import { createLookupCache } from '../../src/connectors/sage200/read/lookup-cache.ts';
import { type LookupNeed, loadLookups } from '../../src/connectors/sage200/read/lookups.ts';
import { loadSopLines } from '../../src/connectors/sage200/read/sopLines.ts';
import { simCredentials } from '../connector/sim-login.ts';
import { STANDARD, sageHeaders, signIn, simPost } from '../simulator/helpers.ts';
import { postSalesInvoice } from './sage-harness.ts';

type Row = Record<string, unknown>;
const NEEDS: LookupNeed[] = [
  'taxCodes',
  'currencies',
  'customers',
  'suppliers',
  'nominalCodes',
  'tracking',
  'banks',
  'salesUrns',
  'purchaseUrns',
];

let sim: Simulator;
let token: string;
const requests: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05 });
  token = (await signIn(sim.url)).access_token;
});
afterAll(async () => {
  await sim?.close();
});

function reader(cache = true): SageReader {
  const ctx: ConnectionContext = {
    connectionId: 'lookup-refresh',
    credentials: simCredentials(sim.url),
    tokens: { getAccessToken: async () => token, refreshAfterUnauthorized: async () => token },
    source: { siteId: sageHeaders(token, 1)['x-site']!, companyId: '1' },
    logger: pino({ enabled: false }),
  };
  const counting: typeof fetch = (input, init) => {
    requests.push(decodeURIComponent(String(input)));
    return fetch(input, init);
  };
  const c = new Sage200Client(ctx, { fetch: counting });
  return { get: c.get.bind(c), pages: c.pages.bind(c), ...(cache ? { lookupCache: createLookupCache() } : {}) };
}

async function sage(method: string, path: string, body?: unknown): Promise<Row | Row[]> {
  const res = await fetch(`${sim.url}${STANDARD}${path}`, {
    method,
    headers: { ...sageHeaders(token, 1), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBe(200);
  return text ? JSON.parse(text) : {};
}

/** Everything the mappers can see, as plain sorted data. */
async function snapshot(r: SageReader) {
  const [lk, sop] = await Promise.all([loadLookups(r, NEEDS), loadSopLines(r)]);
  const plain = (m: Map<unknown, unknown>) =>
    [...m.entries()].sort((a, b) => String(a[0]).localeCompare(String(b[0]), 'en', { numeric: true }));
  return {
    baseCurrency: lk.baseCurrency,
    currencies: plain(lk.currencies),
    taxCodes: plain(lk.taxCodes),
    customers: plain(lk.customers),
    suppliers: plain(lk.suppliers),
    nominalCodes: plain(lk.nominalCodes),
    costCentres: plain(lk.costCentres),
    departments: plain(lk.departments),
    banks: plain(lk.banks),
    urns: plain(lk.urns),
    sop: plain(sop),
  };
}

/** The pieces a lookup load checks: one request each when nothing changed. */
const PIECES = 11; // currencies, tax codes, customers, suppliers, nominal codes, cost centres, departments, banks,
// sales URNs, purchase URNs, SOP lines

describe('cached lookups refreshed incrementally', () => {
  const cachedReader = () => warm;
  let warm: SageReader;

  beforeAll(async () => {
    warm = reader();
    await snapshot(warm);
    await simPost(sim.url, '/_sim/clock', { advanceSeconds: 5 });
  });
  afterAll(async () => {
    await simPost(sim.url, '/_sim/clock', { reset: true });
  });

  it('after a rename, a posted invoice and an allocated receipt, the cache equals a cold load, for a few requests', async () => {
    const [customer] = (await sage(
      'GET',
      "/customers?$filter=account_status_type eq 'AccountStatusActive'&$top=1",
    )) as Row[];
    const [bank] = (await sage('GET', '/banks?$top=1')) as Row[];
    await sage('PUT', `/customers/${customer!.id}`, { name: 'Renamed For Refresh Ltd' });
    const { urn } = await postSalesInvoice(sage, {
      customerId: customer!.id,
      reference: 'REFRESH1',
      date: '2026-10-20T00:00:00Z',
      narrative: 'Refresh test',
    });
    const [invoice] = (await sage('GET', `/sales_posted_transactions?$filter=urn eq ${urn}&$select=id`)) as Row[];
    await sage('POST', '/sales_receipts', {
      customer_id: customer!.id,
      bank_id: bank!.id,
      cheque_value: 100,
      allocation_lines: [{ posted_tran_id: invoice!.id, value_to_allocate: 50 }],
    });

    requests.length = 0;
    const refreshed = await snapshot(cachedReader());
    const made = [...requests];
    const cold = await snapshot(reader(false));

    expect(refreshed).toEqual(cold);
    const renamed = refreshed.customers.find(([id]) => id === customer!.id)![1] as { name: string };
    expect(renamed.name).toBe('Renamed For Refresh Ltd');
    const urns = new Map(refreshed.urns as [number, { id: number; type: string }][]);
    expect(urns.get(Number(urn))).toMatchObject({ id: invoice!.id, type: 'TradingAccountEntryTypeInvoice' });
    // one request per piece, plus the SOP lines of the newly posted documents; nothing is read whole
    expect(made.length).toBeLessThanOrEqual(PIECES + 1);
    for (const url of made) expect(url).toMatch(/\$filter=[^&]* gt /);
    expect(made.some((u) => u.includes('/customers?') && u.includes('date_time_updated gt'))).toBe(true);
    expect(made.some((u) => u.includes('/sales_posted_transactions?') && u.includes('date_time_updated gt'))).toBe(
      true,
    );
    // the SOP line view is read only for documents whose stamp moved
    expect(made.filter((u) => u.includes('/customer_sop_invoice_credit_line_views?'))).toHaveLength(1);
  });

  it('an allocation alone changes no URN and reloads nothing: one request per piece', async () => {
    const [open] = (await sage(
      'GET',
      '/sales_posted_transactions?$filter=document_outstanding_value lt 0&$select=id,customer_id,document_outstanding_value&$top=1&$orderby=id desc',
    )) as Row[];
    const [debit] = (await sage(
      'GET',
      `/sales_posted_transactions?$filter=customer_id eq ${open!.customer_id} and document_outstanding_value gt 0&$select=id,document_outstanding_value&$top=1`,
    )) as Row[];
    const value = Math.min(
      Math.abs(Number(open!.document_outstanding_value)),
      Number(debit!.document_outstanding_value),
    );
    await sage('POST', '/sales_allocations', {
      customer_id: open!.customer_id,
      allocation_lines: [
        { posted_tran_id: open!.id, value_to_allocate: value },
        { posted_tran_id: debit!.id, value_to_allocate: value },
      ],
    });

    requests.length = 0;
    const refreshed = await snapshot(cachedReader());
    expect(requests.length).toBe(PIECES);
    expect(requests.some((u) => u.includes('/customer_sop_invoice_credit_line_views?'))).toBe(false);
    expect(refreshed).toEqual(await snapshot(reader(false)));
  });

  it('a renamed bank nominal account shows on the cached banks', async () => {
    const [bank] = (await sage('GET', '/banks?$top=1')) as Row[];
    const [nominal] = (await sage(
      'GET',
      `/nominal_codes?$filter=reference eq '${bank!.bank_account_nominal_reference}'&$top=1`,
    )) as Row[];
    await sage('PUT', `/nominal_codes/${nominal!.id}`, { name: 'Renamed Bank Account' });
    const refreshed = await snapshot(cachedReader());
    const banks = new Map(refreshed.banks as [string, { nominal: { name: string } | null }][]);
    expect(banks.get(String(bank!.code).trim())?.nominal?.name).toBe('Renamed Bank Account');
    expect(refreshed).toEqual(await snapshot(reader(false)));
  });
});
