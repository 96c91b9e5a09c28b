// Monthly report records (what the balanceSheet / profitAndLoss readers yield, one per calendar month) and the
// aggregation into Codat's response shape (periods of N months, most recent first).
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { currencyCode, isoDateTime } from './common.ts';
import { addLines, emptyLine, type ReportLine, reportLineSchema } from './reportLine.ts';

const monthId = z.string().regex(/^\d{4}-\d{2}$/);

export const balanceSheetMonthSchema = z.object({
  id: monthId,
  /** the last day of the month, 00:00:00Z */
  date: isoDateTime,
  currency: currencyCode,
  assets: reportLineSchema,
  liabilities: reportLineSchema,
  netAssets: z.number(),
  equity: reportLineSchema,
});
export type BalanceSheetMonth = z.infer<typeof balanceSheetMonthSchema>;

export const profitAndLossMonthSchema = z.object({
  id: monthId,
  fromDate: isoDateTime,
  toDate: isoDateTime,
  currency: currencyCode,
  reportBasis: z.enum(['Unknown', 'Accrual', 'Cash']),
  income: reportLineSchema,
  costOfSales: reportLineSchema,
  grossProfit: z.number(),
  expenses: reportLineSchema,
  netOperatingProfit: z.number(),
  otherExpenses: reportLineSchema,
  otherIncome: reportLineSchema,
  netOtherIncome: z.number(),
  netProfit: z.number(),
});
export type ProfitAndLossMonth = z.infer<typeof profitAndLossMonthSchema>;

export interface ReportQuery {
  /** months per period */
  periodLength: number;
  periodsToCompare: number;
  /** `YYYY-MM` (or any ISO date in that month): the first month of the MOST RECENT period; defaults so that the most
   * recent period ends with the most recent available month. Earlier periods go back in time from there. */
  startMonth?: string;
}

export function monthStart(id: string): string {
  return `${id}-01T00:00:00Z`;
}
export function monthEnd(id: string): string {
  const [y, m] = id.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${id}-${String(last).padStart(2, '0')}T00:00:00Z`;
}
export function addMonths(id: string, n: number): string {
  const [y, m] = id.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function range<T extends { id: string }>(months: T[]) {
  const ids = months.map((m) => m.id).sort();
  return { earliest: ids[0], latest: ids[ids.length - 1] };
}

export interface BalanceSheetResponse {
  currency: string;
  reports: { date: string; assets: ReportLine; liabilities: ReportLine; netAssets: number; equity: ReportLine }[];
  mostRecentAvailableMonth: string | null;
  earliestAvailableMonth: string | null;
}
export interface ProfitAndLossResponse {
  reportBasis: 'Unknown' | 'Accrual' | 'Cash';
  currency: string;
  reports: Omit<ProfitAndLossMonth, 'id' | 'currency' | 'reportBasis'>[];
  mostRecentAvailableMonth: string | null;
  earliestAvailableMonth: string | null;
}

function periods(latestAvailable: string, q: ReportQuery): { first: string; last: string }[] {
  if (!Number.isInteger(q.periodLength) || q.periodLength < 1) throw new RangeError('periodLength must be >= 1');
  if (!Number.isInteger(q.periodsToCompare) || q.periodsToCompare < 1)
    throw new RangeError('periodsToCompare must be >= 1');
  const start = q.startMonth ? q.startMonth.slice(0, 7) : addMonths(latestAvailable, 1 - q.periodLength);
  const out: { first: string; last: string }[] = [];
  for (let i = 0; i < q.periodsToCompare; i++) {
    const first = addMonths(start, -i * q.periodLength);
    out.push({ first, last: addMonths(first, q.periodLength - 1) });
  }
  return out;
}

/** Builds Codat's balance sheet or P&L response from monthly records. P&L periods sum their months; a balance
 * sheet period shows the position at the end of its last month (or the latest month before it that exists). */
export function aggregateReport(
  kind: 'balanceSheet',
  months: BalanceSheetMonth[],
  q: ReportQuery,
  baseCurrency?: string,
): BalanceSheetResponse;
export function aggregateReport(
  kind: 'profitAndLoss',
  months: ProfitAndLossMonth[],
  q: ReportQuery,
  baseCurrency?: string,
): ProfitAndLossResponse;
export function aggregateReport(
  kind: 'balanceSheet' | 'profitAndLoss',
  months: (BalanceSheetMonth | ProfitAndLossMonth)[],
  q: ReportQuery,
  baseCurrency = 'XXX',
): BalanceSheetResponse | ProfitAndLossResponse {
  const currency = months[0]?.currency ?? baseCurrency;
  if (months.length === 0) {
    return kind === 'balanceSheet'
      ? { currency, reports: [], mostRecentAvailableMonth: null, earliestAvailableMonth: null }
      : { reportBasis: 'Accrual', currency, reports: [], mostRecentAvailableMonth: null, earliestAvailableMonth: null };
  }
  const { earliest, latest } = range(months);
  const byId = new Map(months.map((m) => [m.id, m]));
  const ps = periods(latest, q);
  const available = { mostRecentAvailableMonth: monthStart(latest), earliestAvailableMonth: monthStart(earliest) };
  if (kind === 'balanceSheet') {
    const sorted = [...months].sort((a, b) => a.id.localeCompare(b.id)) as BalanceSheetMonth[];
    const reports = ps.map(({ last }) => {
      // position at period end = the last available month on or before it
      let found: BalanceSheetMonth | undefined;
      for (const m of sorted) if (m.id <= last) found = m;
      if (!found)
        return {
          date: monthEnd(last),
          assets: emptyLine('Assets'),
          liabilities: emptyLine('Liabilities'),
          netAssets: 0,
          equity: emptyLine('Equity'),
        };
      return {
        date: monthEnd(last),
        assets: found.assets,
        liabilities: found.liabilities,
        netAssets: found.netAssets,
        equity: found.equity,
      };
    });
    return { currency, reports, ...available };
  }
  const reports = ps.map(({ first, last }) => {
    const sum: Record<string, ReportLine | undefined> = {};
    const totals = {
      grossProfit: new Decimal(0),
      netOperatingProfit: new Decimal(0),
      netOtherIncome: new Decimal(0),
      netProfit: new Decimal(0),
    };
    const sections = ['income', 'costOfSales', 'expenses', 'otherExpenses', 'otherIncome'] as const;
    for (let id = first; id <= last; id = addMonths(id, 1)) {
      const m = byId.get(id) as ProfitAndLossMonth | undefined;
      if (!m) continue;
      for (const s of sections) sum[s] = addLines(sum[s], m[s]);
      for (const t of Object.keys(totals) as (keyof typeof totals)[]) totals[t] = totals[t].plus(m[t]);
    }
    return {
      fromDate: monthStart(first),
      toDate: monthEnd(last),
      income: sum.income ?? emptyLine('Income'),
      costOfSales: sum.costOfSales ?? emptyLine('Cost of Sales'),
      grossProfit: totals.grossProfit.toNumber(),
      expenses: sum.expenses ?? emptyLine('Expenses'),
      netOperatingProfit: totals.netOperatingProfit.toNumber(),
      otherExpenses: sum.otherExpenses ?? emptyLine('Other Expenses'),
      otherIncome: sum.otherIncome ?? emptyLine('Other Income'),
      netOtherIncome: totals.netOtherIncome.toNumber(),
      netProfit: totals.netProfit.toNumber(),
    };
  });
  const basis = (months[0] as ProfitAndLossMonth).reportBasis ?? 'Accrual';
  return { reportBasis: basis, currency, reports, ...available };
}
