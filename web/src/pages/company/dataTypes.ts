import { formatDate, formatMoney } from '../../lib/format.ts';

// The data types the portal's viewer shows: URL segment, dataStatus key and the columns worth a glance.

type Row = Record<string, unknown>;
export interface Column {
  key: string;
  label: string;
  num?: boolean;
  render: (r: Row) => string;
}

const get = (r: Row, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Row)[k] : undefined), r);
const text = (path: string, label: string): Column => ({
  key: path,
  label,
  render: (r) => String(get(r, path) ?? '—'),
});
const date = (path: string, label: string): Column => ({ key: path, label, render: (r) => formatDate(get(r, path)) });
const money = (path: string, label: string): Column => ({
  key: path,
  label,
  num: true,
  render: (r) => formatMoney(get(r, path), (r.currency as string) ?? null),
});

export interface DataTypeInfo {
  segment: string;
  statusKey: string;
  label: string;
  columns: Column[];
  /** Field the query box searches with `~` (contains). */
  searchField: string;
  defaultOrder: string;
}

const doc = (segment: string, label: string, party: string, partyLabel: string, number = 'invoiceNumber') => ({
  segment,
  statusKey: segment,
  label,
  searchField: number,
  defaultOrder: '-issueDate',
  columns: [
    text(number, 'Number'),
    text(party, partyLabel),
    date('issueDate', 'Issued'),
    date('dueDate', 'Due'),
    text('status', 'Status'),
    money('totalAmount', 'Total'),
    money(segment === 'invoices' || segment === 'bills' ? 'amountDue' : 'remainingCredit', 'Outstanding'),
  ],
});

export const DATA_TYPES: DataTypeInfo[] = [
  doc('invoices', 'Invoices', 'customerRef.companyName', 'Customer'),
  doc('creditNotes', 'Credit notes', 'customerRef.companyName', 'Customer', 'creditNoteNumber'),
  doc('bills', 'Bills', 'supplierRef.supplierName', 'Supplier', 'reference'),
  doc('billCreditNotes', 'Bill credit notes', 'supplierRef.supplierName', 'Supplier', 'billCreditNoteNumber'),
  {
    segment: 'payments',
    statusKey: 'payments',
    label: 'Payments',
    searchField: 'reference',
    defaultOrder: '-date',
    columns: [
      date('date', 'Date'),
      text('customerRef.companyName', 'Customer'),
      text('reference', 'Reference'),
      money('totalAmount', 'Amount'),
    ],
  },
  {
    segment: 'billPayments',
    statusKey: 'billPayments',
    label: 'Bill payments',
    searchField: 'reference',
    defaultOrder: '-date',
    columns: [
      date('date', 'Date'),
      text('supplierRef.supplierName', 'Supplier'),
      text('reference', 'Reference'),
      money('totalAmount', 'Amount'),
    ],
  },
  {
    segment: 'customers',
    statusKey: 'customers',
    label: 'Customers',
    searchField: 'customerName',
    defaultOrder: 'customerName',
    columns: [
      text('customerName', 'Name'),
      text('contactName', 'Contact'),
      text('emailAddress', 'Email'),
      text('defaultCurrency', 'Currency'),
      text('status', 'Status'),
    ],
  },
  {
    segment: 'suppliers',
    statusKey: 'suppliers',
    label: 'Suppliers',
    searchField: 'supplierName',
    defaultOrder: 'supplierName',
    columns: [
      text('supplierName', 'Name'),
      text('contactName', 'Contact'),
      text('emailAddress', 'Email'),
      text('defaultCurrency', 'Currency'),
      text('status', 'Status'),
    ],
  },
  {
    segment: 'accounts',
    statusKey: 'chartOfAccounts',
    label: 'Accounts',
    searchField: 'name',
    defaultOrder: 'nominalCode',
    columns: [
      text('nominalCode', 'Code'),
      text('name', 'Name'),
      text('type', 'Type'),
      text('fullyQualifiedCategory', 'Category'),
      money('currentBalance', 'Balance'),
    ],
  },
  {
    segment: 'taxRates',
    statusKey: 'taxRates',
    label: 'Tax rates',
    searchField: 'name',
    defaultOrder: 'code',
    columns: [text('code', 'Code'), text('name', 'Name'), text('effectiveTaxRate', 'Rate %'), text('status', 'Status')],
  },
  {
    segment: 'trackingCategories',
    statusKey: 'trackingCategories',
    label: 'Tracking categories',
    searchField: 'name',
    defaultOrder: 'name',
    columns: [text('name', 'Name'), text('parentId', 'Parent'), text('status', 'Status')],
  },
  {
    segment: 'items',
    statusKey: 'items',
    label: 'Items',
    searchField: 'name',
    defaultOrder: 'code',
    columns: [text('code', 'Code'), text('name', 'Name'), text('type', 'Type'), text('itemStatus', 'Status')],
  },
  {
    segment: 'salesOrders',
    statusKey: 'salesOrders',
    label: 'Sales orders',
    searchField: 'salesOrderNumber',
    defaultOrder: '-issueDate',
    columns: [
      text('salesOrderNumber', 'Number'),
      text('customerRef.companyName', 'Customer'),
      date('issueDate', 'Issued'),
      text('status', 'Status'),
      money('totalAmount', 'Total'),
    ],
  },
  {
    segment: 'purchaseOrders',
    statusKey: 'purchaseOrders',
    label: 'Purchase orders',
    searchField: 'purchaseOrderNumber',
    defaultOrder: '-issueDate',
    columns: [
      text('purchaseOrderNumber', 'Number'),
      text('supplierRef.supplierName', 'Supplier'),
      date('issueDate', 'Issued'),
      text('status', 'Status'),
      money('totalAmount', 'Total'),
    ],
  },
  {
    segment: 'journalEntries',
    statusKey: 'journalEntries',
    label: 'Journal entries',
    searchField: 'description',
    defaultOrder: '-postedOn',
    columns: [date('postedOn', 'Posted'), text('description', 'Description'), text('id', 'Id')],
  },
];

export function findDataType(segment: string | undefined): DataTypeInfo | undefined {
  return DATA_TYPES.find((d) => d.segment === segment);
}

export { get as getPath };
