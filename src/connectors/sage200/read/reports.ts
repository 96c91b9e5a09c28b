// Nominal period values + report categories -> one balance sheet and one P&L record per calendar month.
// Balance sheet: cumulative debit-positive balances of balance-sheet accounts to the month end; assets debit-positive,
// liabilities and equity credit-positive; equity includes the cumulative profit not yet closed to reserves.
// P&L: the month's movement on P&L accounts; income credit-positive, costs debit-positive.

import type { ReportLine } from '../../../model/reportLine.ts';
import { monthEnd, monthStart } from '../../../model/reports.ts';
import type { StandardRecord } from '../../connector.ts';
import { Decimal, dec, round } from '../mapping/money.ts';
import { type CategoryInfo, codatSign } from './categories.ts';
import { loadCategories } from './chartOfAccounts.ts';
import { type Reader, readAll, singlePage } from './common.ts';
import { loadLookups } from './lookups.ts';

type Row = Record<string, unknown>;

export interface AccountInfo {
  id: number;
  name: string;
  categoryId: number;
}
/** month -> account id -> debit-positive movement */
export type Movements = Map<string, Map<number, Decimal>>;

/** Period movements from nominal_codes[].financial_years[].period_balances[] (movements, not running balances;
 * Sage's year-end close moves P&L into reserves through the brought-forward balance, not through a period). */
export function movementsFromNominalCodes(nominals: Row[], periods: Row[]): Movements {
  const monthOf = new Map<number, string>();
  for (const p of periods) monthOf.set(Number(p.accounting_period_id), String(p.period_start_date ?? '').slice(0, 7));
  const m: Movements = new Map();
  for (const n of nominals) {
    const acc = Number(n.id);
    for (const fy of (n.financial_years as Row[] | undefined) ?? [])
      for (const pb of (fy.period_balances as Row[] | undefined) ?? []) {
        const month = monthOf.get(Number(pb.accounting_period_id));
        const v = dec(pb.period_balance);
        if (!month || !/^\d{4}-\d{2}$/.test(month) || v.isZero()) continue;
        let byAcc = m.get(month);
        if (!byAcc) {
          byAcc = new Map();
          m.set(month, byAcc);
        }
        byAcc.set(acc, (byAcc.get(acc) ?? new Decimal(0)).plus(v));
      }
  }
  return m;
}

function tree(
  name: string,
  balances: Map<number, Decimal>,
  accounts: Map<number, AccountInfo>,
  categories: Map<number, CategoryInfo>,
  pick: (c: CategoryInfo) => boolean,
  sign: 1 | -1,
): ReportLine {
  const byCat = new Map<number, ReportLine>();
  for (const [id, bal] of [...balances.entries()].sort(([a], [b]) => a - b)) {
    const a = accounts.get(id);
    const c = a ? categories.get(a.categoryId) : undefined;
    if (!a || !c || !pick(c) || bal.isZero()) continue;
    const line = byCat.get(c.id) ?? { name: c.description, value: 0, items: [] };
    byCat.set(c.id, line);
    line.items.push({ accountId: String(id), name: a.name, value: round(bal.times(sign)), items: [] });
  }
  const items = [...byCat.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, l]) => ({ ...l, value: round(l.items.reduce((s, i) => s.plus(i.value), new Decimal(0))) }));
  return { name, value: round(items.reduce((s, i) => s.plus(i.value), new Decimal(0))), items };
}

const isCostOfSales = (c: CategoryInfo) => /^CS/i.test(c.code) || /cost of sales|direct/i.test(c.description);
const isOtherIncome = (c: CategoryInfo) => /other income|interest received/i.test(c.description);

export function profitAndLossMonth(
  month: string,
  mv: Map<number, Decimal>,
  accounts: Map<number, AccountInfo>,
  categories: Map<number, CategoryInfo>,
  currency: string,
): StandardRecord {
  const pl = (c: CategoryInfo) => !c.balanceSheet;
  const income = tree('Income', mv, accounts, categories, (c) => pl(c) && c.type === 'Income' && !isOtherIncome(c), -1);
  const otherIncome = tree(
    'Other Income',
    mv,
    accounts,
    categories,
    (c) => pl(c) && c.type === 'Income' && isOtherIncome(c),
    -1,
  );
  const costOfSales = tree(
    'Cost of Sales',
    mv,
    accounts,
    categories,
    (c) => pl(c) && c.type !== 'Income' && isCostOfSales(c),
    1,
  );
  const expenses = tree(
    'Expenses',
    mv,
    accounts,
    categories,
    (c) => pl(c) && c.type !== 'Income' && !isCostOfSales(c),
    1,
  );
  const otherExpenses: ReportLine = { name: 'Other Expenses', value: 0, items: [] };
  const grossProfit = new Decimal(income.value).minus(costOfSales.value);
  const netOperatingProfit = grossProfit.minus(expenses.value);
  const netOtherIncome = new Decimal(otherIncome.value).minus(otherExpenses.value);
  return {
    id: month,
    fromDate: monthStart(month),
    toDate: monthEnd(month),
    currency,
    reportBasis: 'Accrual',
    income,
    costOfSales,
    grossProfit: round(grossProfit),
    expenses,
    netOperatingProfit: round(netOperatingProfit),
    otherExpenses,
    otherIncome,
    netOtherIncome: round(netOtherIncome),
    netProfit: round(netOperatingProfit.plus(netOtherIncome)),
  };
}

