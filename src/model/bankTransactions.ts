import { z } from 'zod';
import { currencyCode, isoDateTime, money, recordBase } from './common.ts';

export const bankTransactionType = z.enum([
  'Unknown',
  'Credit',
  'Debit',
  'Int',
  'Div',
  'Fee',
  'SerChg',
  'Dep',
  'Atm',
  'Pos',
  'Xfer',
  'Check',
  'Payment',
  'Cash',
  'DirectDep',
  'DirectDebit',
  'RepeatPmt',
  'Other',
]);

/** Codat AccountingBankTransaction (connection-scoped, grouped by `accountId`). `balance` is null: Sage gives no
 * running balance per posted row. `currency` and `reference` are extensions. */
export const bankTransactionSchema = z.object({
  ...recordBase,
  accountId: z.string().nullable(),
  clearedOnDate: isoDateTime,
  description: z.string().nullable(),
  reference: z.string().nullable().optional(),
  reconciled: z.boolean(),
  amount: money,
  balance: money.nullable(),
  currency: currencyCode.optional(),
  transactionType: bankTransactionType,
});
export type BankTransaction = z.infer<typeof bankTransactionSchema>;
