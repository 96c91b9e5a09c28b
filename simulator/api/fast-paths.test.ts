// The serving fast paths (partial rows, rows sent unshaped, order index with range starts, parent index) must give
// exactly what the plain route gives: full rows, filtered, sorted and shaped one by one.
import { describe, expect, it } from 'vitest';
import { createBook } from '../books/index.ts';
import { DEMO_COMPANIES } from '../demo.ts';
import { evaluate, getPath, type Row, toMs } from '../odata/evaluate.ts';
import { type ODataQuery, parseQuery, type QueryableCollection, type Snapshot, selectRows } from '../odata/query.ts';
import { alreadyShaped, shapeRow } from '../odata/shape.ts';
import { startSimulator } from '../server.ts';
import type { TimestampStyle } from '../switches.ts';
import type { BookLike } from './book-types.ts';
import { BookRegistry } from './registry.ts';
import { childSubset } from './subset.ts';

const OPTS = { seed: 200, scale: 0.05, asOf: '2026-10-31' };
const X = 'tax_analysis_items,nominal_analysis_items,allocation_session_items';

function store() {
  const m = new Map<string, Snapshot>();
  return { get: (k: string) => m.get(k), set: (k: string, s: Snapshot) => void m.set(k, s) };
}

/** the slow, obvious answer */
function reference(rows: Row[], q: ODataQuery, style: TimestampStyle, enumIds: (n: string) => number | undefined) {
  const cmp = (a: unknown, b: unknown) => {
    const an = a === null || a === undefined;
    const bn = b === null || b === undefined;
    if (an || bn) return an && bn ? 0 : an ? -1 : 1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    const as = String(a).toLowerCase();
    const bs = String(b).toLowerCase();
    return as < bs ? -1 : as > bs ? 1 : 0;
  };
  const hits = rows.filter((r) => !q.filter || evaluate(q.filter, r, enumIds));
  hits.sort((a, b) => {
    for (const o of q.orderby) {
      const c = cmp(getPath(a, o.path), getPath(b, o.path));
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
  return JSON.stringify(hits.slice(q.skip, q.skip + q.top).map((r) => shapeRow(r, q.expand, q.select, style)));
}

/** Posts a 20% VAT sales invoice of `goods` to the book's `nth` customer; returns the customer. */
function postInvoice(book: BookLike, nth: number, reference: string, goods: number, at: Date) {
  const customer = [...book.collection('customers')!.scan()][nth]!;
  const tax = [...book.collection('tax_codes')!.scan()].find((t) => t.tax_rate === 20)!;
  book.create(
    'sales_invoices',
    {
      customer_id: customer.id,
      transaction_date: `${at.toISOString().slice(0, 10)}T00:00:00Z`,
      reference,
      document_goods_value: goods,
      document_tax_value: goods / 5,
      tax_analysis_items: [{ id: tax.id, goods_amount: goods, tax_amount: goods / 5 }],
      nominal_analysis_items: [{ code: '4000', cost_centre: '', department: '', narrative: reference, value: goods }],
    },
    at,
  );
  return customer;
}

describe('simulator serving fast paths', () => {
  const company = DEMO_COMPANIES[0]!;
  const reg = new BookRegistry(OPTS, createBook);
  const book = reg.book(company.companyId);
  const enumIds = reg.enumIds(company.companyId);

  it('answers posted-transaction queries exactly as full rows shaped one by one would', () => {
    const queries: Record<string, string>[] = [
      { $orderby: 'id asc', $top: '300', $expand: X },
      {
        $orderby: 'id asc',
        $top: '200',
        $skip: '100',
        $filter: "trader_transaction_type eq 'TradingAccountEntryTypeInvoice'",
        $expand: X,
      },
      {
        $orderby: 'date_time_updated asc,id asc',
        $top: '150',
        $filter: 'date_time_updated gt 2026-03-01T00:00:00Z',
        $expand: X,
      },
      {
        $orderby: 'date_time_updated asc,id asc',
        $top: '150',
        $skip: '150',
        $filter: 'date_time_updated gt 2025-01-01T00:00:00Z or (date_time_updated eq 2025-01-01T00:00:00Z and id gt 4)',
      },
      // numeric first order value: the index starts the walk at the bound
      { $orderby: 'urn asc,id asc', $top: '100', $filter: 'urn gt 40' },
      { $orderby: 'urn asc,id asc', $top: '100', $skip: '100', $filter: 'urn ge 40 and urn lt 400' },
      // bounded on both sides: the walk ends at the upper bound
      { $orderby: 'urn asc,id asc', $top: '5000', $filter: 'urn ge 120 and urn le 480' },
      { $orderby: 'urn asc,id asc', $top: '5000', $filter: 'urn eq 333 or urn eq 334' },
      { $orderby: 'urn asc,id asc', $top: '5000', $filter: 'urn le 50 or urn lt 60' },
      { $orderby: 'urn desc,id asc', $top: '50', $filter: 'urn gt 40' },
      { $orderby: 'transaction_date desc,id', $top: '100', $expand: '*' },
      { $orderby: 'customer desc,id', $top: '100', $filter: "customer/reference ne 'X'", $expand: 'customer' },
      { $orderby: 'id', $top: '100', $select: 'id,reference,customer/name' },
      // narrow selects answered from stored columns (URN maps, freshness checks), and one that is not
      { $orderby: 'id asc', $top: '300', $skip: '20', $select: 'id,urn,trader_transaction_type,date_time_updated' },
      { $orderby: 'id asc', $top: '300', $select: 'customer_id,date_time_created' },
      {
        $orderby: 'date_time_updated asc,id asc',
        $top: '1',
        $select: 'id',
        $filter: 'date_time_updated gt 2026-03-01T00:00:00Z',
      },
      { $orderby: 'urn asc,id asc', $top: '5000', $select: 'id,urn', $filter: 'urn ge 120 and urn le 480' },
      {
        $orderby: 'id asc',
        $top: '50',
        $select: 'id,urn,reference',
        $filter: "trader_transaction_type eq 'TradingAccountEntryTypeInvoice'",
      },
    ];
    for (const resource of ['sales_posted_transactions', 'purchase_posted_transactions', 'bank_posted_transactions']) {
      const coll = book.collection(resource)!;
      const full = [...coll.scan()];
      for (const style of ['z', 'no-z'] as const) {
        const snaps = store();
        for (const params of queries) {
          const text = JSON.stringify(params);
          if (resource !== 'sales_posted_transactions' && text.includes('customer')) continue;
          if (resource === 'bank_posted_transactions' && text.includes('trader_transaction_type')) continue;
          const expand = resource === 'bank_posted_transactions' ? 'tax_analysis_items,trade_items,bank' : X;
          const q = parseQuery(params.$expand === X ? { ...params, $expand: expand } : params, full[0], resource);
          const out = selectRows(coll, q, enumIds, undefined, snaps);
          const sent = out.rows.map((r) =>
            !q.select && style === 'z' && alreadyShaped(r, q.expand) ? r : shapeRow(r, q.expand, q.select, style),
          );
          expect(JSON.stringify(sent), `${resource} ${style} ${JSON.stringify(params)}`).toBe(
            reference(full, q, style, enumIds),
          );
        }
      }
    }
  });

  it('answers customer and supplier queries (stored fields without the view) exactly as full rows would', () => {
    const queries: Record<string, string>[] = [
      { $orderby: 'id asc', $top: '5000', $select: 'id,reference,name,currency_id,date_time_updated' },
      {
        $orderby: 'date_time_updated asc,id asc',
        $top: '40',
        $skip: '10',
        $filter: 'date_time_updated gt 2020-01-01T00:00:00Z',
        $select: 'id,reference,name',
      },
      {
        $orderby: 'date_time_updated asc,id asc',
        $top: '30',
        $skip: '30',
        $filter: 'date_time_updated gt 2020-01-01T00:00:00Z',
        $expand: 'main_address,contacts,contacts/emails',
      },
      // the connector's party read, and the nested lookups a view builds only when expanded
      {
        $orderby: 'date_time_updated asc,id asc',
        $top: '50',
        $filter: 'date_time_updated gt 2020-01-01T00:00:00Z',
        $expand: 'main_address,contacts,contacts/emails,contacts/telephones,contacts/mobiles,contacts/faxes',
      },
      { $orderby: 'id', $top: '60', $expand: 'currency,default_tax_code,country_code' },
      { $orderby: 'id', $top: '60' },
      { $orderby: 'name desc,id', $top: '25', $filter: "name ne 'X'", $select: 'id,name,balance' },
      { $orderby: 'id', $top: '25', $filter: 'balance gt 0', $select: 'id,balance,currency' },
      { $orderby: 'id', $top: '25', $select: 'id,main_address' },
    ];
    for (const resource of ['customers', 'suppliers']) {
      const coll = book.collection(resource)!;
      const full = [...coll.scan()];
      const snaps = store();
      for (const params of queries) {
        const q = parseQuery(params, full[0], resource);
        const out = selectRows(coll, q, enumIds, undefined, snaps);
        const sent = out.rows.map((r) => shapeRow(r, q.expand, q.select, 'z'));
        expect(JSON.stringify(sent), `${resource} ${JSON.stringify(params)}`).toBe(reference(full, q, 'z', enumIds));
      }
    }
  });

  it('answers SOP line view queries (narrow selects built from columns) exactly as full rows would', () => {
    const fields =
      'customer_id,sop_invoice_credit_id,sop_invoice_credit_type,sop_invoice_credit_document_no,sop_invoice_credit_line_id,sop_invoice_credit_line_total_value,sop_invoice_credit_line_tax_value,invoice_line_profit_analysis_line_quantity,product_id,product_code,product_name,product_description,sop_invoice_credit_date_time_updated';
    const queries: Record<string, string>[] = [
      { $orderby: 'sop_invoice_credit_id asc,sop_invoice_credit_line_id asc', $top: '500', $select: fields },
      {
        $orderby: 'sop_invoice_credit_id asc,sop_invoice_credit_line_id asc',
        $top: '150',
        $skip: '150',
        $select: fields,
      },
      {
        $orderby: 'sop_invoice_credit_date_time_updated asc,sop_invoice_credit_line_id asc',
        $top: '200',
        $filter: 'sop_invoice_credit_date_time_updated gt 2026-01-01T00:00:00Z',
        $select: fields,
      },
      { $orderby: 'sop_invoice_credit_line_id asc', $top: '100', $select: 'sop_invoice_credit_line_id,customer_name' },
    ];
    const resource = 'customer_sop_invoice_credit_line_views';
    const coll = book.collection(resource)!;
    const full = [...coll.scan()];
    expect(full.length).toBeGreaterThan(300);
    const snaps = store();
    for (const params of queries) {
      const q = parseQuery(params, full[0], resource);
      const out = selectRows(coll, q, enumIds, undefined, snaps);
      const sent = out.rows.map((r) => shapeRow(r, q.expand, q.select, 'z'));
      expect(sent.length, JSON.stringify(params)).toBeGreaterThan(0);
      expect(JSON.stringify(sent), JSON.stringify(params)).toBe(reference(full, q, 'z', enumIds));
    }
  });

  it('after writes, order indexes rebuilt from the previous index answer exactly as a fresh sort would', () => {
    const reg2 = new BookRegistry(OPTS, createBook);
    const id = company.companyId;
    const b2 = reg2.book(id);
    const ids2 = reg2.enumIds(id);
    const queries: Record<string, string>[] = [
      { $orderby: 'date_time_updated asc,id asc', $top: '200', $filter: 'date_time_updated gt 2026-10-01T00:00:00Z' },
      { $orderby: 'urn asc,id asc', $top: '100', $filter: 'urn gt 40' },
      { $orderby: 'date_time_updated asc', $top: '100', $skip: '50' },
    ];
    const ask = (resource: string, params: Record<string, string>, store: ReturnType<typeof reg2.snapshotStore>) => {
      const coll = b2.collection(resource)!;
      const q = parseQuery(params, [...coll.scan()][0], resource);
      return JSON.stringify(
        selectRows(coll, q, ids2, undefined, store).rows.map((r) => shapeRow(r, q.expand, q.select, 'z')),
      );
    };
    const resources = ['sales_posted_transactions', 'nominal_transaction_enquiry_views'];
    // build the indexes, then write: a new invoice (new rows, new URN) and a receipt allocated to an old invoice
    const applies = (r: string, p: Record<string, string>) =>
      r === 'sales_posted_transactions' || !p.$orderby!.includes('date_time_updated');
    for (const r of resources) for (const p of queries) if (applies(r, p)) ask(r, p, reg2.snapshotStore(id, ''));
    const sales = b2.collection('sales_posted_transactions')!;
    const old = [...sales.scan()].find(
      (r) =>
        r.trader_transaction_type === 'TradingAccountEntryTypeInvoice' && Number(r.document_outstanding_value) > 10,
    )!;
    const customer = [...b2.collection('customers')!.scan()][0]!;
    const tax = [...b2.collection('tax_codes')!.scan()].find((t) => t.tax_rate === 20)!;
    const bank = [...b2.collection('banks')!.scan()][0]!;
    const now = new Date('2026-11-20T10:00:00Z');
    b2.create(
      'sales_invoices',
      {
        customer_id: customer.id,
        transaction_date: '2026-11-20T00:00:00Z',
        reference: 'IDX-1',
        document_goods_value: 100,
        document_tax_value: 20,
        tax_analysis_items: [{ id: tax.id, goods_amount: 100, tax_amount: 20 }],
        nominal_analysis_items: [
          { code: '4000', cost_centre: '', department: '', narrative: 'Index test', value: 100 },
        ],
      },
      now,
    );
    b2.create(
      'sales_receipts',
      {
        customer_id: old.customer_id,
        bank_id: bank.id,
        cheque_value: 5,
        allocation_lines: [{ posted_tran_id: old.id, value_to_allocate: 5 }],
      },
      now,
    );
    reg2.changed(id);
    const cases = resources.flatMap((r) => queries.filter((q) => applies(r, q)).map((q) => [r, q] as const));
    const patched = cases.map(([r, q]) => ask(r, q, reg2.snapshotStore(id, '')));
    reg2.dropCaches(id);
    const fresh = cases.map(([r, q]) => ask(r, q, reg2.snapshotStore(id, 'fresh')));
    for (const [i, [r, q]] of cases.entries()) expect(patched[i], `${r} ${JSON.stringify(q)}`).toBe(fresh[i]);
    // the allocated invoice moved to the end of the date_time_updated order
    const moved = JSON.parse(ask('sales_posted_transactions', queries[0]!, reg2.snapshotStore(id, ''))) as Row[];
    expect(moved.map((r) => r.id)).toContain(old.id);
  });

  it('patches the stale order indexes once writes pause, so the next reader finds them current', async () => {
    const reg3 = new BookRegistry(OPTS, createBook);
    const id = company.companyId;
    const b3 = reg3.book(id);
    const ids3 = reg3.enumIds(id);
    const resource = 'sales_posted_transactions';
    const params = {
      $orderby: 'date_time_updated asc,id asc',
      $top: '50',
      $filter: 'date_time_updated gt 2026-11-01T00:00:00Z',
    };
    const sig = `index|${resource}|date_time_updated asc,id asc`;
    const ask = (scope: string) => {
      const coll = b3.collection(resource)!;
      const q = parseQuery(params, [...coll.scan()][0], resource);
      const rows = selectRows(coll, q, ids3, undefined, reg3.snapshotStore(id, scope)).rows;
      return JSON.stringify(rows.map((r) => shapeRow(r, q.expand, q.select, 'z')));
    };
    ask('');
    const built = reg3.snapshotStore(id, '').get(sig)!.extra;
    expect(built).toBeDefined();
    postInvoice(b3, 0, 'IDX-2', 100, new Date('2026-11-20T10:00:00Z'));
    reg3.changed(id);
    expect(reg3.snapshotStore(id, '').get(sig)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    const maintained = reg3.snapshotStore(id, '').get(sig)!.extra as { keys: number[] };
    expect(maintained).toBeDefined();
    expect(maintained).not.toBe(built);
    expect(maintained.keys.length).toBe((built as { keys: number[] }).keys.length + 1);
    const answer = ask('');
    reg3.dropCaches(id);
    expect(answer).toBe(ask('fresh'));
    expect(answer).toContain('IDX-2');
  });

  it('stored order columns give exactly the values the rows give, after writes too', () => {
    const reg3 = new BookRegistry(OPTS, createBook);
    const b3 = reg3.book(company.companyId);
    const now = new Date('2026-11-21T09:30:00.123Z');
    const customer = postInvoice(b3, 1, 'COL-1', 50, now);
    b3.update('customers', customer.id as number, { name: 'Renamed for columns' }, now);
    let checked = 0;
    for (const resource of b3.resources()) {
      const coll = b3.collection(resource)!;
      const paths = resource.includes('sop_invoice_credit_line')
        ? ['sop_invoice_credit_date_time_updated', 'sop_invoice_credit_line_date_time_updated']
        : ['date_time_created', 'date_time_updated', 'transaction_date_time_updated', 'urn'];
      for (const path of paths) {
        const col = (coll as QueryableCollection).orderValues?.(path);
        if (!col) continue;
        const rows = [...coll.scan()];
        expect(col.keys, `${resource} ${path}`).toEqual(rows.map((r) => r[coll.key]));
        const fromRows = rows.map((r) => {
          const v = r[path];
          return v === null || v === undefined ? Number.NEGATIVE_INFINITY : typeof v === 'number' ? v : toMs(String(v));
        });
        expect([...col.values], `${resource} ${path}`).toEqual(fromRows);
        checked++;
      }
    }
    // the ledgers' stamps and URNs, the SOP line view's stamps, every master table's stamps
    expect(checked).toBeGreaterThanOrEqual(20);
  });

  it("serves a parent's children from the parent index, in key order", () => {
    const coll = book.collection('sales_posted_transactions')!;
    const full = [...coll.scan()];
    const customerId = full[full.length - 1]!.customer_id as number;
    const sub = childSubset(coll, 'customer_id', customerId, store());
    const mine = full.filter((r) => r.customer_id === customerId);
    expect(mine.length).toBeGreaterThan(0);
    expect(sub.size()).toBe(mine.length);
    expect(sub.slice(0, 1000).map((r) => r.id)).toEqual(mine.map((r) => r.id));
    expect(sub.get(mine[0]!.id as number)?.id).toBe(mine[0]!.id);
    const other = full.find((r) => r.customer_id !== customerId)!;
    expect(sub.get(other.id as number)).toBeUndefined();
  });

  it('warms every demo company after listening, one at a time, and still answers meanwhile', async () => {
    const lines: string[] = [];
    const sim = await startSimulator({ ...OPTS, warm: true, log: (l) => lines.push(l) });
    try {
      const res = await fetch(`${sim.url}/_sim/health`).catch(() => undefined);
      expect(res === undefined || res.status < 500).toBe(true);
      const deadline = Date.now() + 60_000;
      while (!lines.some((l) => l.includes('books ready')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(lines.filter((l) => l.includes('books built for'))).toHaveLength(DEMO_COMPANIES.length);
      expect(lines.at(-1)).toMatch(/books ready for \d+ companies/);
    } finally {
      await sim.close();
    }
  }, 90_000);
});
