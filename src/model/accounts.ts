import { z } from 'zod';
import { currencyCode, money, recordBase } from './common.ts';

export const accountType = z.enum(['Unknown', 'Asset', 'Expense', 'Income', 'Liability', 'Equity']);
export type AccountType = z.infer<typeof accountType>;

/** Codat AccountingAccount (data type `chartOfAccounts`, URL `/data/accounts`). */
export const accountSchema = z.object({
  ...recordBase,
  nominalCode: z.string().nullable(),
  name: z.string().nullable(),
  description: z.string().nullable().optional(),
  fullyQualifiedCategory: z.string().nullable(),
  fullyQualifiedName: z.string().nullable(),
  currency: currencyCode,
  /** Asset and Expense positive in debit; Income, Liability and Equity positive in credit. */
  currentBalance: money.nullable(),
  type: accountType,
  status: z.enum(['Unknown', 'Active', 'Archived', 'Pending']),
  isBankAccount: z.boolean(),
  validDatatypeLinks: z
    .array(z.object({ property: z.string().nullable(), links: z.array(z.string()).nullable() }))
    .optional(),
});
export type Account = z.infer<typeof accountSchema>;
