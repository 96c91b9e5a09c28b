// Sage sop_orders / pop_orders (with lines) -> Codat sales orders / purchase orders.
import type { StandardRecord } from '../../connector.ts';
import { currencyRate } from '../mapping/currency.ts';
import { sageDate, sageTimestamp } from '../mapping/dates.ts';
import { type Lookups, nominalRef, num } from '../mapping/lookups.ts';
import { dec, round } from '../mapping/money.ts';
import { str, trackingRefs } from '../mapping/refs.ts';
import { pagedRead, type Reader } from './common.ts';
import { loadLookups } from './lookups.ts';

type Row = Record<string, unknown>;

export function orderStatus(documentStatus: unknown): 'Draft' | 'Open' | 'Closed' | 'Void' | 'Unknown' {
  const s = String(documentStatus ?? '');
  if (/Cancel/i.test(s)) return 'Void';
  if (/Complete/i.test(s)) return 'Closed';
  if (/Draft/i.test(s)) return 'Draft';
  if (/Live|OnHold|Dispute|Printed/i.test(s)) return 'Open';
  return 'Unknown';
}

function lines(o: Row, lk: Lookups, side: 'sales' | 'purchase') {
  const list = Array.isArray(o.lines) ? (o.lines as Row[]) : [];
  return list
    .filter((l) => !/Comment/i.test(String(l.line_type ?? '')))
    .map((l) => {
      const qty = dec(l.line_quantity);
      const net = dec(l.line_total_value);
      const tax = dec(l.line_tax_value);
      const taxId = num(l.tax_code_id);
      const tc = taxId != null ? lk.taxCodes.get(taxId) : undefined;
      const price = side === 'sales' ? l.selling_unit_price : l.unit_buying_price;
      return {
        description: str(l.description),
        unitAmount: round(dec(price ?? (qty.isZero() ? 0 : net.div(qty))), 5),
        quantity: qty.toNumber(),
        discountAmount: l.unit_discount_value == null ? null : round(dec(l.unit_discount_value).times(qty)),
        discountPercentage: num(l.unit_discount_percent),
        subTotal: round(net),
        taxAmount: round(tax),
        totalAmount: round(net.plus(tax)),
        accountRef: nominalRef(lk, l.nominal_reference, l.nominal_cost_centre, l.nominal_department),
        taxRateRef: tc ? { id: String(tc.id), name: tc.name, effectiveTaxRate: tc.rate } : null,
        itemRef: l.product_id ? { id: String(l.product_id), name: str(l.code) } : null,
        trackingCategoryRefs: trackingRefs(str(l.nominal_cost_centre), str(l.nominal_department), lk),
      };
    });
}

function common(o: Row, lk: Lookups, side: 'sales' | 'purchase', partyCurrencyId: number | null) {
  // the order's own currency wins; the party's is the fallback
  const currencyId = num(o.currency_id) ?? partyCurrencyId;
  const currency = currencyId != null ? (lk.currencies.get(currencyId) ?? 'XXX') : lk.baseCurrency;
  const net = dec(o.total_net_value);
  return {
    id: String(o.id),
    issueDate: sageDate(o.document_date)!,
    currency,
    currencyRate: currency === lk.baseCurrency ? 1 : currencyRate(o.exchange_rate),
    lineItems: lines(o, lk, side),
    totalDiscount: o.subtotal_discount_value == null ? null : round(o.subtotal_discount_value as number),
    subTotal: round(net),
    totalTaxAmount: round(dec(o.total_tax_value)),
    totalAmount: round(dec(o.total_gross_value)),
    status: orderStatus(o.document_status),
    metadata: { isDeleted: false },
    sourceModifiedDate: sageTimestamp(o.date_time_updated),
  };
}

function invoicingStatus(s: unknown): 'Unknown' | 'PartiallyInvoiced' | 'Invoiced' | 'NotInvoiced' {
  const v = String(s ?? '');
  if (/Part/i.test(v)) return 'PartiallyInvoiced';
  if (/None|NotInvoiced|Not/i.test(v)) return 'NotInvoiced';
  if (/Complete|Invoiced|Full/i.test(v)) return 'Invoiced';
  return 'Unknown';
}

export function mapSalesOrder(o: Row, lk: Lookups): StandardRecord {
  const customer = lk.customers.get(Number(o.customer_id));
  const da = o.delivery_address as Row | undefined;
  return {
    ...common(o, lk, 'sales', customer?.currencyId ?? null),
    salesOrderNumber: str(o.document_no),
    customerRef: o.customer_id != null ? { id: String(o.customer_id), companyName: customer?.name ?? null } : null,
    expectedDeliveryDate: sageDate(o.promised_delivery_date) ?? sageDate(o.requested_delivery_date),
    invoicingStatus: invoicingStatus(o.invoice_credit_status),
    note: str(o.customer_document_no),
    shipTo: da
      ? {
          address: {
            type: 'Delivery',
            line1: str(da.address_1),
            line2: str(da.address_2),
            city: str(da.city),
            region: str(da.county),
            country: str(da.country),
            postalCode: str(da.postcode),
          },
        }
      : null,
  };
}

export function mapPurchaseOrder(o: Row, lk: Lookups): StandardRecord {
  const supplier = lk.suppliers.get(Number(o.supplier_id));
  return {
    ...common(o, lk, 'purchase', supplier?.currencyId ?? null),
    purchaseOrderNumber: str(o.document_no),
    supplierRef: o.supplier_id != null ? { id: String(o.supplier_id), supplierName: supplier?.name ?? null } : null,
    deliveryDate: sageDate(o.promised_delivery_date),
    expectedDeliveryDate: sageDate(o.requested_delivery_date) ?? sageDate(o.promised_delivery_date),
    note: str(o.supplier_document_no),
  };
}

export const readSalesOrders: Reader = (client, options) =>
  pagedRead(client, options, {
    context: loadLookups(client, ['taxCodes', 'customers', 'nominalCodes', 'tracking']),
    resource: 'sop_orders',
    expand: 'lines,delivery_address',
    dateField: 'document_date',
    map: mapSalesOrder,
  });

export const readPurchaseOrders: Reader = (client, options) =>
  pagedRead(client, options, {
    context: loadLookups(client, ['taxCodes', 'suppliers', 'nominalCodes', 'tracking']),
    resource: 'pop_orders',
    expand: 'lines',
    dateField: 'document_date',
    map: mapPurchaseOrder,
  });
