// Nominal report categories decide an account's Codat type. Sage knows Asset/Liability/Income/Expense
// (account_report_category_type, e.g. "ReportCategoryTypeLiability"); equity is a Liability-type balance-sheet
// category for capital and reserves (code "CR..", or "Capital"/"Reserve"/"Equity" in its description).
import type { AccountType } from '../../../model/accounts.ts';

export interface CategoryInfo {
  id: number;
  code: string;
  description: string;
  type: AccountType;
  balanceSheet: boolean;
}

export function categoryType(row: Record<string, unknown>): AccountType {
  const t = String(row.account_report_category_type ?? '').toLowerCase();
  const code = String(row.code ?? '').toUpperCase();
  const desc = String(row.description ?? '');
  if (t.includes('asset')) return 'Asset';
  if (t.includes('liabil'))
    return code.startsWith('CR') || /capital|reserve|equity/i.test(desc) ? 'Equity' : 'Liability';
  if (t.includes('income') || t.includes('revenue')) return 'Income';
  if (t.includes('expense') || t.includes('cost')) return 'Expense';
  return 'Unknown';
}

export function mapCategory(row: Record<string, unknown>): CategoryInfo {
  const type = categoryType(row);
  const rt = String(row.account_report_type ?? '').toLowerCase();
  return {
    id: Number(row.id),
    code: String(row.code ?? ''),
    description: String(row.description ?? ''),
    type,
    balanceSheet: rt ? rt.includes('balance') : type === 'Asset' || type === 'Liability' || type === 'Equity',
  };
}

/** Debit-positive Sage balance -> Codat's sign: Asset/Expense positive in debit, others positive in credit. */
export function codatSign(type: AccountType): 1 | -1 {
  return type === 'Asset' || type === 'Expense' || type === 'Unknown' ? 1 : -1;
}