export function balanceSheetMonth(
  month: string,
  cumulative: Map<number, Decimal>,
  accounts: Map<number, AccountInfo>,
  categories: Map<number, CategoryInfo>,
  currency: string,
  /** credit-positive P&L of financial years before this month's year */
  profitBefore: Decimal = new Decimal(0),
): StandardRecord {
  const bs = (c: CategoryInfo) => c.balanceSheet;
  const assets = tree('Assets', cumulative, accounts, categories, (c) => bs(c) && c.type === 'Asset', 1);
  const liabilities = tree('Liabilities', cumulative, accounts, categories, (c) => bs(c) && c.type === 'Liability', -1);
  const equity = tree('Equity', cumulative, accounts, categories, (c) => bs(c) && c.type === 'Equity', -1);
  // Sage closes P&L into reserves outside the period values, so equity adds all P&L movement to date
  // (credit-positive): earlier financial years as retained earnings, this financial year as current earnings.
  for (const [name, bal] of [
    ['Retained Earnings', profitBefore],
    ['Current Year Earnings', cumulativeProfit(cumulative, accounts, categories).minus(profitBefore)],
  ] as const) {
    if (bal.isZero()) continue;
    equity.items.push({ name, value: round(bal), items: [] });
    equity.value = round(new Decimal(equity.value).plus(round(bal)));
  }
  return {
    id: month,
    date: monthEnd(month),
    currency,
    assets,
    liabilities,
    netAssets: round(new Decimal(assets.value).minus(liabilities.value)),
    equity,
  };
}

/** Credit-positive sum of P&L balances. */
export function cumulativeProfit(
  balances: Map<number, Decimal>,
  accounts: Map<number, AccountInfo>,
  categories: Map<number, CategoryInfo>,
): Decimal {
  let profit = new Decimal(0);
  for (const [id, bal] of balances) {
    const c = categories.get(accounts.get(id)?.categoryId ?? -1);
    if (c && !c.balanceSheet) profit = profit.minus(bal);
  }
  return profit;
}

async function loadReportData(client: Parameters<Reader>[0]) {
  const [categories, lk, nominals, periods] = await Promise.all([
    loadCategories(client),
    loadLookups(client, []),
    readAll(client, 'nominal_codes', { expand: 'financial_years,financial_years/period_balances' }),
    readAll(client, 'financial_year_period_views', { orderBy: 'financial_year_start_date asc,period_number asc' }),
  ]);
  const yearOf = new Map<string, string>();
  for (const p of periods) yearOf.set(String(p.period_start_date ?? '').slice(0, 7), String(p.financial_year_id));
  const accounts = new Map(
    nominals.map((n) => [
      Number(n.id),
      { id: Number(n.id), name: String(n.name ?? ''), categoryId: Number(n.report_category_id) },
    ]),
  );
  return {
    categories,
    currency: lk.baseCurrency,
    accounts,
    yearOf,
    movements: movementsFromNominalCodes(nominals, periods),
  };
}

function monthsToEmit(movements: Movements, from?: Date): string[] {
  const all = [...movements.keys()].sort();
  const min = from ? from.toISOString().slice(0, 7) : '';
  return all.filter((m) => m >= min);
}

export const readProfitAndLoss: Reader = (client, options) =>
  singlePage(async () => {
    const d = await loadReportData(client);
    return monthsToEmit(d.movements, options.from).map((m) =>
      profitAndLossMonth(m, d.movements.get(m)!, d.accounts, d.categories, d.currency),
    );
  });

export const readBalanceSheet: Reader = (client, options) =>
  singlePage(async () => {
    const d = await loadReportData(client);
    const emit = new Set(monthsToEmit(d.movements, options.from));
    const running = new Map<number, Decimal>();
    const out: StandardRecord[] = [];
    let year: string | undefined;
    let profitBefore = new Decimal(0);
    for (const m of [...d.movements.keys()].sort()) {
      const y = d.yearOf.get(m) ?? m.slice(0, 4);
      if (year !== undefined && y !== year) profitBefore = cumulativeProfit(running, d.accounts, d.categories);
      year = y;
      for (const [id, v] of d.movements.get(m)!) running.set(id, (running.get(id) ?? new Decimal(0)).plus(v));
      if (emit.has(m)) out.push(balanceSheetMonth(m, running, d.accounts, d.categories, d.currency, profitBefore));
    }
    return out;
  });

export { codatSign };
