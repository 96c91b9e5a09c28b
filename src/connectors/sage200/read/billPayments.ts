// Sage purchase payments and receipts (refunds) -> Codat bill payments (accounts payable).
import type { StandardRecord } from '../../connector.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { parseRow, postedTransaction, TRADER, traderFilter } from '../mapping/sage.ts';
import { pagedRead, type Reader } from './common.ts';
import { mapLedgerPayment } from './ledgerPayments.ts';
import { loadLookups } from './lookups.ts';

export function mapBillPayment(row: unknown, lk: Lookups): StandardRecord {
  return mapLedgerPayment('purchase', parseRow(postedTransaction, row, 'purchase_posted_transactions'), lk);
}

export const readBillPayments: Reader = (client, options) =>
  pagedRead(client, options, {
    context: loadLookups(client, ['suppliers', 'banks', 'purchaseUrns']),
    resource: 'purchase_posted_transactions',
    expand: 'allocation_session_items,bank_items',
    filter: traderFilter([...TRADER.payment, ...TRADER.refund]),
    dateField: 'transaction_date',
    map: mapBillPayment,
  });
