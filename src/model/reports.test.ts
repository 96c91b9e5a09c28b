import { describe, expect, it } from 'vitest';
import { agedReport, agedTotals } from './aged.ts';
import {
  aggregateReport,
  type BalanceSheetMonth,
  balanceSheetMonthSchema,
  type ProfitAndLossMonth,
  profitAndLossMonthSchema,
} from './reports.ts';

const line = (name: string, value: number, items: { accountId: string; name: string; value: number }[] = []) => ({
  name,
  value,
  items: items.map((i) => ({ ...i, items: [] })),
});
const pl = (id: string, sales: number, costs: number): ProfitAndLossMonth => ({
  id,
  fromDate: `${id}-01T00:00:00Z`,
  toDate: `${id}-28T00:00:00Z`,
  currency: 'GBP',
  reportBasis: 'Accrual',
  income: line('Income', sales, [{ accountId: '25', name: 'Sales', value: sales }]),
  costOfSales: line('Cost of Sales', 0),
  grossProfit: sales,
  expenses: line('Expenses', costs, [{ accountId: '60', name: 'Rent', value: costs }]),
  netOperatingProfit: sales - costs,
  otherExpenses: line('Other Expenses', 0),
  otherIncome: line('Other Income', 0),
  netOtherIncome: 0,
  netProfit: sales - costs,
});
const bs = (id: string, cash: number): BalanceSheetMonth => ({
  id,
  date: `${id}-28T00:00:00Z`,
  currency: 'GBP',
  assets: line('Assets', cash),
  liabilities: line('Liabilities', 0),
  netAssets: cash,
  equity: line('Equity', cash),
});

describe('aggregateReport', () => {
  const months = [
    pl('2026-07', 100.1, 30),
    pl('2026-08', 200.2, 40),
    pl('2026-09', 300.3, 50),
    pl('2026-10', 400.4, 60),
  ];
  it('sums months into periods, most recent first, with exact decimals', () => {
    for (const m of months) expect(() => profitAndLossMonthSchema.parse(m)).not.toThrow();
    const r = aggregateReport('profitAndLoss', months, { periodLength: 2, periodsToCompare: 2 });
    expect(r.reportBasis).toBe('Accrual');
    expect(r.currency).toBe('GBP');
    expect(r.earliestAvailableMonth).toBe('2026-07-01T00:00:00Z');
    expect(r.mostRecentAvailableMonth).toBe('2026-10-01T00:00:00Z');
    expect(r.reports.map((p) => [p.fromDate, p.toDate, p.income.value, p.expenses.value, p.netProfit])).toEqual([
      ['2026-09-01T00:00:00Z', '2026-10-31T00:00:00Z', 700.7, 110, 590.7],
      ['2026-07-01T00:00:00Z', '2026-08-31T00:00:00Z', 300.3, 70, 230.3],
    ]);
    expect(r.reports[0].income.items).toEqual([{ accountId: '25', name: 'Sales', value: 700.7, items: [] }]);
  });
  it('honours startMonth and returns zero periods where no month exists', () => {
    const r = aggregateReport('profitAndLoss', months, {
      periodLength: 1,
      periodsToCompare: 3,
      startMonth: '2026-08-01',
    });
    expect(r.reports.map((p) => [p.fromDate.slice(0, 7), p.netProfit])).toEqual([
      ['2026-08', 160.2],
      ['2026-07', 70.1],
      ['2026-06', 0],
    ]);
  });
  it('balance sheet takes the position at each period end', () => {
    const ms = [bs('2026-08', 10), bs('2026-09', 20), bs('2026-10', 30)];
    for (const m of ms) expect(() => balanceSheetMonthSchema.parse(m)).not.toThrow();
    const r = aggregateReport('balanceSheet', ms, { periodLength: 2, periodsToCompare: 2 });
    expect(r.reports.map((p) => [p.date, p.netAssets])).toEqual([
      ['2026-10-31T00:00:00Z', 30],
      ['2026-08-31T00:00:00Z', 10],
    ]);
  });
  it('refuses nonsense periods', () => {
    expect(() => aggregateReport('profitAndLoss', months, { periodLength: 0, periodsToCompare: 1 })).toThrow(
      /periodLength/,
    );
  });
});

describe('agedReport', () => {
  const customerRef = { id: 'c1', companyName: 'Acme Ltd' };
  it('ages outstanding invoices, credit notes and payments on account by issue date', () => {
    const r = agedReport(
      'agedDebtor',
      {
        documents: [
          { id: 'i1', issueDate: '2026-10-20T00:00:00Z', currency: 'GBP', amountDue: 100, customerRef },
          { id: 'i2', issueDate: '2026-08-15T00:00:00Z', currency: 'GBP', amountDue: 50.5, customerRef },
          { id: 'i3', issueDate: '2025-01-01T00:00:00Z', currency: 'GBP', amountDue: 10, customerRef },
          { id: 'i4', issueDate: '2026-11-01T00:00:00Z', currency: 'GBP', amountDue: 999, customerRef },
          { id: 'i5', issueDate: '2026-10-01T00:00:00Z', currency: 'EUR', amountDue: 7, customerRef },
        ],
        credits: [{ id: 'cn', issueDate: '2026-10-25T00:00:00Z', currency: 'GBP', remainingCredit: 20, customerRef }],
        payments: [
          {
            id: 'p',
            date: '2026-10-30T00:00:00Z',
            currency: 'GBP',
            customerRef,
            lines: [{ amount: 5, links: [{ type: 'PaymentOnAccount', amount: -5 }] }],
          },
        ],
      },
      { reportDate: '2026-11-01', periodLengthDays: 30, numberOfPeriods: 4, generated: '2026-11-01T00:00:00Z' },
    );
    expect(r.reportDate).toBe('2026-11-01T00:00:00Z');
    const gbp = (
      r.data[0].agedCurrencyOutstanding as {
        currency: string;
        agedOutstandingAmounts: { fromDate: string; toDate: string; amount: number; details: unknown[] }[];
      }[]
    ).find((c) => c.currency === 'GBP')!;
    expect(gbp.agedOutstandingAmounts.map((b) => [b.fromDate.slice(0, 10), b.toDate.slice(0, 10), b.amount])).toEqual([
      ['2026-10-02', '2026-10-31', 75],
      ['2026-09-02', '2026-10-01', 0],
      ['2026-08-03', '2026-09-01', 50.5],
      ['2025-01-01', '2026-08-02', 10],
    ]);
    expect(gbp.agedOutstandingAmounts[0].details).toEqual([
      { name: 'Invoices', amount: 100 },
      { name: 'CreditNotes', amount: -20 },
      { name: 'Payments', amount: -5 },
    ]);
    expect(r.data[0]).toMatchObject({ customerId: 'c1', customerName: 'Acme Ltd' });
    const totals = agedTotals(r);
    expect(totals.get('GBP')?.toNumber()).toBe(135.5);
    expect(totals.get('EUR')?.toNumber()).toBe(7);
  });
});
