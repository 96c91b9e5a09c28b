// Reads every data type from the simulator's normal company through the real client (token from the real Sage ID
// flow), checks every record against the model schemas, and reconciles the mapped figures with the books.

import { Decimal } from 'decimal.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITES, SANDBOX_IMBALANCE } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import type { ConnectionContext, DataType, ReadOptions, StandardRecord } from '../../src/connectors/connector.ts';
import { createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { Sage200Client } from '../../src/connectors/sage200/client.ts';
import { readers } from '../../src/connectors/sage200/read/index.ts';
import { loadLookups } from '../../src/connectors/sage200/read/lookups.ts';
import { mapParty, PARTY_EXPAND } from '../../src/connectors/sage200/read/parties.ts';
import { agedReport, agedTotals } from '../../src/model/aged.ts';
import { schemas } from '../../src/model/index.ts';
import { validateDataset } from '../../src/validation/index.ts';
import { signInAtSage, simCredentials } from './sim-login.ts';

let sim: Simulator;
let accessToken: string;
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

function client(companyId: string, siteId: string = DEMO_SITES.hadley.siteId) {
  const ctx: ConnectionContext = {
    connectionId: 'read-all',
    credentials: simCredentials(sim.url),
    tokens: { getAccessToken: async () => accessToken, refreshAfterUnauthorized: async () => accessToken },
    source: { siteId, companyId },
    logger: pino({ enabled: false }),
  };
  return new Sage200Client(ctx, { pageSize: 2000 });
}

async function readType(c: Sage200Client, dt: DataType, options: ReadOptions = {}) {
  const out: StandardRecord[] = [];
  const cursors: string[] = [];
  for await (const page of readers[dt]!(c, options)) {
    out.push(...page.records);
    cursors.push(page.cursor);
  }
  return { records: out, cursors };
}

const cents = (v: Decimal.Value) => new Decimal(v).toFixed(2);

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05 });
  const auth = createSageAuth();
  const credentials = simCredentials(sim.url);
  const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 'read-all', redirectUri: REDIRECT }));
  const code = new URL(location).searchParams.get('code') ?? '';
  accessToken = (await auth.exchangeCode(credentials, { code, redirectUri: REDIRECT })).accessToken;
});
afterAll(async () => {
  await sim?.close();
});

