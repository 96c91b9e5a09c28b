import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AS_OF } from '../demo.ts';
import { createBook } from './index.ts';
import { all, company, smallBook } from './test-helpers.ts';

function fingerprint(seed: number): string {
  const book = createBook({ company: company('normal'), seed, scale: 0.05, asOf: DEFAULT_AS_OF });
  const h = createHash('sha256');
  for (const r of book.resources()) for (const row of book.collection(r)!.scan()) h.update(JSON.stringify(row));
  return h.digest('hex');
}

describe('generator', () => {
  it('is deterministic: the same options give byte-identical books, another seed differs', () => {
    const a = fingerprint(11);
    expect(fingerprint(11)).toBe(a);
    const other = createBook({ company: company('normal'), seed: 12, scale: 0.05, asOf: DEFAULT_AS_OF });
    const mine = createBook({ company: company('normal'), seed: 11, scale: 0.05, asOf: DEFAULT_AS_OF });
    const head = (b: typeof other) => JSON.stringify(b.collection('sales_posted_transactions')!.slice(0, 50));
    expect(head(other)).not.toBe(head(mine));
  });

  it('serves every resource of the brief with its key field', () => {
    const book = smallBook();
    for (const r of [
      'company_details',
      'customers',
      'customer_contacts',
      'suppliers',
      'supplier_contacts',
      'nominal_codes',
      'nominal_report_categories',
      'tax_codes',
      'currencies',
      'cost_centres',
      'departments',
      'banks',
      'bank_posted_transactions',
      'sales_posted_transactions',
      'purchase_posted_transactions',
      'sales_transaction_views',
      'purchase_transaction_views',
      'sop_orders',
      'pop_orders',
      'sop_order_lines',
      'pop_order_lines',
      'products',
      'product_groups',
      'warehouses',
      'financial_year_period_views',
      'nominal_transaction_enquiry_views',
      'customer_sop_invoice_credit_line_views',
      'trader_transaction_types',
    ]) {
      const c = book.collection(r);
      expect(c, r).toBeDefined();
      expect(c!.size(), r).toBeGreaterThan(0);
      const rows = c!.slice(0, 3);
      expect(rows.length, r).toBeGreaterThan(0);
      for (const row of rows) expect(c!.get(row[c!.key] as number), r).toEqual(row);
      const keys = rows.map((x) => x[c!.key] as number);
      expect([...keys].sort((x, y) => x - y)).toEqual(keys);
    }
    expect(book.collection('sales_transaction_views')!.key).toBe('posted_customer_transaction_id');
    expect(book.collection('nope')).toBeUndefined();
  });

  it('has the tax codes, currencies and a Sage-shaped chart of accounts', () => {
    const book = smallBook();
    const rates = all(book, 'tax_codes').map((t) => [t.name, t.tax_rate]);
    expect(rates).toEqual(
      expect.arrayContaining([
        ['Standard Rate', 20],
        ['Reduced Rate', 5],
        ['Zero Rated', 0],
        ['Exempt', 0],
        ['EU Sales (Zero Rated)', 0],
      ]),
    );
    expect(all(book, 'currencies').map((c) => (c.currency_iso_code as { code: string }).code)).toEqual([
      'GBP',
      'EUR',
      'USD',
    ]);
    const codes = all(book, 'nominal_codes');
    expect(codes.length).toBeGreaterThanOrEqual(70);
    const cat = codes.find((n) => n.reference === '3000')!.report_category as Record<string, unknown>;
    expect(cat).toMatchObject({ code: 'CR01', account_report_category_type: 'ReportCategoryTypeLiability' });
    const split = codes.filter((n) => n.reference === '4000' && n.cost_centre_code !== '');
    expect(split.length).toBeGreaterThan(0);
  });

  it('keeps every document on or before asOf, stamped after its document date', () => {
    const book = smallBook();
    const asOfEnd = Date.parse(`${DEFAULT_AS_OF}T23:59:59.999Z`);
    for (const r of ['sales_posted_transactions', 'purchase_posted_transactions', 'bank_posted_transactions']) {
      for (const t of book.collection(r)!.scan()) {
        const d = Date.parse(`${String(t.transaction_date).slice(0, 10)}T00:00:00Z`);
        expect(String(t.transaction_date).slice(0, 10) <= DEFAULT_AS_OF).toBe(true);
        const created = Date.parse(t.date_time_created as string);
        expect(created).toBeGreaterThanOrEqual(d);
        expect(created).toBeLessThanOrEqual(asOfEnd);
        expect(Date.parse(t.date_time_updated as string)).toBeGreaterThanOrEqual(created);
      }
    }
    const years = all(book, 'financial_year_period_views');
    expect(years.length % 12).toBe(0);
    expect(years.at(-1)).toMatchObject({ year_relative_to_current_year: 0, period_number: 12 });
  });

  it('has the realism the demo needs: FX, SOP invoices, credit notes, partial and unallocated receipts', () => {
    const book = smallBook('normal', 0.5);
    const sales = all(book, 'sales_posted_transactions');
    const types = new Set(sales.map((t) => t.trader_transaction_type));
    for (const t of [
      'TradingAccountEntryTypeInvoice',
      'TradingAccountEntryTypeCreditNote',
      'TradingAccountEntryTypePurchasePaymentSalesReceipt',
      'TradingAccountEntryTypeOpeningBalanceInvoice',
    ])
      expect(types).toContain(t);
    expect(sales.some((t) => t.exchange_rate !== 1 && t.base_gross_value !== t.document_gross_value)).toBe(true);
    const receipts = sales.filter(
      (t) => t.trader_transaction_type === 'TradingAccountEntryTypePurchasePaymentSalesReceipt',
    );
    expect(receipts.some((r) => r.document_allocated_value === 0)).toBe(true); // on account
    expect(receipts.every((r) => (r.bank_items as unknown[]).length === 1)).toBe(true);
    const invoices = sales.filter((t) => t.trader_transaction_type === 'TradingAccountEntryTypeInvoice');
    expect(
      invoices.some((i) => (i.document_allocated_value as number) > 0 && (i.document_outstanding_value as number) > 0),
    ).toBe(true);
    expect(invoices.some((i) => (i.tax_analysis_items as unknown[]).length > 1)).toBe(true);
    const bankTypes = new Set(all(book, 'bank_posted_transactions').map((b) => b.bank_transaction_type));
    for (const t of ['Receipt', 'Payment', 'CustomerReceipt', 'SupplierPayment', 'TransferReceipt', 'TransferPayment'])
      expect(bankTypes).toContain(t);
    const customers = all(book, 'customers');
    expect(customers.some((c) => c.currency_id !== 1)).toBe(true);
    expect((customers[0].contacts as Record<string, unknown>[])[0].emails).toHaveLength(1);
  });

  it('links SOP invoice line views to their posted invoice by document number, with matching totals', () => {
    const book = smallBook();
    const byRef = new Map(all(book, 'sales_posted_transactions').map((t) => [t.reference, t]));
    const lines = all(book, 'customer_sop_invoice_credit_line_views');
    expect(lines.length).toBeGreaterThan(10);
    const sums = new Map<string, [number, number]>();
    for (const l of lines) {
      const v = sums.get(l.sop_invoice_credit_document_no as string) ?? [0, 0];
      v[0] += Math.round((l.sop_invoice_credit_line_total_value as number) * 100);
      v[1] += Math.round((l.sop_invoice_credit_line_tax_value as number) * 100);
      sums.set(l.sop_invoice_credit_document_no as string, v);
    }
    for (const [ref, [net, tax]] of sums) {
      const inv = byRef.get(ref)!;
      expect(inv.customer_id).toBeDefined();
      expect(net).toBe(Math.round((inv.document_goods_value as number) * 100));
      expect(tax).toBe(Math.round((inv.document_tax_value as number) * 100));
    }
  });

  it('generates scale 1 for the normal company in a few seconds with tens of thousands of transactions', () => {
    const t0 = Date.now();
    const book = createBook({ company: company('normal'), seed: 200, scale: 1, asOf: DEFAULT_AS_OF });
    const ms = Date.now() - t0;
    const checks = book.checks();
    expect(checks.postedTransactions).toBeGreaterThan(30_000);
    expect(checks.postedTransactions).toBeLessThan(45_000);
    expect(book.collection('customers')!.size()).toBeGreaterThan(200);
    expect(ms).toBeLessThan(15_000);
  });
});
