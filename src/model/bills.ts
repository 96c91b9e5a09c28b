import { z } from 'zod';
import {
  currencyCode,
  documentLineItem,
  isoDateTime,
  lineItemsSource,
  money,
  paymentAllocation,
  recordBase,
  supplierRef,
} from './common.ts';

export const billLineItem = documentLineItem.extend({
  lineNumber: z.string().nullable().optional(),
  unitOfMeasurement: z.string().nullable().optional(),
  isDirectCost: z.boolean().optional(),
});

/** Codat AccountingBill: the header tax field is `taxAmount`. */
export const billSchema = z.object({
  ...recordBase,
  reference: z.string().nullable(),
  supplierRef: supplierRef,
  purchaseOrderRefs: z.array(z.object({ id: z.string(), purchaseOrderNumber: z.string().nullable() })).optional(),
  issueDate: isoDateTime,
  dueDate: isoDateTime.nullable(),
  currency: currencyCode,
  currencyRate: z.number().nullable(),
  lineItems: z.array(billLineItem),
  lineItemsSource: lineItemsSource,
  withholdingTax: z.array(z.object({ name: z.string(), amount: money })).optional(),
  status: z.enum(['Unknown', 'Open', 'PartiallyPaid', 'Paid', 'Void', 'Draft']),
  subTotal: money,
  taxAmount: money,
  totalAmount: money,
  amountDue: money.nullable(),
  note: z.string().nullable(),
  paymentAllocations: z.array(paymentAllocation),
});
export type Bill = z.infer<typeof billSchema>;
