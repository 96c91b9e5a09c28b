// Each rule firing and not firing, with the figures in the message.
import { describe, expect, it } from 'vitest';
import { validateDataset } from './index.ts';

const line = (subTotal: number, taxAmount: number) => ({
  unitAmount: 0,
  quantity: 0,
  subTotal,
  taxAmount,
  totalAmount: subTotal + taxAmount,
});
const invoice = (over: Record<string, unknown> = {}) => ({
  id: 'inv-1',
  invoiceNumber: '0001',
  currency: 'GBP',
  subTotal: 100,
  totalTaxAmount: 20,
  totalAmount: 120,
  lineItems: [line(100, 0), line(0, 20)],
  ...over,
});

describe('document rules', () => {
  it('passes a document whose lines match its header', () => {
    expect(validateDataset('invoices', [invoice()])).toEqual({ errors: [], warnings: [] });
  });
  it('errors when line totals differ from the header total, naming both figures', () => {
    const r = validateDataset('bills', [
      {
        id: 'b1',
        reference: 'x',
        currency: 'GBP',
        subTotal: 3201.25,
        taxAmount: 0,
        totalAmount: 3201.25,
        lineItems: [line(3201.2, 0), { ...line(0, 0), totalAmount: -0.02 }],
      },
    ]);
    expect(r.errors).toEqual([
      {
        ruleId: 'bills.lineTotalsEqualTotalAmount',
        itemId: 'b1',
        message: "A bill's lines summed (3201.18) should be the same as TotalAmount (3201.25); difference -0.07",
        validatorName: 'BillValidator',
      },
    ]);
    expect(r.warnings).toEqual([
      {
        ruleId: 'bills.lineSubTotalsEqualSubTotal',
        itemId: 'b1',
        message:
          "A bill's lines sub total amount summed (3201.20) should be the same as SubTotal (3201.25); difference -0.05",
        validatorName: 'BillValidator',
      },
    ]);
  });
  it('errors beyond the 0.01 tolerance and not within it', () => {
    const off = validateDataset('invoices', [invoice({ totalAmount: 120.02 })]);
    expect(off.errors).toHaveLength(1);
    expect(off.errors[0]).toMatchObject({
      ruleId: 'invoices.lineTotalsEqualTotalAmount',
      itemId: 'inv-1',
      validatorName: 'InvoiceValidator',
    });
    expect(off.errors[0].message).toBe(
      "An invoice's lines summed (120.00) should be the same as TotalAmount (120.02); difference -0.02",
    );
    expect(validateDataset('invoices', [invoice({ totalAmount: 120.01 })]).errors).toEqual([]);
  });
  it('applies to credit notes and bill credit notes too', () => {
    expect(
      validateDataset('creditNotes', [
        invoice({ id: 'cn', creditNoteNumber: 'C1', invoiceNumber: undefined, totalAmount: 130 }),
      ]).errors[0].ruleId,
    ).toBe('creditNotes.lineTotalsEqualTotalAmount');
    expect(
      validateDataset('billCreditNotes', [
        invoice({ id: 'bcn', billCreditNoteNumber: 'B1', invoiceNumber: undefined, subTotal: 90 }),
      ]).warnings[0].ruleId,
    ).toBe('billCreditNotes.lineSubTotalsEqualSubTotal');
  });
});

