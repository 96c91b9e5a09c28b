// The Sage 200 row shapes the mappers read (field names from sage200-api-schemas.md). Validated loosely at the edge:
// unknown fields pass through, missing optional ones are undefined, wrong types fail with the field named.
import { z } from 'zod';

const n = z.number().nullable().optional();
const s = z.string().nullable().optional();

export const taxAnalysisItem = z.looseObject({
  id: z.number().nullable().optional(),
  code: n,
  name: s,
  entry_type: s,
  goods_amount: n,
  tax_amount: n,
  tax_discount_amount: n,
});
export const nominalAnalysisItem = z.looseObject({
  code: s,
  cost_centre: s,
  department: s,
  name: s,
  narrative: s,
  value: n,
  base_value: n,
  transaction_analysis_code: s,
});
export const allocationSessionItem = z.looseObject({
  urn: n,
  allocation_date: s,
  trader_transaction_type: s,
  reference: s,
  value: n,
  allocation_value: n,
  ledger_type: s,
});
export const bankItem = z.looseObject({
  bank_code: s,
  name: s,
  bank_entry_type: s,
  reference: s,
  cheque_value: n,
  urn: n,
});

/** sales_posted_transaction and purchase_posted_transaction (customer_id or supplier_id). */
export const postedTransaction = z.looseObject({
  id: z.number(),
  customer_id: n,
  supplier_id: n,
  trader_transaction_type: z.string(),
  reference: s,
  second_reference: s,
  transaction_date: s,
  posted_date: s,
  due_date: s,
  full_settlement_date: s,
  document_goods_value: n,
  document_gross_value: n,
  document_tax_value: n,
  document_discount_value: n,
  document_allocated_value: n,
  document_outstanding_value: n,
  base_goods_value: n,
  base_gross_value: n,
  base_tax_value: n,
  exchange_rate: n,
  urn: n,
  tax_analysis_items: z.array(taxAnalysisItem).nullable().optional(),
  nominal_analysis_items: z.array(nominalAnalysisItem).nullable().optional(),
  bank_items: z.array(bankItem).nullable().optional(),
  allocation_session_items: z.array(allocationSessionItem).nullable().optional(),
  date_time_created: s,
  date_time_updated: s,
});
export type PostedTransaction = z.infer<typeof postedTransaction>;

export const sopInvoiceLine = z.looseObject({
  customer_id: n,
  sop_invoice_credit_id: n,
  sop_invoice_credit_type: s,
  sop_invoice_credit_document_no: s,
  sop_invoice_credit_line_id: n,
  sop_invoice_credit_line_total_value: n,
  sop_invoice_credit_line_tax_value: n,
  invoice_line_profit_analysis_line_quantity: n,
  product_id: n,
  product_code: s,
  product_name: s,
  product_description: s,
});
export type SopInvoiceLine = z.infer<typeof sopInvoiceLine>;

export const TRADER = {
  invoice: ['TradingAccountEntryTypeInvoice', 'TradingAccountEntryTypeOpeningBalanceInvoice'],
  creditNote: ['TradingAccountEntryTypeCreditNote', 'TradingAccountEntryTypeOpeningBalanceCreditNote'],
  /** sales receipt / purchase payment */
  payment: ['TradingAccountEntryTypePurchasePaymentSalesReceipt'],
  /** sales payment (refund) / purchase receipt */
  refund: ['TradingAccountEntryTypePurchaseReceiptSalesPayment'],
} as const;

export function traderFilter(types: readonly string[]): string {
  return types.map((t) => `trader_transaction_type eq '${t}'`).join(' or ');
}

/** Parses a row, naming the resource and id on failure so a FetchError/MapError says what to look at. */
export function parseRow<T extends z.ZodType>(schema: T, row: unknown, resource: string): z.infer<T> {
  const r = schema.safeParse(row);
  if (r.success) return r.data;
  const id = (row as { id?: unknown })?.id;
  const issue = r.error.issues[0];
  throw new Error(`Unexpected ${resource} row ${id ?? '?'} from Sage: ${issue?.path.join('.')} ${issue?.message}`);
}
