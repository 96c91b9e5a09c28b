import { z } from 'zod';
import {
  currencyCode,
  customerRef,
  isoDateTime,
  lineItemsSource,
  money,
  paymentAllocation,
  recordBase,
} from './common.ts';
import { invoiceLineItem } from './invoices.ts';

/** Codat AccountingCreditNote. */
export const creditNoteSchema = z.object({
  ...recordBase,
  creditNoteNumber: z.string().nullable(),
  customerRef: customerRef,
  withholdingTax: z.array(z.object({ name: z.string(), amount: money })).optional(),
  totalAmount: money,
  totalDiscount: money.nullable(),
  subTotal: money,
  additionalTaxAmount: money.optional(),
  additionalTaxPercentage: money.optional(),
  totalTaxAmount: money,
  discountPercentage: money.nullable(),
  remainingCredit: money,
  status: z.enum(['Unknown', 'Draft', 'Submitted', 'Paid', 'Void', 'PartiallyPaid']),
  issueDate: isoDateTime,
  allocatedOnDate: isoDateTime.nullable(),
  currency: currencyCode,
  currencyRate: z.number().nullable(),
  lineItems: z.array(invoiceLineItem),
  lineItemsSource: lineItemsSource,
  paymentAllocations: z.array(paymentAllocation),
  note: z.string().nullable(),
});
export type CreditNote = z.infer<typeof creditNoteSchema>;
