// Differential test: real simulator rows of every posted-document, ledger-payment and journal type, mapped by the
// mappers before their pence rewrite (test/fixtures/sage200/mapping-sample.json, made by make-mapping-sample.ts).
// Today's mappers must give the same records, key order included (the JSON text is compared).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StandardRecord } from '../../connector.ts';
import { emptyLookups, type Lookups } from '../mapping/lookups.ts';
import type { SopInvoiceLine } from '../mapping/sage.ts';
import { mapBillCreditNote } from './billCreditNotes.ts';
import { mapBillPayment } from './billPayments.ts';
import { mapBill } from './bills.ts';
import { mapCreditNote } from './creditNotes.ts';
import { mapInvoice } from './invoices.ts';
import { mapJournalEntry } from './journalEntries.ts';
import { mapPayment } from './payments.ts';

type Row = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: fixture JSON
type Entries = [any, any][];
interface Case {
  lookups: Record<string, Entries> & { baseCurrency: string };
  sopLines?: [string, SopInvoiceLine[]][];
  rows?: Row[];
  groups?: Row[][];
  names?: [number, string | null][];
  expected: StandardRecord[];
}

const sample: Record<string, Case> = JSON.parse(
  readFileSync(new URL('../../../../test/fixtures/sage200/mapping-sample.json', import.meta.url), 'utf8'),
);

function lookups(c: Case): Lookups {
  const lk = emptyLookups(c.lookups.baseCurrency);
  for (const k of Object.keys(lk) as (keyof Lookups)[])
    if (k !== 'baseCurrency') (lk as unknown as Record<string, Map<unknown, unknown>>)[k] = new Map(c.lookups[k]);
  return lk;
}

const fresh = <T>(v: T): T => structuredClone(v);

describe('mappers give the same records as before the pence rewrite (simulator rows)', () => {
  const docs: [string, (row: Row, lk: Lookups, sop: Map<string, SopInvoiceLine[]>) => StandardRecord][] = [
    ['invoices', (r, lk, sop) => mapInvoice(r, lk, sop)],
    ['creditNotes', (r, lk, sop) => mapCreditNote(r, lk, sop)],
    ['bills', (r, lk) => mapBill(r, lk)],
    ['billCreditNotes', (r, lk) => mapBillCreditNote(r, lk)],
    ['payments', (r, lk) => mapPayment(r, lk)],
    ['billPayments', (r, lk) => mapBillPayment(r, lk)],
  ];
  for (const [name, map] of docs)
    it(`${name}: every sampled row maps to the recorded record, byte for byte`, () => {
      const c = sample[name];
      const lk = lookups(c);
      const sop = new Map(fresh(c.sopLines ?? []));
      const rows = fresh(c.rows ?? []);
      expect(rows.length).toBeGreaterThanOrEqual(10);
      const got = rows.map((r) => map(r, lk, sop));
      expect(got).toStrictEqual(c.expected);
      expect(got.map((r) => JSON.stringify(r))).toEqual(c.expected.map((r) => JSON.stringify(r)));
    });

  it('journalEntries: every sampled URN group maps to the recorded entry, byte for byte', () => {
    const c = sample.journalEntries;
    const lk = lookups(c);
    const ctx = { names: new Map(c.names), baseCurrency: lk.baseCurrency, urns: lk.urns };
    const got = fresh(c.groups ?? []).map((g) => mapJournalEntry(g, ctx));
    expect(got.length).toBeGreaterThanOrEqual(10);
    expect(got).toStrictEqual(c.expected);
    expect(got.map((r) => JSON.stringify(r))).toEqual(c.expected.map((r) => JSON.stringify(r)));
  });

  it('the sample covers SOP lines, foreign currencies and allocations', () => {
    const inv = sample.invoices.expected;
    expect(inv.some((r) => r.lineItemsSource === 'DocumentLines')).toBe(true);
    expect(inv.some((r) => r.lineItemsSource === 'SummaryByTaxCode')).toBe(true);
    expect(sample.bills.expected.some((r) => r.currency !== 'GBP' && r.currencyRate !== 1)).toBe(true);
    expect(inv.some((r) => (r.paymentAllocations as unknown[]).length > 0)).toBe(true);
  });
});