describe('read every data type from the normal company', () => {
  const data = new Map<DataType, StandardRecord[]>();
  beforeAll(async () => {
    const c = client('1');
    for (const dt of Object.keys(readers) as DataType[]) data.set(dt, (await readType(c, dt)).records);
  });

  it('every reader returns records that conform to the model schemas, with unique ids', () => {
    for (const [dt, records] of data) {
      expect(records.length, `${dt} is empty`).toBeGreaterThan(0);
      for (const r of records) {
        const parsed = schemas[dt].safeParse(r);
        expect(parsed.success, `${dt} ${r.id}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues[0])}`).toBe(
          true,
        );
      }
      expect(new Set(records.map((r) => r.id)).size, `${dt} ids are unique`).toBe(records.length);
    }
  });

  it('customers and suppliers read with $select map exactly as their whole rows do', async () => {
    // the readers select only the fields mapParty uses (PARTY_SELECT); read the whole rows and compare
    const c = client('1');
    for (const side of ['customers', 'suppliers'] as const) {
      const whole: Record<string, unknown>[] = [];
      for await (const page of c.pages<Record<string, unknown>>(side, { orderBy: 'id asc', expand: PARTY_EXPAND }))
        whole.push(...page.rows);
      expect(Object.keys(whole[0]!).length, 'a whole row has many more fields').toBeGreaterThan(50);
      const lk = await loadLookups(c, []);
      const read = data.get(side)!;
      expect(read.map((r) => r.id)).toEqual(whole.map((r) => String(r.id)));
      for (const [i, row] of whole.entries())
        expect(read[i], `${side} ${row.id}`).toEqual(mapParty(side === 'customers' ? 'customer' : 'supplier', row, lk));
    }
  });

  it('customers carry their contacts with emails and typed phones', () => {
    const withContacts = data.get('customers')!.filter((c) => (c.contacts as unknown[]).length > 0);
    expect(withContacts.length).toBeGreaterThan(0);
    const contact = (withContacts[0].contacts as { email: string | null; phone: { type: string }[] }[])[0];
    expect(contact.email).toMatch(/@/);
    expect(contact.phone[0]?.type).toBe('Landline');
  });

  it('invoice totals reconcile with the posted invoices in the books', async () => {
    const rows: { document_gross_value: number; document_outstanding_value: number }[] = [];
    for await (const p of client('1').pages<(typeof rows)[number]>('sales_posted_transactions', {
      orderBy: 'id asc',
      filter:
        "trader_transaction_type eq 'TradingAccountEntryTypeInvoice' or trader_transaction_type eq 'TradingAccountEntryTypeOpeningBalanceInvoice'",
      select: 'id,document_gross_value,document_outstanding_value',
    }))
      rows.push(...p.rows);
    const invoices = data.get('invoices')!;
    expect(invoices).toHaveLength(rows.length);
    const sum = (xs: number[]) => xs.reduce((s, v) => s.plus(v), new Decimal(0));
    expect(cents(sum(invoices.map((i) => i.totalAmount as number)))).toBe(
      cents(sum(rows.map((r) => r.document_gross_value))),
    );
    expect(cents(sum(invoices.map((i) => i.amountDue as number)))).toBe(
      cents(sum(rows.map((r) => r.document_outstanding_value))),
    );
    expect(invoices.some((i) => i.lineItemsSource === 'DocumentLines')).toBe(true);
    expect(invoices.some((i) => i.lineItemsSource === 'SummaryByTaxCode')).toBe(true);
    // the posting of each invoice is a journal entry pointing back at it
    const journals = new Map(data.get('journalEntries')!.map((j) => [JSON.stringify(j.recordRef ?? null), j]));
    const inv = invoices.find((i) => i.lineItemsSource === 'SummaryByTaxCode' && i.currency === 'GBP')!;
    const je = journals.get(JSON.stringify({ id: inv.id, dataType: 'invoices' }));
    expect(je).toBeDefined();
    const debit = (je!.journalLines as { netAmount: number }[])
      .filter((l) => l.netAmount > 0)
      .reduce((s, l) => s.plus(l.netAmount), new Decimal(0));
    expect(cents(debit)).toBe(cents(inv.totalAmount as number));
  });

  it('validation passes: documents, payments, journals and every monthly balance sheet', () => {
    for (const dt of [
      'invoices',
      'creditNotes',
      'bills',
      'billCreditNotes',
      'payments',
      'billPayments',
      'journalEntries',
      'balanceSheet',
    ] as DataType[]) {
      const r = validateDataset(dt, data.get(dt)!);
      expect(r.errors, `${dt}: ${JSON.stringify(r.errors.slice(0, 3))}`).toEqual([]);
    }
  });

  it("aged debtors total equals the customers' balances; aged creditors the suppliers'", () => {
    const opts = { reportDate: '2026-11-01', periodLengthDays: 30, numberOfPeriods: 4 };
    const debtors = agedReport(
      'agedDebtor',
      {
        documents: data.get('invoices') as never,
        credits: data.get('creditNotes') as never,
        payments: data.get('payments') as never,
      },
      opts,
    );
    const creditors = agedReport(
      'agedCreditor',
      {
        documents: data.get('bills') as never,
        credits: data.get('billCreditNotes') as never,
        payments: data.get('billPayments') as never,
      },
      opts,
    );
    const total = (m: Map<string, Decimal>) => [...m.values()].reduce((s, v) => s.plus(v), new Decimal(0));
    const balances = (dt: DataType) =>
      data.get(dt)!.reduce((s, r) => s.plus((r.balance as number) ?? 0), new Decimal(0));
    expect(cents(total(agedTotals(debtors)))).toBe(cents(balances('customers')));
    expect(cents(total(agedTotals(creditors)))).toBe(cents(balances('suppliers')));
  });

  it('profit and loss months reconcile with the balance sheet movement in equity', () => {
    const bs = data.get('balanceSheet')!;
    const pl = data.get('profitAndLoss')!;
    const last = bs[bs.length - 1];
    expect(last.netAssets).toBe((last.equity as { value: number }).value);
    // this financial year's P&L months (calendar years in the demo books) add up to Current Year Earnings
    const year = String(last.id).slice(0, 4);
    const ytd = pl
      .filter((m) => String(m.id).startsWith(year))
      .reduce((s, m) => s.plus(m.netProfit as number), new Decimal(0));
    const cye = (last.equity as { items: { name: string; value: number }[] }).items.find(
      (i) => i.name === 'Current Year Earnings',
    );
    expect(cents(cye?.value ?? 0)).toBe(cents(ytd));
    expect(ytd.isZero()).toBe(false);
  });

  it('journal entries stay whole across page boundaries and resume from a mid-read cursor', async () => {
    const c = client('1');
    // small pages: the product reader reads this many in two halves at once, so pages interleave
    const byId = (xs: StandardRecord[]) => new Map(xs.map((j) => [String(j.id), j]));
    const small = await readType(c, 'journalEntries', { pageSize: 37 });
    const full = data.get('journalEntries')!;
    expect(JSON.parse(small.cursors[0]!)).toHaveProperty('split');
    expect(small.records).toHaveLength(full.length);
    expect(byId(small.records)).toEqual(byId(full));
    const firstHalf: StandardRecord[] = [];
    let mid = '';
    for await (const p of readers.journalEntries!(c, { pageSize: 37 })) {
      firstHalf.push(...p.records);
      mid = p.cursor;
      if (firstHalf.length >= full.length / 2) break;
    }
    const rest = await readType(c, 'journalEntries', { pageSize: 37, cursor: mid });
    // nothing lost, nothing cut (a group read again after the cursor is whole and the same)
    expect(byId([...firstHalf, ...rest.records])).toEqual(byId(full));
    expect(firstHalf.length + rest.records.length).toBe(full.length);
  });

  it('resumes from a cursor and reads incrementally', async () => {
    const c = client('1');
    const pages: { records: StandardRecord[]; cursor: string }[] = [];
    for await (const p of readers.invoices!(c, { pageSize: 100 })) {
      pages.push(p);
      if (pages.length === 2) break;
    }
    const resumed = await readType(c, 'invoices', { pageSize: 100, cursor: pages[0].cursor });
    const all = data.get('invoices')!.map((r) => r.id);
    expect([...pages[0].records.map((r) => r.id), ...resumed.records.map((r) => r.id)]).toEqual(all);
    const since = new Date('2026-10-01T00:00:00Z');
    const inc = await readType(c, 'invoices', { modifiedSince: since, pageSize: 50 });
    expect(inc.records.length).toBeGreaterThan(0);
    expect(inc.records.length).toBeLessThan(all.length);
    expect(inc.records.every((r) => (r.sourceModifiedDate as string) > since.toISOString())).toBe(true);
    const last = JSON.parse(inc.cursors[inc.cursors.length - 1]);
    expect(last).toHaveProperty('updatedAfter');
    const again = await readType(c, 'invoices', { modifiedSince: since, cursor: inc.cursors[inc.cursors.length - 1] });
    expect(again.records).toEqual([]);
  });
});

