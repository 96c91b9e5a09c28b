// DataType -> zod schema of one stored record, and the URL segment Codat uses for it.
import { z } from 'zod';
import type { DataType } from '../connectors/connector.ts';
import { accountSchema } from './accounts.ts';
import { bankAccountSchema } from './bankAccounts.ts';
import { bankTransactionSchema } from './bankTransactions.ts';
import { billCreditNoteSchema } from './billCreditNotes.ts';
import { billPaymentSchema } from './billPayments.ts';
import { billSchema } from './bills.ts';
import { companySchema } from './company.ts';
import { creditNoteSchema } from './creditNotes.ts';
import { customerSchema } from './customers.ts';
import { invoiceSchema } from './invoices.ts';
import { itemSchema } from './items.ts';
import { journalEntrySchema } from './journalEntries.ts';
import { purchaseOrderSchema, salesOrderSchema } from './orders.ts';
import { paymentSchema } from './payments.ts';
import { balanceSheetMonthSchema, profitAndLossMonthSchema } from './reports.ts';
import { supplierSchema } from './suppliers.ts';
import { taxRateSchema } from './taxRates.ts';
import { trackingCategorySchema } from './trackingCategories.ts';

const agedBucket = z.object({
  fromDate: z.string(),
  toDate: z.string(),
  amount: z.number(),
  details: z.array(z.object({ name: z.string(), amount: z.number() })),
});
const agedCurrency = z.object({ currency: z.string(), agedOutstandingAmounts: z.array(agedBucket) });
/** A stored aged report snapshot (when a reader provides one); usually the API computes it with `agedReport`. */
export const agedReportSchema = z.object({
  id: z.string(),
  generated: z.string(),
  reportDate: z.string(),
  data: z.array(z.record(z.string(), z.unknown()).and(z.object({ agedCurrencyOutstanding: z.array(agedCurrency) }))),
});

export const schemas: Record<DataType, z.ZodType<{ id: string } & Record<string, unknown>>> = {
  company: companySchema,
  chartOfAccounts: accountSchema,
  taxRates: taxRateSchema,
  trackingCategories: trackingCategorySchema,
  customers: customerSchema,
  suppliers: supplierSchema,
  invoices: invoiceSchema,
  creditNotes: creditNoteSchema,
  payments: paymentSchema,
  bills: billSchema,
  billCreditNotes: billCreditNoteSchema,
  billPayments: billPaymentSchema,
  bankAccounts: bankAccountSchema,
  bankTransactions: bankTransactionSchema,
  items: itemSchema,
  salesOrders: salesOrderSchema,
  purchaseOrders: purchaseOrderSchema,
  journalEntries: journalEntrySchema,
  balanceSheet: balanceSheetMonthSchema,
  profitAndLoss: profitAndLossMonthSchema,
  agedDebtor: agedReportSchema,
  agedCreditor: agedReportSchema,
} as Record<DataType, z.ZodType<{ id: string } & Record<string, unknown>>>;

/** URL segment under /companies/{id}/data/ (reports live under data/financials/ and reports/). */
export const urlSegments: Record<DataType, string> = {
  company: 'info',
  chartOfAccounts: 'accounts',
  taxRates: 'taxRates',
  trackingCategories: 'trackingCategories',
  customers: 'customers',
  suppliers: 'suppliers',
  invoices: 'invoices',
  creditNotes: 'creditNotes',
  payments: 'payments',
  bills: 'bills',
  billCreditNotes: 'billCreditNotes',
  billPayments: 'billPayments',
  bankAccounts: 'bankAccounts',
  bankTransactions: 'bankTransactions',
  items: 'items',
  salesOrders: 'salesOrders',
  purchaseOrders: 'purchaseOrders',
  journalEntries: 'journalEntries',
  balanceSheet: 'financials/balanceSheet',
  profitAndLoss: 'financials/profitAndLoss',
  agedDebtor: 'agedDebtor',
  agedCreditor: 'agedCreditor',
};

export function dataTypeForSegment(segment: string): DataType | undefined {
  return (Object.keys(urlSegments) as DataType[]).find((k) => urlSegments[k] === segment);
}

/** Data types whose records are monthly report snapshots, not documents (no modifiedDate, no query by default). */
export const REPORT_TYPES: readonly DataType[] = ['balanceSheet', 'profitAndLoss', 'agedDebtor', 'agedCreditor'];

export { agedReport } from './aged.ts';
export { aggregateReport } from './reports.ts';
