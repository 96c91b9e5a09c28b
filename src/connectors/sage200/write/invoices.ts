// invoices: Codat invoices -> Sage 200 `POST /sales_invoices` (a posted ledger document; create only).
import { documentWriter } from './documents.ts';

export const invoicesWriter = documentWriter({
  dataType: 'invoices',
  label: 'invoice',
  side: 'sales',
  endpoint: 'sales_invoices',
  postedResource: 'sales_posted_transactions',
  transactionType: 'TradingAccountEntryTypeInvoice',
  numberField: 'invoiceNumber',
  taxField: 'totalTaxAmount',
  traderRef: 'customerRef',
  hasDueDate: true,
});
