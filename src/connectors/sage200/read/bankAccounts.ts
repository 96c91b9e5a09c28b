// Sage banks -> Codat bank accounts.
import type { StandardRecord } from '../../connector.ts';
import { sageTimestamp } from '../mapping/dates.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { num } from '../mapping/lookups.ts';
import { round } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { pagedRead, type Reader } from './common.ts';
import { loadLookups } from './lookups.ts';

type Row = Record<string, unknown>;

export function mapBankAccount(b: Row, lk: Lookups): StandardRecord {
  const currencyId = num(b.account_currency_id);
  const balance = b.balance == null ? null : round(b.balance as number);
  const overdraft = b.overdraft_limit == null ? null : Math.abs(round(b.overdraft_limit as number));
  const type = String(b.account_type ?? '');
  return {
    id: String(b.id),
    accountName: str(b.description) ?? str(b.account_name),
    accountType: /credit/i.test(type) ? 'Credit' : 'Debit',
    nominalCode: str(b.bank_account_nominal_reference),
    sortCode: str(b.sort_code),
    accountNumber: str(b.account_no),
    iBan: str(b.iban),
    currency: currencyId != null ? (lk.currencies.get(currencyId) ?? 'XXX') : lk.baseCurrency,
    balance,
    institution: str(b.bank_name),
    availableBalance: balance != null && overdraft != null ? round(balance + overdraft) : balance,
    overdraftLimit: overdraft,
    status: String(b.account_status_type ?? '').includes('Hidden') ? 'Archived' : 'Active',
    metadata: { isDeleted: false },
    supplementalData: { content: { sage: { code: str(b.code) } } },
    sourceModifiedDate: sageTimestamp(b.date_time_updated),
  };
}

export const readBankAccounts: Reader = (client, options) =>
  pagedRead(client, options, { resource: 'banks', context: loadLookups(client, []), map: mapBankAccount });
