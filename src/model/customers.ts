import { z } from 'zod';
import { address, currencyCode, isoDateTime, money, phoneNumber, recordBase, recordStatus } from './common.ts';

export const contactSchema = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.array(phoneNumber),
  address: address.nullable().optional(),
  status: recordStatus,
  modifiedDate: isoDateTime.nullable().optional(),
});

/** Codat AccountingCustomer. `balance` is an extension: Sage's outstanding balance in the customer's currency. */
export const customerSchema = z.object({
  ...recordBase,
  customerName: z.string().nullable(),
  contactName: z.string().nullable(),
  emailAddress: z.string().nullable(),
  defaultCurrency: currencyCode.nullable(),
  phone: z.string().nullable(),
  addresses: z.array(address),
  contacts: z.array(contactSchema),
  registrationNumber: z.string().nullable(),
  taxNumber: z.string().nullable(),
  status: recordStatus,
  balance: money.nullable().optional(),
});
export type Customer = z.infer<typeof customerSchema>;
