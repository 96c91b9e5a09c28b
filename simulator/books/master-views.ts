// Master records as served: stored fields plus what Sage derives (balances, nested contacts, period balances).
import type { BookState } from './state.ts';
import { clone, type Rec } from './table.ts';
import type { Want } from './types.ts';

export function customerView(s: BookState, rec: Rec, want?: Want): Rec {
  return traderView(s, rec, 0, s.tables.customer_contacts, want);
}

export function supplierView(s: BookState, rec: Rec, want?: Want): Rec {
  return traderView(s, rec, 1, s.tables.supplier_contacts, want);
}

/** A customer or supplier as served. With `want.omit`, nested values the response drops (not in $expand) are not
 * built: left out, or null where the full row has null, so shaping gives the same output. */
function traderView(
  s: BookState,
  rec: Rec,
  side: 0 | 1,
  contacts: BookState['tables']['customer_contacts'],
  want?: Want,
): Rec {
  const o = clone(rec);
  const skip = (k: string) => !!want?.omit && !want.build(k);
  const nested = (k: string, v: Rec | undefined) => {
    if (!skip(k)) o[k] = clone(v ?? null);
    else if (!v) o[k] = null;
  };
  o.balance = (s.ledger.traderBalance[side].get(rec.id as number) ?? 0) / 100;
  nested('currency', s.currency(rec.currency_id as number));
  nested('default_tax_code', s.tables.tax_codes.get(rec.default_tax_code_id as number));
  nested('country_code', s.tables.country_codes.get(rec.country_code_id as number));
  if (!skip('contacts')) o.contacts = contacts.children(rec.id as number).map((c) => clone(c));
  return o;
}

export function bankView(s: BookState, rec: Rec): Rec {
  const o = clone(rec);
  const bal = s.ledger.bankBalance.get(rec.id as number) ?? 0;
  o.balance = bal / 100;
  o.balance_in_base = bal / 100;
  o.statement_balance = 0;
  o.statement_date = null;
  o.account_currency = clone(s.currency(rec.account_currency_id as number) ?? null);
  return o;
}

/** retained-earnings account: where prior years' profit lands at each (virtual) year end */
export const RETAINED_EARNINGS = '3200';

export interface NominalFigures {
  /** per year index: closing balance (base pennies) */
  closing: number[];
  broughtForward: number;
  ytd: number;
  debitYtd: number;
  creditYtd: number;
}

/**
 * Period balances are the sums of postings. Balance-sheet accounts carry forward; profit-and-loss accounts start each
 * year at zero and their previous years' totals are carried into the retained-earnings account (3200).
 */
export function nominalFigures(s: BookState, id: number): NominalFigures {
  const cal = s.calendar;
  const B = s.ledger.balances;
  const kind = s.categoryTypeOfNominal(id);
  const pl = kind.type === 'Income' || kind.type === 'Expense';
  const rec = s.tables.nominal_codes.get(id);
  const retained =
    rec?.reference === RETAINED_EARNINGS && !rec.cost_centre_id && !rec.department_id ? plTotalsByYear(s) : null;
  const closing: number[] = [];
  let running = 0;
  for (let y = 0; y < cal.years; y++) {
    if (pl) running = 0;
    else if (retained && y > 0) running += retained[y - 1];
    for (let m = 0; m < 12; m++) running += B.net(id, y * 12 + m);
    closing.push(running);
  }
  const cy = cal.years - 1;
  let yearTotal = 0;
  let dr = 0;
  let cr = 0;
  for (let m = 0; m < 12; m++) {
    yearTotal += B.net(id, cy * 12 + m);
    dr += B.debit(id, cy * 12 + m);
    cr += B.credit(id, cy * 12 + m);
  }
  const ytd = closing[cy];
  const broughtForward = ytd - yearTotal;
  // brought forward goes to the side it sits on
  return {
    closing,
    broughtForward,
    ytd,
    debitYtd: dr + Math.max(broughtForward, 0),
    creditYtd: -(cr + Math.min(broughtForward, 0)),
  };
}

const plCache = new WeakMap<BookState, { key: number; totals: number[] }>();

