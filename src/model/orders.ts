import { z } from 'zod';
import {
  accountRef,
  address,
  currencyCode,
  customerRef,
  isoDateTime,
  itemRef,
  money,
  recordBase,
  supplierRef,
  taxRateRef,
  trackingCategoryRef,
} from './common.ts';

export const orderLineItem = z.object({
  description: z.string().nullable(),
  unitAmount: money,
  quantity: money,
  discountAmount: money.nullable(),
  discountPercentage: money.nullable(),
  subTotal: money,
  taxAmount: money,
  totalAmount: money,
  accountRef: accountRef.nullable(),
  taxRateRef: taxRateRef.nullable(),
  itemRef: itemRef.nullable(),
  trackingCategoryRefs: z.array(trackingCategoryRef),
});

const orderCommon = {
  ...recordBase,
  issueDate: isoDateTime,
  currency: currencyCode,
  currencyRate: z.number().nullable(),
  lineItems: z.array(orderLineItem),
  totalDiscount: money.nullable(),
  subTotal: money,
  totalTaxAmount: money,
  totalAmount: money,
  note: z.string().nullable(),
  status: z.enum(['Unknown', 'Draft', 'Open', 'Closed', 'Void']),
};

/** Codat SalesOrder (2023 Accounting spec). */
export const salesOrderSchema = z.object({
  ...orderCommon,
  salesOrderNumber: z.string().nullable(),
  customerRef: customerRef.nullable(),
  expectedDeliveryDate: isoDateTime.nullable(),
  invoicingStatus: z.enum(['Unknown', 'PartiallyInvoiced', 'Invoiced', 'NotInvoiced']),
  shipTo: z.object({ address: address.nullable() }).nullable().optional(),
});
export type SalesOrder = z.infer<typeof salesOrderSchema>;

/** Codat PurchaseOrder (2023 Accounting spec). */
export const purchaseOrderSchema = z.object({
  ...orderCommon,
  purchaseOrderNumber: z.string().nullable(),
  supplierRef: supplierRef.nullable(),
  deliveryDate: isoDateTime.nullable(),
  expectedDeliveryDate: isoDateTime.nullable(),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;
