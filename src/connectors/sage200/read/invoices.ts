// Sage sales_posted_transactions of type Invoice -> Codat invoices.
import type { StandardRecord } from '../../connector.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { roundAmount } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { parseRow, postedTransaction, TRADER, traderFilter } from '../mapping/sage.ts';
import { pagedRead, type Reader } from './common.ts';
import { loadLookups } from './lookups.ts';
import { mapCommon, settlementStatus } from './postedDocuments.ts';
import { type SopLineIndex, sopKey, sopLinesFor } from './sopLines.ts';

export const POSTED_EXPAND = 'tax_analysis_items,nominal_analysis_items,allocation_session_items';

export function mapInvoice(row: unknown, lk: Lookups, sop?: SopLineIndex): StandardRecord {
  const t = parseRow(postedTransaction, row, 'sales_posted_transactions');
  const c = mapCommon('invoice', t, lk, sop?.get(sopKey(t.customer_id, t.reference)));
  const status = settlementStatus(c.totals);
  return {
    id: c.id,
    invoiceNumber: str(t.reference),
    customerRef: { id: c.partyId ?? '', companyName: c.partyName },
    issueDate: c.issueDate,
    dueDate: c.dueDate,
    paidOnDate: status === 'Paid' ? (c.lastAllocationDate ?? null) : null,
    currency: c.currency,
    currencyRate: c.currencyRate,
    lineItems: c.lineItems,
    lineItemsSource: c.lineItemsSource,
    paymentAllocations: c.paymentAllocations,
    totalDiscount: null,
    subTotal: roundAmount(c.totals.goods),
    totalTaxAmount: roundAmount(c.totals.tax),
    totalAmount: roundAmount(c.totals.gross),
    amountDue: roundAmount(c.totals.outstanding),
    discountPercentage: null,
    status,
    note: str(t.second_reference) !== str(t.reference) ? str(t.second_reference) : null,
    metadata: { isDeleted: false },
    sourceModifiedDate: c.sourceModifiedDate,
  };
}

/** Posted sales documents of some types (invoices, credit notes), mapped with the lookups and their SOP lines. */
export function readSalesDocuments(
  types: readonly string[],
  map: (row: unknown, lk: Lookups, sop?: SopLineIndex) => StandardRecord,
): Reader {
  return (client, options) => {
    const sop = sopLinesFor(client, options);
    return pagedRead(client, options, {
      context: loadLookups(client, ['taxCodes', 'customers', 'nominalCodes', 'tracking', 'salesUrns']).then(
        (lk): [Lookups, SopLineIndex | undefined] => [lk, undefined],
      ),
      prepare: async (rows, [lk]): Promise<[Lookups, SopLineIndex]> => [lk, await sop(rows)],
      resource: 'sales_posted_transactions',
      expand: POSTED_EXPAND,
      filter: traderFilter(types),
      dateField: 'transaction_date',
      map: (row, [lk, lines]) => map(row, lk, lines),
    });
  };
}

export const readInvoices: Reader = readSalesDocuments(TRADER.invoice, mapInvoice);
