// Sage bank_posted_transactions -> Codat bank transactions (grouped by accountId = the Sage bank id).
// Money into the bank is positive. Sage's cheque_value is in the bank's currency; its sign follows the entry type
// (receipts in, payments out), so we sign by type and fall back to the stored sign.
import type { StandardRecord } from '../../connector.ts';
import { sageDate, sageTimestamp } from '../mapping/dates.ts';
import { dec, round } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { pagedRead, type Reader } from './common.ts';

type Row = Record<string, unknown>;

export function bankDirection(type: string, value: number): 1 | -1 {
  const t = type.toLowerCase();
  if (/receipt|deposit|transferin|interestreceived/.test(t)) return 1;
  if (/payment|withdraw|transferout|charge/.test(t)) return -1;
  return value < 0 ? -1 : 1;
}

export function mapBankTransaction(t: Row): StandardRecord {
  const type = String(t.bank_transaction_type ?? '');
  const value = dec(t.cheque_value);
  const amount = value.abs().times(bankDirection(type, value.toNumber()));
  const lower = type.toLowerCase();
  return {
    id: String(t.id),
    accountId: t.bank_id != null ? String(t.bank_id) : null,
    clearedOnDate: sageDate(t.transaction_date) ?? sageDate(t.posted_date)!,
    description: str(t.entry_description) ?? str(t.reference),
    reference: str(t.reference),
    reconciled: !!sageDate(t.last_statement_date),
    amount: round(amount),
    balance: null,
    transactionType: lower.includes('transfer') ? 'Xfer' : amount.isNegative() ? 'Debit' : 'Credit',
    metadata: { isDeleted: false },
    sourceModifiedDate: sageTimestamp(t.date_time_updated),
  };
}

export const readBankTransactions: Reader = (client, options) =>
  pagedRead(client, options, {
    resource: 'bank_posted_transactions',
    dateField: 'transaction_date',
    map: mapBankTransaction,
  });
