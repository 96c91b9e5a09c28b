// Deletion reconciliation: every id a data type's reader would emit, listed cheaply ($select of the key field only,
// 5,000 per page, stable $orderby). Each spec mirrors its reader's resource, filter and sync-window date field, so
// "listed" and "read" are the same set of records.
import type { DataType } from '../../connector.ts';
import type { PagesOptions } from '../client.ts';
import { COST_CENTRES_ROOT, costCentreId, DEPARTMENTS_ROOT, departmentId } from '../mapping/refs.ts';
import { TRADER, traderFilter } from '../mapping/sage.ts';
import { and, type SageReader } from './common.ts';

type Row = Record<string, unknown>;

export const ID_PAGE_SIZE = 5000;

interface IdSpec {
  resource: string;
  filter?: string;
  /** business date field the reader filters on for the sync window */
  dateField?: string;
}

const SALES = 'sales_posted_transactions';
const PURCHASE = 'purchase_posted_transactions';
const PAYMENTS = [...TRADER.payment, ...TRADER.refund];

/** Data types listed by the record's own `id` (the readers emit `String(row.id)` for each of them). */
const BY_ID: Partial<Record<DataType, IdSpec>> = {
  chartOfAccounts: { resource: 'nominal_codes' },
  taxRates: { resource: 'tax_codes' },
  customers: { resource: 'customers' },
  suppliers: { resource: 'suppliers' },
  invoices: { resource: SALES, filter: traderFilter(TRADER.invoice), dateField: 'transaction_date' },
  creditNotes: { resource: SALES, filter: traderFilter(TRADER.creditNote), dateField: 'transaction_date' },
  payments: { resource: SALES, filter: traderFilter(PAYMENTS), dateField: 'transaction_date' },
  bills: { resource: PURCHASE, filter: traderFilter(TRADER.invoice), dateField: 'transaction_date' },
  billCreditNotes: { resource: PURCHASE, filter: traderFilter(TRADER.creditNote), dateField: 'transaction_date' },
  billPayments: { resource: PURCHASE, filter: traderFilter(PAYMENTS), dateField: 'transaction_date' },
  bankAccounts: { resource: 'banks' },
  bankTransactions: { resource: 'bank_posted_transactions', dateField: 'transaction_date' },
  items: { resource: 'products' },
  salesOrders: { resource: 'sop_orders', dateField: 'document_date' },
  purchaseOrders: { resource: 'pop_orders', dateField: 'document_date' },
};

/**
 * Data types with an id listing. Not listed, on purpose: `company`, `balanceSheet`, `profitAndLoss` (always read
 * whole, so a full read detects removals), `journalEntries` (no update stamp: every read is full, deletions by
 * absence), `agedDebtor`/`agedCreditor` (computed, never stored).
 */
export const LISTABLE: ReadonlySet<DataType> = new Set([...(Object.keys(BY_ID) as DataType[]), 'trackingCategories']);

function windowFilter(field: string | undefined, from: Date | undefined): string | undefined {
  return field && from ? `${field} ge ${from.toISOString().slice(0, 10)}` : undefined;
}

async function* keys(client: SageReader, resource: string, q: Omit<PagesOptions, 'pageSize'>, key = 'id') {
  for await (const page of client.pages<Row>(resource, { ...q, select: key, pageSize: ID_PAGE_SIZE }))
    yield page.rows.map((r) => r[key]);
}

/** Yields the ids of one data type page by page; undefined when the type has no listing (see LISTABLE). */
export function listIds(
  client: SageReader,
  dataType: DataType,
  options: { from?: Date } = {},
): AsyncIterable<string[]> | undefined {
  if (dataType === 'trackingCategories') return listTrackingIds(client);
  const spec = BY_ID[dataType];
  if (!spec) return undefined;
  return (async function* () {
    const filter = and(spec.filter, windowFilter(spec.dateField, options.from));
    for await (const ids of keys(client, spec.resource, { orderBy: 'id asc', filter })) yield ids.map(String);
  })();
}

/** Tracking ids are built from cost centre and department codes (see trackingCategories.ts), plus the two roots. */
async function* listTrackingIds(client: SageReader): AsyncIterable<string[]> {
  yield [COST_CENTRES_ROOT, DEPARTMENTS_ROOT];
  for await (const codes of keys(client, 'cost_centres', { orderBy: 'id asc' }, 'code'))
    yield codes.map((c) => costCentreId(String(c).trim()));
  for await (const codes of keys(client, 'departments', { orderBy: 'id asc' }, 'code'))
    yield codes.map((c) => departmentId(String(c).trim()));
}
