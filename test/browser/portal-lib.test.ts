// Unit tests of the portal's pure helpers (no browser needed; kept beside the browser suite that owns the portal).
import { describe, expect, it } from 'vitest';
import type { ProfitAndLossReport } from '../../web/src/api/types.ts';
import { formatMoney, humanize, relativeDays } from '../../web/src/lib/format.ts';
import { buildStatement } from '../../web/src/lib/statements.ts';
import { monthlySeries } from '../../web/src/pages/company/RevenueChart.tsx';
import { checkCredentials } from '../../web/src/pages/IntegrationSettings.tsx';
import { match } from '../../web/src/router.tsx';

describe('portal helpers', () => {
  it('merges report line trees across periods by account, with totals and figures', () => {
    const reports = [
      {
        date: '2026-10-31',
        netAssets: 150,
        assets: {
          name: 'Assets',
          value: 150,
          items: [
            { accountId: '1', name: 'Bank', value: 100 },
            { accountId: '2', name: 'Debtors', value: 50 },
          ],
        },
      },
      {
        date: '2026-09-30',
        netAssets: '90.5',
        assets: { name: 'Assets', value: '90.5', items: [{ accountId: '1', name: 'Bank', value: '90.5' }] },
      },
    ];
    const rows = buildStatement(reports, [
      { field: 'assets', label: 'Assets', kind: 'tree' },
      { field: 'netAssets', label: 'Net assets', kind: 'figure' },
    ]);
    expect(rows.map((r) => [r.name, r.kind, r.values])).toEqual([
      ['Assets', 'section', []],
      ['Bank', 'line', [100, 90.5]],
      ['Debtors', 'line', [50, null]],
      ['Total Assets', 'total', [150, 90.5]],
      ['Net assets', 'total', [150, 90.5]],
    ]);
  });

  it('charts months oldest first with revenue and expenses from the P&L lines', () => {
    const line = (value: number) => ({ name: 'x', value });
    const r = (fromDate: string, income: number, cos: number, exp: number, net: number): ProfitAndLossReport => ({
      fromDate,
      toDate: fromDate,
      income: line(income),
      costOfSales: line(cos),
      expenses: line(exp),
      grossProfit: income - cos,
      netOperatingProfit: net,
      netOtherIncome: 0,
      netProfit: net,
    });
    const series = monthlySeries([r('2026-10-01', 100, 30, 20, 50), r('2026-09-01', 80, 10, 10, 60)]);
    expect(series).toEqual([
      { month: '2026-09-01', revenue: 80, expenses: 20, net: 60 },
      { month: '2026-10-01', revenue: 100, expenses: 50, net: 50 },
    ]);
  });

  it('checks credentials as the server does: required on first save, never with spaces', () => {
    const required = { clientId: true, clientSecret: true, subscriptionKey: true };
    expect(checkCredentials({ clientId: 'abc', clientSecret: 'a b', subscriptionKey: '' }, required)).toEqual({
      clientSecret: 'Client secret must not contain spaces',
      subscriptionKey: 'Subscription key is required.',
    });
    expect(
      checkCredentials(
        { clientId: 'abc', clientSecret: '', subscriptionKey: '' },
        { ...required, clientSecret: false, subscriptionKey: false },
      ),
    ).toEqual({});
  });

  it('formats money, headings, relative days and matches routes', () => {
    expect(formatMoney(1234.5, 'GBP')).toBe('£1,234.50');
    expect(formatMoney('-12.345', null)).toBe('-12.35');
    expect(formatMoney(null, 'GBP')).toBe('—');
    expect(humanize('lineItemsSource')).toBe('Line items source');
    expect(relativeDays('2026-02-10T00:00:00Z', Date.parse('2026-01-01T00:00:00Z'))).toBe('in 40 days');
    expect(match('/companies/:id/data/:dataType', '/companies/abc/data/invoices')).toEqual({
      id: 'abc',
      dataType: 'invoices',
    });
    expect(match('/companies/:id', '/companies/abc/data')).toBeNull();
  });
});
