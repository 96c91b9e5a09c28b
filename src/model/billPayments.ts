import { z } from 'zod';
import { accountRef, currencyCode, isoDateTime, money, recordBase, supplierRef } from './common.ts';

export const billPaymentLinkType = z.enum([
  'Unknown',
  'Unlinked',
  'Bill',
  'Other',
  'CreditNote',
  'BillPayment',
  'PaymentOnAccount',
  'Refund',
  'ManualJournal',
  'Discount',
]);

export const billPaymentLine = z.object({
  amount: money,
  links: z.array(
    z.object({
      type: billPaymentLinkType,
      id: z.string().nullable(),
      amount: money.nullable(),
      currencyRate: z.number().nullable(),
    }),
  ),
  allocatedOnDate: isoDateTime.nullable().optional(),
});

/** Codat AccountingBillPayment (accounts payable). */
export const billPaymentSchema = z.object({
  ...recordBase,
  supplierRef: supplierRef.nullable(),
  accountRef: accountRef.nullable(),
  paymentMethodRef: z.object({ id: z.string(), name: z.string().nullable().optional() }).nullable().optional(),
  totalAmount: money,
  currency: currencyCode,
  currencyRate: z.number().nullable(),
  date: isoDateTime,
  note: z.string().nullable(),
  reference: z.string().nullable(),
  lines: z.array(billPaymentLine),
});
export type BillPayment = z.infer<typeof billPaymentSchema>;
