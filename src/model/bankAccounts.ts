import { z } from 'zod';
import { currencyCode, money, recordBase } from './common.ts';

/** Codat AccountingBankAccount. */
export const bankAccountSchema = z.object({
  ...recordBase,
  accountName: z.string().nullable(),
  accountType: z.enum(['Unknown', 'Credit', 'Debit']),
  nominalCode: z.string().nullable(),
  sortCode: z.string().nullable(),
  accountNumber: z.string().nullable(),
  iBan: z.string().nullable(),
  currency: currencyCode,
  balance: money.nullable(),
  institution: z.string().nullable(),
  availableBalance: money.nullable(),
  overdraftLimit: money.nullable(),
  status: z.enum(['Unknown', 'Active', 'Archived', 'Pending']),
});
export type BankAccount = z.infer<typeof bankAccountSchema>;