describe('the Irish company (EUR base, multi-currency)', () => {
  it('reads in EUR with rates to base on foreign documents, and its balance sheet balances', async () => {
    const c = client('2', DEMO_SITES.ireland.siteId);
    const [company] = (await readType(c, 'company')).records;
    expect(company.baseCurrency).toBe('EUR');
    const invoices = (await readType(c, 'invoices')).records;
    const foreign = invoices.filter((i) => i.currency !== 'EUR');
    expect(foreign.length).toBeGreaterThan(0);
    expect(foreign.every((i) => (i.currencyRate as number) > 0 && i.currencyRate !== 1)).toBe(true);
    expect(invoices.filter((i) => i.currency === 'EUR').every((i) => i.currencyRate === 1)).toBe(true);
    const bs = (await readType(c, 'balanceSheet')).records;
    expect(bs.every((m) => m.currency === 'EUR')).toBe(true);
    expect(validateDataset('balanceSheet', bs).errors).toEqual([]);
  });
});

describe('the sandbox company', () => {
  it('has a balance sheet that fails netAssetsEqualsEquity by SANDBOX_IMBALANCE', async () => {
    const { records } = await readType(client('3'), 'balanceSheet');
    const r = validateDataset('balanceSheet', records);
    expect(r.errors.length).toBeGreaterThan(0);
    const latest = r.errors.find((e) => e.itemId === records[records.length - 1].id)!;
    expect(latest.ruleId).toBe('balanceSheet.netAssetsEqualsEquity');
    expect(latest.message).toContain(`difference ${SANDBOX_IMBALANCE}`);
  });
});