/** total of all P&L postings per year (base pennies, debit positive); cached until the next posting */
export function plTotalsByYear(s: BookState): number[] {
  const key = s.ledger.pTx.length;
  const hit = plCache.get(s);
  if (hit && hit.key === key) return hit.totals;
  const totals = new Array(s.calendar.years).fill(0);
  for (const id of s.tables.nominal_codes.ids()) {
    const k = s.categoryTypeOfNominal(id).type;
    if (k !== 'Income' && k !== 'Expense') continue;
    for (let p = 0; p < s.calendar.periods; p++) totals[Math.floor(p / 12)] += s.ledger.balances.net(id, p);
  }
  plCache.set(s, { key, totals });
  return totals;
}

export function nominalView(s: BookState, rec: Rec): Rec {
  const o = clone(rec);
  const id = rec.id as number;
  const cal = s.calendar;
  const f = nominalFigures(s, id);
  const B = s.ledger.balances;
  o.cost_centre_code = rec.cost_centre_id ? s.tables.cost_centres.get(rec.cost_centre_id as number)?.code : '';
  o.department_code = rec.department_id ? s.tables.departments.get(rec.department_id as number)?.code : '';
  o.balance_year_to_date = f.ytd / 100;
  o.debit_balance_year_to_date = f.debitYtd / 100;
  o.credit_balance_year_to_date = f.creditYtd / 100;
  o.brought_forward_balance = f.broughtForward / 100;
  o.consolidated_nominal_code_id = 0;
  o.consolidated_nominal_account_number = '';
  o.consolidated_nominal_cost_centre = '';
  o.consolidated_nominal_department = '';
  for (let i = 1; i <= 20; i++) o[`analysis_code_${i}`] ??= '';
  o.consolidated_nominal_code = null;
  o.cost_centre = clone(s.tables.cost_centres.get(rec.cost_centre_id as number) ?? null);
  o.department = clone(s.tables.departments.get(rec.department_id as number) ?? null);
  const cat = s.tables.nominal_report_categories.get(rec.report_category_id as number);
  o.report_category = cat ? categoryView(cat) : null;
  o.sofa_category = null;
  const years: Rec[] = [];
  for (let y = 0; y < cal.years; y++) {
    const periods: Rec[] = [];
    for (let m = 0; m < 12; m++) {
      const p = y * 12 + m;
      periods.push({
        id: id * 1000 + p + 1,
        nominal_account_year_value_id: id * 100 + y + 1,
        accounting_period_id: cal.accountingPeriodId(p),
        period_number: m + 1,
        original_budget_value: 0,
        budget_value: 0,
        period_balance: B.net(id, p) / 100,
        adjustment_after_year_end_close: 0,
        consolidated_amount: 0,
        is_future_period: cal.periodStart(p) > s.asOfDay,
        date_time_created: rec.date_time_created,
        date_time_updated: rec.date_time_updated,
      });
    }
    years.push({
      id: id * 100 + y + 1,
      nominal_code_id: id,
      financial_year_id: cal.financialYearId(y),
      year_relative_to_current_year: cal.relative(y),
      budget_type: 'BudgetTypeNoBudgets',
      budget_profile_id: 0,
      budget_profile: 0,
      original_budget_value: 0,
      budget_value: 0,
      adjustment_after_year_end_close: 0,
      closing_balance: f.closing[y] / 100,
      period_balances: periods,
      date_time_created: rec.date_time_created,
      date_time_updated: rec.date_time_updated,
    });
  }
  o.financial_years = years;
  o.memos = [];
  return o;
}

export function categoryView(cat: Rec): Rec {
  const { category_type_simple: _t, ...rest } = cat;
  return clone(rest);
}

export function financialYearPeriods(s: BookState): Rec[] {
  const cal = s.calendar;
  const out: Rec[] = [];
  for (let p = 0; p < cal.periods; p++) {
    const y = Math.floor(p / 12);
    out.push({
      financial_year_id: cal.financialYearId(y),
      financial_year_start_date: cal.yearStart(y),
      financial_year_end_date: cal.yearEnd(y),
      year_relative_to_current_year: cal.relative(y),
      number_of_periods_in_year: 12,
      accounting_period_id: cal.accountingPeriodId(p),
      period_number: (p % 12) + 1,
      period_start_date: `${new Date(cal.periodStart(p) * 86_400_000).toISOString().slice(0, 10)}T00:00:00`,
      period_end_date: `${new Date(cal.periodEnd(p) * 86_400_000).toISOString().slice(0, 10)}T00:00:00`,
    });
  }
  return out;
}
