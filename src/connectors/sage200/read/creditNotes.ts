// Sage sales_posted_transactions of type CreditNote -> Codat credit notes.
import type { StandardRecord } from '../../connector.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { roundAmount } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { parseRow, postedTransaction, TRADER } from '../mapping/sage.ts';
import type { Reader } from './common.ts';
import { readSalesDocuments } from './invoices.ts';
import { mapCommon, settlementStatus } from './postedDocuments.ts';
import { type SopLineIndex, sopKey } from './sopLines.ts';

export function mapCreditNote(row: unknown, lk: Lookups, sop?: SopLineIndex): StandardRecord {
  const t = parseRow(postedTransaction, row, 'sales_posted_transactions');
  const c = mapCommon('creditNote', t, lk, sop?.get(sopKey(t.customer_id, t.reference)));
  return {
    id: c.id,
    creditNoteNumber: str(t.reference),
    customerRef: { id: c.partyId ?? '', companyName: c.partyName },
    totalAmount: roundAmount(c.totals.gross),
    totalDiscount: null,
    subTotal: roundAmount(c.totals.goods),
    totalTaxAmount: roundAmount(c.totals.tax),
    discountPercentage: null,
    remainingCredit: roundAmount(c.totals.outstanding),
    status: settlementStatus(c.totals),
    issueDate: c.issueDate,
    allocatedOnDate: c.lastAllocationDate,
    currency: c.currency,
    currencyRate: c.currencyRate,
    lineItems: c.lineItems,
    lineItemsSource: c.lineItemsSource,
    paymentAllocations: c.paymentAllocations,
    note: str(t.second_reference) !== str(t.reference) ? str(t.second_reference) : null,
    metadata: { isDeleted: false },
    sourceModifiedDate: c.sourceModifiedDate,
  };
}

export const readCreditNotes: Reader = readSalesDocuments(TRADER.creditNote, mapCreditNote);
