import { describe, expect, it } from 'vitest';
import { type CompanyProfile, SANDBOX_IMBALANCE } from '../demo.ts';
import type { Book } from './index.ts';
import { all, p, smallBook } from './test-helpers.ts';

type Row = Record<string, unknown>;

/** The invariants every generated book keeps; returns the balance-sheet difference in pennies. */
function checkInvariants(book: Book): number {
  // 1. every posted transaction's nominal analysis balances, in document and base currency
  for (const r of ['sales_posted_transactions', 'purchase_posted_transactions', 'bank_posted_transactions']) {
    for (const t of book.collection(r)!.scan()) {
      const items = t.nominal_analysis_items as Row[];
      expect(items.length, `${r} ${t.id}`).toBeGreaterThanOrEqual(2);
      expect(
        items.reduce((a, i) => a + p(i.value), 0),
        `${r} ${t.id}`,
      ).toBe(0);
      expect(
        items.reduce((a, i) => a + p(i.base_value), 0),
        `${r} ${t.id}`,
      ).toBe(0);
      if (r !== 'bank_posted_transactions') {
        const tax = t.tax_analysis_items as Row[];
        const cash = String(t.trader_transaction_type).includes('Payment');
        expect(tax.length, `${r} ${t.id}`).toBe(cash ? 0 : tax.length || 1);
        if (!cash) {
          expect(tax.reduce((a, i) => a + p(i.goods_amount), 0)).toBe(p(t.document_goods_value));
          expect(tax.reduce((a, i) => a + p(i.tax_amount), 0)).toBe(p(t.document_tax_value));
        }
        expect(p(t.document_goods_value) + p(t.document_tax_value)).toBe(p(t.document_gross_value));
        expect(p(t.document_gross_value) - p(t.document_allocated_value)).toBe(p(t.document_outstanding_value));
      }
    }
  }
  // 2. nominal balances equal the sum of postings (nominal_transaction_enquiry_views, one row per posting)
  const byPeriod = new Map<string, number>();
  for (const e of book.collection('nominal_transaction_enquiry_views')!.scan()) {
    const k = `${e.nominal_code_id}|${e.financial_year_id}|${e.period_number}`;
    byPeriod.set(k, (byPeriod.get(k) ?? 0) + p(e.debit) - p(e.credit));
  }
  const codes = all(book, 'nominal_codes');
  let tb = 0;
  for (const n of codes) {
    let cumulative = 0;
    for (const y of n.financial_years as Row[]) {
      let year = 0;
      for (const pb of y.period_balances as Row[]) {
        const expected = byPeriod.get(`${n.id}|${y.financial_year_id}|${pb.period_number}`) ?? 0;
        expect(p(pb.period_balance), `${n.reference} ${y.financial_year_id}/${pb.period_number}`).toBe(expected);
        year += expected;
      }
      cumulative += year;
      const cat = (n.report_category as Row).account_report_type;
      if (cat === 'AccountReportTypeProfitAndLoss') expect(p(y.closing_balance)).toBe(year);
      else if (n.reference !== '3200') expect(p(y.closing_balance)).toBe(cumulative);
    }
    expect(p(n.balance_year_to_date)).toBe(p(n.debit_balance_year_to_date) - p(n.credit_balance_year_to_date));
    tb += p(n.balance_year_to_date);
  }
  // 3. trial balance and balance sheet: what checks() reports is what the nominal codes say
  const checks = book.checks();
  expect(p(checks.trialBalance)).toBe(tb);
  expect(p(checks.assets) - p(checks.liabilities) - p(checks.equity)).toBe(p(checks.difference));
  // 4. customer / supplier balances equal the sum of their outstanding items
  for (const [resource, view, field] of [
    ['customers', 'sales_transaction_views', 'customer_id'],
    ['suppliers', 'purchase_transaction_views', 'supplier_id'],
  ] as const) {
    const outstanding = new Map<number, number>();
    for (const v of book.collection(view)!.scan())
      outstanding.set(v[field] as number, (outstanding.get(v[field] as number) ?? 0) + p(v.document_outstanding_value));
    for (const c of all(book, resource))
      expect(p(c.balance), `${resource} ${c.reference}`).toBe(outstanding.get(c.id as number) ?? 0);
  }
  // 5. control accounts equal the base-currency outstanding of their ledgers (exchange differences posted to 7950)
  for (const [view, ref, sign] of [
    ['sales_transaction_views', '1100', 1],
    ['purchase_transaction_views', '2100', -1],
  ] as const) {
    let out = 0;
    for (const v of book.collection(view)!.scan()) out += p(v.base_outstanding_value);
    const control = codes.find((c) => c.reference === ref && c.cost_centre_code === '')!;
    expect(p(control.balance_year_to_date), `control ${ref}`).toBe(sign * out);
  }
  // 6. each bank's balance equals its nominal account
  for (const b of all(book, 'banks')) {
    const n = codes.find((c) => c.reference === b.bank_account_nominal_reference && c.cost_centre_code === '')!;
    expect(p(b.balance), `bank ${b.code}`).toBe(p(n.balance_year_to_date));
  }
  return p(checks.difference);
}

describe('invariants per profile', () => {
  for (const profile of ['normal', 'ireland', 'trial', 'professional'] as CompanyProfile[]) {
    it(`${profile}: postings balance, balances reconcile, trial balance is zero, assets - liabilities = equity`, () => {
      const book = smallBook(profile, 0.12);
      expect(checkInvariants(book)).toBe(0);
      expect(book.checks().trialBalance).toBe('0.00');
    });
  }

  it('sandbox: the balance sheet is off by exactly SANDBOX_IMBALANCE (net assets exceed equity)', () => {
    const book = smallBook('sandbox', 0.12);
    expect(checkInvariants(book)).toBe(p(SANDBOX_IMBALANCE));
    expect(book.checks()).toMatchObject({ difference: SANDBOX_IMBALANCE, trialBalance: SANDBOX_IMBALANCE });
  });

  it('ireland: the base currency is EUR and most customers trade in it', () => {
    const book = smallBook('ireland', 0.1);
    const eur = all(book, 'currencies').find((c) => c.is_base_currency)!;
    expect((eur.currency_iso_code as Row).code).toBe('EUR');
    const customers = all(book, 'customers');
    expect(customers.filter((c) => c.currency_id === eur.id).length / customers.length).toBeGreaterThan(0.5);
    expect(all(book, 'tax_codes').find((t) => t.name === 'Standard Rate')!.tax_rate).toBe(23);
  });
});
