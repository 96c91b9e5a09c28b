// creditNotes: Codat credit notes -> Sage 200 `POST /sales_credit_notes` (a posted ledger document; create only).
import { documentWriter } from './documents.ts';

export const creditNotesWriter = documentWriter({
  dataType: 'creditNotes',
  label: 'credit note',
  side: 'sales',
  endpoint: 'sales_credit_notes',
  postedResource: 'sales_posted_transactions',
  transactionType: 'TradingAccountEntryTypeCreditNote',
  numberField: 'creditNoteNumber',
  taxField: 'totalTaxAmount',
  traderRef: 'customerRef',
  hasDueDate: false,
});
