import { z } from 'zod';
import {
  currencyCode,
  customerRef,
  documentLineItem,
  isoDateTime,
  lineItemsSource,
  money,
  paymentAllocation,
  recordBase,
} from './common.ts';

export const invoiceLineItem = documentLineItem.extend({ isDirectIncome: z.boolean().optional() });

/** Codat AccountingInvoice. `lineItemsSource` is our extension (docs/data-model.md). */
export const invoiceSchema = z.object({
  ...recordBase,
  invoiceNumber: z.string().nullable(),
  customerRef: customerRef,
  salesOrderRefs: z.array(z.object({ id: z.string(), dataType: z.literal('salesOrders') })).optional(),
  issueDate: isoDateTime,
  dueDate: isoDateTime.nullable(),
  paidOnDate: isoDateTime.nullable(),
  currency: currencyCode,
  currencyRate: z.number().nullable(),
  lineItems: z.array(invoiceLineItem),
  lineItemsSource: lineItemsSource,
  paymentAllocations: z.array(paymentAllocation),
  withholdingTax: z.array(z.object({ name: z.string(), amount: money })).optional(),
  totalDiscount: money.nullable(),
  subTotal: money.nullable(),
  additionalTaxAmount: money.optional(),
  additionalTaxPercentage: money.optional(),
  totalTaxAmount: money,
  totalAmount: money,
  amountDue: money,
  discountPercentage: money.nullable(),
  status: z.enum(['Unknown', 'Draft', 'Submitted', 'PartiallyPaid', 'Paid', 'Void']),
  note: z.string().nullable(),
});
export type Invoice = z.infer<typeof invoiceSchema>;
