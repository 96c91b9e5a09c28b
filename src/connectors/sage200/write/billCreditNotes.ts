// billCreditNotes: Codat bill credit notes -> Sage 200 `POST /purchase_credit_notes` (a posted ledger document; create only).
import { documentWriter } from './documents.ts';

export const billCreditNotesWriter = documentWriter({
  dataType: 'billCreditNotes',
  label: 'bill credit note',
  side: 'purchase',
  endpoint: 'purchase_credit_notes',
  postedResource: 'purchase_posted_transactions',
  transactionType: 'TradingAccountEntryTypeCreditNote',
  numberField: 'billCreditNoteNumber',
  taxField: 'totalTaxAmount',
  traderRef: 'supplierRef',
  hasDueDate: false,
});
