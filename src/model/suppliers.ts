import { z } from 'zod';
import { address, currencyCode, money, recordBase, recordStatus } from './common.ts';
import { contactSchema } from './customers.ts';

/** Codat AccountingSupplier. `contacts` and `balance` are extensions (Codat's supplier has neither). */
export const supplierSchema = z.object({
  ...recordBase,
  supplierName: z.string().nullable(),
  contactName: z.string().nullable(),
  emailAddress: z.string().nullable(),
  phone: z.string().nullable(),
  addresses: z.array(address),
  contacts: z.array(contactSchema).optional(),
  registrationNumber: z.string().nullable(),
  taxNumber: z.string().nullable(),
  status: recordStatus,
  defaultCurrency: currencyCode.nullable(),
  balance: money.nullable().optional(),
});
export type Supplier = z.infer<typeof supplierSchema>;
