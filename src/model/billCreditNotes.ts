import { z } from 'zod';
import { billLineItem } from './bills.ts';
import {
  currencyCode,
  isoDateTime,
  lineItemsSource,
  money,
  paymentAllocation,
  recordBase,
  supplierRef,
} from './common.ts';

/** Codat AccountingBillCreditNote. */
export const billCreditNoteSchema = z.object({
  ...recordBase,
  billCreditNoteNumber: z.string().nullable(),
  supplierRef: supplierRef,
  withholdingTax: z.array(z.object({ name: z.string(), amount: money })).optional(),
  totalAmount: money,
  totalDiscount: money.nullable(),
  subTotal: money,
  totalTaxAmount: money,
  discountPercentage: money.nullable(),
  remainingCredit: money,
  status: z.enum(['Unknown', 'Draft', 'Submitted', 'Paid', 'Void', 'PartiallyPaid']),
  issueDate: isoDateTime,
  allocatedOnDate: isoDateTime.nullable(),
  currency: currencyCode,
  currencyRate: z.number().nullable(),
  lineItems: z.array(billLineItem),
  lineItemsSource: lineItemsSource,
  paymentAllocations: z.array(paymentAllocation),
  note: z.string().nullable(),
});
export type BillCreditNote = z.infer<typeof billCreditNoteSchema>;
