// Shared building blocks of the standard model (Codat's field names; codat-model.md 4.0).
import { z } from 'zod';

/** ISO 8601 date-time string as we emit it (`2026-01-31T00:00:00Z`, or with milliseconds for stamps). */
export const isoDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'ISO 8601 UTC date-time');
/** ISO 4217 code; `XXX` when unknown. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code');
export const money = z.number().finite();

export const metadata = z.object({ isDeleted: z.boolean().nullable().optional() });
export const supplementalData = z.object({ content: z.record(z.string(), z.unknown()).nullable().optional() });

/** Mix-in fields every record carries: modifiedDate is set by the sync, sourceModifiedDate from Sage's stamp. */
export const recordBase = {
  id: z.string().min(1),
  metadata: metadata.optional(),
  supplementalData: supplementalData.optional(),
  modifiedDate: isoDateTime.nullable().optional(),
  sourceModifiedDate: isoDateTime.nullable().optional(),
};

export const accountRef = z.object({ id: z.string(), name: z.string().nullable().optional() });
export const taxRateRef = z.object({
  id: z.string(),
  name: z.string().nullable().optional(),
  effectiveTaxRate: z.number().nullable().optional(),
});
export const itemRef = z.object({ id: z.string(), name: z.string().nullable().optional() });
export const trackingCategoryRef = z.object({ id: z.string(), name: z.string().nullable().optional() });
export const customerRef = z.object({ id: z.string(), companyName: z.string().nullable().optional() });
export const supplierRef = z.object({ id: z.string(), supplierName: z.string().nullable().optional() });

export const addressType = z.enum(['Unknown', 'Billing', 'Delivery']);
export const address = z.object({
  type: addressType,
  line1: z.string().nullable().optional(),
  line2: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  region: z.string().nullable().optional(),
  country: z.string().nullable().optional(),
  postalCode: z.string().nullable().optional(),
});
export const phoneType = z.enum(['Primary', 'Landline', 'Mobile', 'Fax', 'Unknown']);
export const phoneNumber = z.object({ number: z.string().nullable(), type: phoneType });

export const trackingIsBilledTo = z.enum(['Unknown', 'NotApplicable', 'Customer', 'Project']);
export const lineTracking = z.object({
  categoryRefs: z.array(trackingCategoryRef),
  customerRef: customerRef.nullable().optional(),
  projectRef: z.object({ id: z.string(), name: z.string().nullable().optional() }).nullable().optional(),
  isBilledTo: trackingIsBilledTo,
  isRebilledTo: trackingIsBilledTo,
});

/** How we built a document's lines from Sage (docs/data-model.md, "Line items of posted documents"). */
export const lineItemsSource = z.enum(['SummaryByTaxCode', 'DocumentLines']);

/** One line of an invoice, credit note, bill or bill credit note. */
export const documentLineItem = z.object({
  description: z.string().nullable().optional(),
  unitAmount: money,
  quantity: money,
  discountAmount: money.nullable().optional(),
  discountPercentage: money.nullable().optional(),
  subTotal: money.nullable().optional(),
  taxAmount: money.nullable().optional(),
  totalAmount: money.nullable().optional(),
  accountRef: accountRef.nullable().optional(),
  taxRateRef: taxRateRef.nullable().optional(),
  itemRef: itemRef.nullable().optional(),
  trackingCategoryRefs: z.array(trackingCategoryRef).nullable().optional(),
  tracking: lineTracking.nullable().optional(),
});

export const paymentAllocation = z.object({
  payment: z.object({
    id: z.string().optional(),
    note: z.string().nullable().optional(),
    reference: z.string().nullable().optional(),
    accountRef: accountRef.nullable().optional(),
    currency: currencyCode.optional(),
    currencyRate: z.number().nullable().optional(),
    paidOnDate: isoDateTime.optional(),
    totalAmount: money.optional(),
  }),
  allocation: z.object({
    currency: currencyCode.optional(),
    currencyRate: z.number().nullable().optional(),
    allocatedOnDate: isoDateTime.optional(),
    totalAmount: money.optional(),
  }),
});

export const recordStatus = z.enum(['Unknown', 'Active', 'Archived']);
