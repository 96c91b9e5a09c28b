// Sage sales receipts and refunds -> Codat payments (accounts receivable).
import type { StandardRecord } from '../../connector.ts';
import type { Lookups } from '../mapping/lookups.ts';
import { parseRow, postedTransaction, TRADER, traderFilter } from '../mapping/sage.ts';
import { pagedRead, type Reader } from './common.ts';
import { mapLedgerPayment } from './ledgerPayments.ts';
import { loadLookups } from './lookups.ts';

export function mapPayment(row: unknown, lk: Lookups): StandardRecord {
  return mapLedgerPayment('sales', parseRow(postedTransaction, row, 'sales_posted_transactions'), lk);
}

export const readPayments: Reader = (client, options) =>
  pagedRead(client, options, {
    context: loadLookups(client, ['customers', 'banks', 'salesUrns']),
    resource: 'sales_posted_transactions',
    expand: 'allocation_session_items,bank_items',
    filter: traderFilter([...TRADER.payment, ...TRADER.refund]),
    dateField: 'transaction_date',
    map: mapPayment,
  });