describe('payment rules', () => {
  const payment = (over: Record<string, unknown> = {}) => ({
    id: 'p1',
    currency: 'GBP',
    totalAmount: 120,
    lines: [
      { amount: 100, links: [{ type: 'Invoice', id: 'i1', amount: -100, currencyRate: 1 }] },
      { amount: 20, links: [{ type: 'PaymentOnAccount', id: 'c1', amount: -20, currencyRate: 1 }] },
    ],
    ...over,
  });
  it('passes consistent lines and links', () => {
    expect(validateDataset('payments', [payment()])).toEqual({ errors: [], warnings: [] });
  });
  it('errors when lines do not sum to the total', () => {
    const r = validateDataset('payments', [payment({ totalAmount: 150 })]);
    expect(r.errors).toEqual([
      {
        ruleId: 'payments.linesSumToTotalAmount',
        itemId: 'p1',
        message: "A payment's lines summed (120.00) should be the same as TotalAmount (150.00); difference -30.00",
        validatorName: 'PaymentValidator',
      },
    ]);
  });
  it('warns when a link does not offset its line', () => {
    const r = validateDataset('billPayments', [
      payment({ lines: [{ amount: 120, links: [{ type: 'Bill', id: 'b1', amount: -100, currencyRate: 1 }] }] }),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([
      {
        ruleId: 'billPayments.linksOffsetLine',
        itemId: 'p1',
        message: 'Line 1 of a bill payment: amount (120.00) plus its links (-100.00) should be 0; difference 20.00',
        validatorName: 'BillPaymentValidator',
      },
    ]);
  });
});

describe('journal entries', () => {
  it('passes a balanced entry and fails an unbalanced one with debits and credits named', () => {
    const ok = { id: 'j1', journalLines: [{ netAmount: 12 }, { netAmount: -10 }, { netAmount: -2 }] };
    const bad = { id: 'j2', journalLines: [{ netAmount: 12 }, { netAmount: -10 }] };
    const r = validateDataset('journalEntries', [ok, bad]);
    expect(r.errors).toEqual([
      {
        ruleId: 'journalEntries.linesBalance',
        itemId: 'j2',
        message: 'Journal entry does not balance: debits 12.00, credits 10.00, difference 2.00',
        validatorName: 'JournalEntryValidator',
      },
    ]);
  });
});

describe('balance sheet', () => {
  const month = (netAssets: number, equity: number) => ({
    id: '2026-10',
    netAssets,
    equity: { name: 'Equity', value: equity, items: [] },
  });
  it('passes when net assets equal equity', () => {
    expect(validateDataset('balanceSheet', [month(12833474.73, 12833474.73)]).errors).toEqual([]);
  });
  it('fails naming both figures and the difference (the sandbox case)', () => {
    const r = validateDataset('balanceSheet', [month(1001234.56, 1000000)]);
    expect(r.errors).toEqual([
      {
        ruleId: 'balanceSheet.netAssetsEqualsEquity',
        itemId: '2026-10',
        message:
          'Balance sheet for 2026-10 does not balance: net assets 1001234.56 should equal equity 1000000.00; difference 1234.56',
        validatorName: 'BalanceSheetValidator',
      },
    ]);
  });
});

describe('currency', () => {
  it('warns on XXX and not on a known currency', () => {
    expect(validateDataset('invoices', [invoice({ currency: 'XXX' })]).warnings).toEqual([
      {
        ruleId: 'common.unknownCurrency',
        itemId: 'inv-1',
        message:
          "Currency is unknown in the source, so the record's currency is XXX; amounts cannot be converted to the base currency",
        validatorName: 'CurrencyValidator',
      },
    ]);
    expect(validateDataset('invoices', [invoice()]).warnings).toEqual([]);
  });
  it('has no rules for data types without checks', () => {
    expect(validateDataset('taxRates', [{ id: 'x' }])).toEqual({ errors: [], warnings: [] });
  });
});

describe('exact sums', () => {
  const journal = (...netAmounts: unknown[]) => ({
    id: 'j1',
    journalLines: netAmounts.map((netAmount) => ({ netAmount })),
  });
  it('sums amounts exactly, not in floating point (0.1 + 0.2 - 0.3 balances)', () => {
    expect(0.1 + 0.2 - 0.3).not.toBe(0);
    expect(validateDataset('journalEntries', [journal(0.1, 0.2, -0.3)]).errors).toEqual([]);
    expect(
      validateDataset('invoices', [
        invoice({ subTotal: 0.3, totalAmount: 0.3, lineItems: [line(0.1, 0), line(0.2, 0)] }),
      ]),
    ).toEqual({ errors: [], warnings: [] });
  });
  it('decides amounts with more than 2 decimal places, and non-numeric ones (counted as 0), exactly as before', () => {
    // within the 0.01 tolerance: 3 decimal places
    expect(validateDataset('journalEntries', [journal(10.005, -10)]).errors).toEqual([]);
    expect(validateDataset('journalEntries', [journal(10.015, -10)]).errors).toHaveLength(1);
    // a string amount counts as 0: the entry does not balance, though the string says 10
    const r = validateDataset('journalEntries', [journal('10', -10)]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'Journal entry does not balance: debits 0.00, credits 10.00, difference -10.00',
    ]);
    expect(validateDataset('invoices', [invoice({ totalAmount: '120' })]).errors).toHaveLength(1);
  });
});
