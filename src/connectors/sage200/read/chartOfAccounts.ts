// Sage nominal_codes -> Codat accounts. Type and category from nominal_report_categories; balance signed per Codat.
import type { StandardRecord } from '../../connector.ts';
import { sageTimestamp } from '../mapping/dates.ts';
import { dec, round } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { type CategoryInfo, codatSign, mapCategory } from './categories.ts';
import { pagedRead, type Reader, readAll } from './common.ts';
import { loadLookups } from './lookups.ts';

type Row = Record<string, unknown>;

/** Debit-positive balance: Sage's balance_year_to_date already includes the brought-forward balance for
 * balance-sheet accounts, and P&L accounts restart at zero each year. */
export function nominalBalance(n: Row) {
  return dec(n.balance_year_to_date);
}

export function mapAccount(
  n: Row,
  ctx: { categories: Map<number, CategoryInfo>; baseCurrency: string; bankNominalIds: Set<number> },
): StandardRecord {
  const cat = ctx.categories.get(Number(n.report_category_id));
  const type = cat?.type ?? 'Unknown';
  const name = str(n.name);
  const cc = str(n.cost_centre_code)?.trim();
  const dept = str(n.department_code)?.trim();
  const fqc = cat && type !== 'Unknown' ? `${type}.${cat.description}` : null;
  const archived =
    String(n.account_status_type ?? '')
      .toLowerCase()
      .includes('hidden') || n.account_status_type === 'AccountStatusInactive';
  return {
    id: String(n.id),
    nominalCode: str(n.reference),
    name,
    description: cc || dept ? `Cost centre ${cc || '-'}, department ${dept || '-'}` : null,
    fullyQualifiedCategory: fqc,
    fullyQualifiedName: fqc ? `${fqc}.${name ?? ''}` : null,
    currency: ctx.baseCurrency,
    currentBalance: cat ? round(nominalBalance(n).times(codatSign(type))) : null,
    type,
    status: archived ? 'Archived' : 'Active',
    isBankAccount: ctx.bankNominalIds.has(Number(n.id)),
    metadata: { isDeleted: false },
    sourceModifiedDate: sageTimestamp(n.date_time_updated),
  };
}

export async function loadCategories(client: Parameters<Reader>[0]): Promise<Map<number, CategoryInfo>> {
  const rows = await readAll(client, 'nominal_report_categories');
  return new Map(rows.map((r) => [Number(r.id), mapCategory(r)]));
}

export const readChartOfAccounts: Reader = async function* (client, options) {
  const [categories, lk] = await Promise.all([loadCategories(client), loadLookups(client, ['banks'])]);
  const bankNominalIds = new Set([...lk.banks.values()].map((b) => Number(b.nominal?.id)).filter(Number.isFinite));
  yield* pagedRead(client, options, {
    resource: 'nominal_codes',
    map: (row) => mapAccount(row, { categories, baseCurrency: lk.baseCurrency, bankNominalIds }),
  });
};
