// The Sage 200 API over real HTTP against the real books: discovery, the header checks and their statuses,
// collections, items, parent-scoped children and OData on real resources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { EXTRA, STANDARD, sageHeaders, signIn } from './helpers.ts';

type Row = Record<string, unknown>;
let sim: Simulator;
let token: string;
let soloToken: string;

beforeAll(async () => {
  sim = await startSimulator({ scale: 0.05 });
  token = (await signIn(sim.url)).access_token;
  soloToken = (await signIn(sim.url, { email: 'solo@hadley.example', password: 'Sage200-solo!' })).access_token;
});
afterAll(() => sim.close());

const get = (path: string, headers: Record<string, string> = sageHeaders(token, 1), base = STANDARD) =>
  fetch(`${sim.url}${base}${path}`, { headers });
const json = async (path: string, companyId = 1, base = STANDARD) => {
  const res = await get(path, sageHeaders(token, companyId), base);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as Row[];
};

describe('GET /sites', () => {
  it('lists one row per reachable company on both bases, needing only Bearer and the subscription key', async () => {
    for (const base of [STANDARD, EXTRA]) {
      const res = await get('/sites', sageHeaders(token), base);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(
        DEMO_COMPANIES.map((c) => ({
          company_id: c.companyId,
          company_name: c.companyName,
          site_id: c.siteId,
          site_name: c.siteName,
          site_short_name: c.siteShortName,
        })),
      );
    }
    // a base URL ending in '/' joined with '/sites' still works
    expect((await fetch(`${sim.url}${STANDARD}//sites/`, { headers: sageHeaders(token) })).status).toBe(200);
    const solo = (await (await get('/sites', sageHeaders(soloToken))).json()) as Row[];
    expect(solo.map((s) => s.company_id)).toEqual([1]);
  });
});

describe('gateway and header checks', () => {
  it('401s a missing or wrong subscription key in Azure APIM words', async () => {
    const { 'ocp-apim-subscription-key': _, ...noKey } = sageHeaders(token, 1);
    const missing = await get('/customers', noKey);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      statusCode: 401,
      message:
        'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    });
    const wrong = await get('/sites', { ...sageHeaders(token), 'ocp-apim-subscription-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({
      statusCode: 401,
      message: expect.stringContaining('invalid subscription key'),
    });
  });

  it('401s a missing or unknown bearer token', async () => {
    const { authorization: _, ...noAuth } = sageHeaders(token, 1);
    for (const headers of [
      noAuth,
      { ...noAuth, authorization: 'Bearer at_unknown' },
      { ...noAuth, authorization: 'Basic x' },
    ]) {
      const res = await get('/customers', headers);
      expect(res.status).toBe(401);
      const body = (await res.json()) as Row;
      expect(body.statusCode).toBe(401);
      expect(typeof body.message).toBe('string');
    }
  });

  it('401s a missing X-Site or X-Company, 403s a company or site not granted', async () => {
    const h = sageHeaders(token, 1);
    const { 'x-site': _s, ...noSite } = h;
    const { 'x-company': _c, ...noCompany } = h;
    for (const [headers, text] of [
      [noSite, 'X-Site'],
      [noCompany, 'X-Company'],
    ] as const) {
      const res = await get('/customers', headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as Row).Message).toContain(text);
    }
    const notGranted = await get('/customers', sageHeaders(soloToken, 2));
    expect(notGranted.status).toBe(403);
    expect(((await notGranted.json()) as Row).Message).toContain('not granted');
    const wrongSite = await get('/customers', { ...h, 'x-site': DEMO_COMPANIES[1]!.siteId });
    expect(wrongSite.status).toBe(403);
    const unknownCompany = await get('/customers', { ...h, 'x-company': '99' });
    expect(unknownCompany.status).toBe(403);
  });

  it('answers the Professional company only on the sage200extra base and Standard ones only on sage200', async () => {
    const pro = await get('/customers?$top=1', sageHeaders(token, 5), STANDARD);
    expect(pro.status).toBe(404);
    expect(((await pro.json()) as Row).Message).toContain('Professional');
    expect((await get('/customers?$top=1', sageHeaders(token, 5), EXTRA)).status).toBe(200);
    const std = await get('/customers?$top=1', sageHeaders(token, 1), EXTRA);
    expect(std.status).toBe(404);
    expect(((await std.json()) as Row).Message).toContain('Standard');
  });

  it('404s unknown resources and ids with a Message', async () => {
    const route = await get('/no_such_things');
    expect(route.status).toBe(404);
    expect(((await route.json()) as Row).Message).toContain('No HTTP resource');
    const item = await get('/customers/987654321');
    expect(item.status).toBe(404);
    expect(((await item.json()) as Row).Message).toContain('987654321');
    expect((await get('/customers/abc')).status).toBe(404);
  });
});

