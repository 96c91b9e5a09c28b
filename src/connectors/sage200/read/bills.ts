// Sage purchase_posted_transactions of type Invoice -> Codat bills.
import type { StandardRecord } from '../../connector.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { roundAmount } from '../mapping/money.ts';
import { str } from '../mapping/refs.ts';
import { parseRow, postedTransaction, TRADER, traderFilter } from '../mapping/sage.ts';
import { pagedRead, type Reader } from './common.ts';
import { POSTED_EXPAND } from './invoices.ts';
import { loadLookups } from './lookups.ts';
import { mapCommon, settlementStatus } from './postedDocuments.ts';

const BILL_STATUS = { Submitted: 'Open', PartiallyPaid: 'PartiallyPaid', Paid: 'Paid' } as const;

export function mapBill(row: unknown, lk: Lookups): StandardRecord {
  const t = parseRow(postedTransaction, row, 'purchase_posted_transactions');
  const c = mapCommon('bill', t, lk);
  // the lines are this document's own fresh objects: extend them in place (same key order as a copy)
  for (const l of c.lineItems) l.isDirectCost = false;
  return {
    id: c.id,
    reference: str(t.reference),
    supplierRef: { id: c.partyId ?? '', supplierName: c.partyName },
    issueDate: c.issueDate,
    dueDate: c.dueDate,
    currency: c.currency,
    currencyRate: c.currencyRate,
    lineItems: c.lineItems,
    lineItemsSource: c.lineItemsSource,
    status: BILL_STATUS[settlementStatus(c.totals)],
    subTotal: roundAmount(c.totals.goods),
    taxAmount: roundAmount(c.totals.tax),
    totalAmount: roundAmount(c.totals.gross),
    amountDue: roundAmount(c.totals.outstanding),
    note: str(t.second_reference) !== str(t.reference) ? str(t.second_reference) : null,
    paymentAllocations: c.paymentAllocations,
    metadata: { isDeleted: false },
    sourceModifiedDate: c.sourceModifiedDate,
  };
}

export const readBills: Reader = (client, options) =>
  pagedRead(client, options, {
    context: loadLookups(client, ['taxCodes', 'suppliers', 'nominalCodes', 'tracking', 'purchaseUrns']),
    resource: 'purchase_posted_transactions',
    expand: POSTED_EXPAND,
    filter: traderFilter(TRADER.invoice),
    dateField: 'transaction_date',
    map: mapBill,
  });
