import { z } from 'zod';
import { accountRef, currencyCode, customerRef, isoDateTime, money, recordBase } from './common.ts';

export const paymentLinkType = z.enum([
  'Unknown',
  'Unlinked',
  'Invoice',
  'CreditNote',
  'Other',
  'Refund',
  'Payment',
  'PaymentOnAccount',
  'ManualJournal',
  'Discount',
]);

export const paymentLine = z.object({
  amount: money,
  links: z.array(
    z.object({
      type: paymentLinkType,
      id: z.string().nullable(),
      amount: money.nullable(),
      currencyRate: z.number().nullable(),
    }),
  ),
  allocatedOnDate: isoDateTime.nullable().optional(),
});

/** Codat AccountingPayment (accounts receivable). */
export const paymentSchema = z.object({
  ...recordBase,
  customerRef: customerRef.nullable(),
  accountRef: accountRef.nullable(),
  paymentMethodRef: z.object({ id: z.string(), name: z.string().nullable().optional() }).nullable().optional(),
  totalAmount: money,
  currency: currencyCode,
  currencyRate: z.number().nullable(),
  date: isoDateTime,
  note: z.string().nullable(),
  reference: z.string().nullable(),
  lines: z.array(paymentLine),
});
export type Payment = z.infer<typeof paymentSchema>;
