// bills: Codat bills -> Sage 200 `POST /purchase_invoices` (a posted ledger document; create only).
import { documentWriter } from './documents.ts';

export const billsWriter = documentWriter({
  dataType: 'bills',
  label: 'bill',
  side: 'purchase',
  endpoint: 'purchase_invoices',
  postedResource: 'purchase_posted_transactions',
  transactionType: 'TradingAccountEntryTypeInvoice',
  numberField: 'reference',
  taxField: 'taxAmount',
  traderRef: 'supplierRef',
  hasDueDate: true,
});