describe('collections, items and children', () => {
  it('returns bare arrays of 500 by default and pages the whole collection by id', async () => {
    const all: Row[] = [];
    for (let skip = 0; ; skip += 50) {
      const page = await json(`/customers?$orderby=id asc&$top=50&$skip=${skip}&$select=id`);
      all.push(...page);
      if (page.length < 50) break;
    }
    const ids = all.map((r) => r.id as number);
    expect(ids.length).toBeGreaterThan(5);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const counted = (await (await get('/customers?$count=true&$top=0')).json()) as {
      '@odata.count': number;
      value: Row[];
    };
    expect(counted['@odata.count']).toBe(ids.length);
    expect(counted.value).toEqual([]);
    const dflt = await json('/nominal_transaction_enquiry_views');
    expect(dflt.length).toBeLessThanOrEqual(500);
  });

  it('gets an item equal to its collection row, with nested data only when expanded', async () => {
    const [first] = await json('/customers?$top=1');
    const item = (await (await get(`/customers/${first!.id}`)).json()) as Row;
    expect(item).toEqual(first);
    expect(item).not.toHaveProperty('main_address');
    const expanded = (await (await get(`/customers/${first!.id}?$expand=main_address,contacts`)).json()) as Row;
    expect(expanded.main_address).toMatchObject({ customer_id: first!.id });
    expect(Array.isArray(expanded.contacts)).toBe(true);
    const selected = (await (await get(`/customers/${first!.id}?$select=id,name`)).json()) as Row;
    expect(selected).toEqual({ id: first!.id, name: first!.name });
  });

  it('serves parent-scoped children filtered on the parent', async () => {
    const cases: [string, string, string][] = [
      ['customers', 'customer_contacts', 'customer_id'],
      ['customers', 'sales_posted_transactions', 'customer_id'],
      ['suppliers', 'purchase_posted_transactions', 'supplier_id'],
      ['sop_orders', 'sop_order_lines', 'sop_order_id'],
      ['pop_orders', 'pop_order_lines', 'pop_order_id'],
      ['banks', 'bank_posted_transactions', 'bank_id'],
      ['nominal_codes', 'nominal_transaction_enquiry_views', 'nominal_code_id'],
    ];
    for (const [parent, child, field] of cases) {
      const sample = (await json(`/${child}?$top=1`))[0];
      expect(sample, `${child} has rows`).toBeDefined();
      const pid = sample![field] as number;
      const rows = await json(`/${parent}/${pid}/${child}?$top=5000`);
      expect(rows.length, `${parent}/${pid}/${child}`).toBeGreaterThan(0);
      expect(rows.every((r) => r[field] === pid)).toBe(true);
      const direct = await json(`/${child}?$filter=${field} eq ${pid}&$top=5000&$select=id`);
      expect(rows.map((r) => r.id)).toEqual(direct.map((r) => r.id));
      const one = await get(`/${parent}/${pid}/${child}/${rows[0]!.id}`);
      expect(one.status).toBe(200);
    }
    expect((await get('/customers/987654321/customer_contacts')).status).toBe(404);
  });
});

describe('OData on real resources', () => {
  it('filters posted transactions by enum name and by lookup id alike', async () => {
    const types = await json('/trader_transaction_types');
    const invoice = types.find((t) => t.value === 'TradingAccountEntryTypeInvoice')!;
    expect(invoice).toBeDefined();
    const byName = await json(
      "/sales_posted_transactions?$filter=trader_transaction_type eq 'TradingAccountEntryTypeInvoice'&$top=50&$select=id,trader_transaction_type",
    );
    const byId = await json(
      `/sales_posted_transactions?$filter=trader_transaction_type eq '${invoice.id}'&$top=50&$select=id,trader_transaction_type`,
    );
    expect(byName.length).toBeGreaterThan(0);
    expect(byId).toEqual(byName);
    expect(byName.every((r) => r.trader_transaction_type === 'TradingAccountEntryTypeInvoice')).toBe(true);
  });

  it('pages through a non-key order exactly as one big page orders it', async () => {
    const q = '$filter=document_goods_value gt 0&$orderby=transaction_date desc,id asc&$select=id';
    const all = await json(`/sales_posted_transactions?${q}&$top=5000`);
    expect(all.length).toBeGreaterThan(100);
    const paged: Row[] = [];
    for (let skip = 0; skip < all.length; skip += 100)
      paged.push(...(await json(`/sales_posted_transactions?${q}&$top=100&$skip=${skip}`)));
    expect(paged).toEqual(all);
  });

  it('filters and orders by dates for incremental reads', async () => {
    const rows = await json(
      '/sales_posted_transactions?$filter=transaction_date ge 2025-01-01 and transaction_date lt 2025-02-01&$orderby=transaction_date desc,id asc&$top=100&$select=id,transaction_date',
    );
    expect(rows.length).toBeGreaterThan(0);
    const dates = rows.map((r) => String(r.transaction_date));
    expect(dates.every((d) => d >= '2025-01-01' && d < '2025-02-01')).toBe(true);
    expect([...dates].sort().reverse()).toEqual(dates);
    const stamped = await json(
      '/customers?$filter=date_time_updated gt 2000-01-01T00:00:00Z&$orderby=date_time_updated asc,id asc&$top=3',
    );
    expect(stamped.every((r) => String(r.date_time_updated).endsWith('Z'))).toBe(true);
    const bad = await get('/customers?$filter=date_time_updated gt 2000-01-01T00:00:00');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Row).Message).toContain('Z at the end');
  });

  it('expands tax and nominal analysis on posted invoices', async () => {
    const [inv] = await json(
      "/sales_posted_transactions?$filter=trader_transaction_type eq 'TradingAccountEntryTypeInvoice'&$top=1&$expand=tax_analysis_items,nominal_analysis_items",
    );
    expect(Array.isArray(inv!.tax_analysis_items)).toBe(true);
    const items = inv!.nominal_analysis_items as { value: number }[];
    expect(items.length).toBeGreaterThan(0);
    const plain = (await json(`/sales_posted_transactions/${inv!.id}?$select=id`)) as unknown;
    expect(plain).toEqual({ id: inv!.id });
  });

  it('400s unknown fields in $filter, $orderby and $select, naming them', async () => {
    for (const q of ['$filter=colour eq 1', '$orderby=colour', '$select=id,colour']) {
      const res = await get(`/customers?${q}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as Row).Message).toContain("'colour'");
    }
  });
});
