// SOP and POP orders: header + lines, line and order totals with tax from each line's tax code.
import { TAX } from './chart.ts';
import { sageDate, stamp } from './dates.ts';
import { SageError } from './errors.ts';
import { money, taxOn, toPennies } from './money.ts';
import type { BookState } from './state.ts';
import type { Rec } from './table.ts';
import { arr, bad, bool, day, int, num, obj, ref, str } from './validate.ts';

export type OrderKind = 'sop' | 'pop';

const LINE_TYPES = ['EnumLineTypeStandard', 'EnumLineTypeFreeText', 'EnumLineTypeCharge', 'EnumLineTypeComment'];
const ORDER_FIELDS_SOP = ['customer_document_no', 'document_created_by'] as const;

function tables(s: BookState, kind: OrderKind) {
  return kind === 'sop'
    ? {
        orders: s.tables.sop_orders,
        lines: s.tables.sop_order_lines,
        traders: s.tables.customers,
        parent: 'sop_order_id',
      }
    : {
        orders: s.tables.pop_orders,
        lines: s.tables.pop_order_lines,
        traders: s.tables.suppliers,
        parent: 'pop_order_id',
      };
}

/** Validate and price one line; `prev` is the stored line on update. */
function buildLine(s: BookState, kind: OrderKind, body: Rec, trader: Rec, prev: Rec | undefined, i: number): Rec {
  const at = (f: string) => `lines[${i}].${f}`;
  const lineType = str(body, 'line_type', 30) ?? (prev?.line_type as string | undefined);
  if (!lineType) bad(`The ${at('line_type')} field is required.`);
  if (!LINE_TYPES.includes(lineType)) bad(`The ${at('line_type')} value '${lineType}' is not valid.`);
  const merged: Rec = { ...(prev ?? {}), ...body };
  const standard = lineType === 'EnumLineTypeStandard';
  let product: Rec | undefined;
  if (standard) {
    const pid = int(merged, 'product_id');
    if (!pid) bad(`The ${at('product_id')} field is required for a standard line.`);
    product = s.tables.products.get(pid);
    if (!product) bad(`Product with ${at('product_id')} ${pid} was not found.`);
    const wid = int(merged, 'warehouse_id');
    if (!wid) bad(`The ${at('warehouse_id')} field is required for a standard line.`);
    if (!s.tables.warehouses.get(wid)) bad(`Warehouse with ${at('warehouse_id')} ${wid} was not found.`);
    const holdings = (product.warehouse_holdings as Rec[] | undefined) ?? [];
    if (holdings.length > 0 && !holdings.some((h) => h.warehouse_id === wid))
      bad(`Product ${product.code} is not held in warehouse ${wid} (${at('warehouse_id')}).`);
  }
  const comment = lineType === 'EnumLineTypeComment';
  const qty = comment ? 0 : (num(merged, 'line_quantity') ?? (standard ? undefined : 1));
  if (qty === undefined) bad(`The ${at('line_quantity')} field is required for a standard line.`);
  if (!comment && !(qty > 0)) bad(`The ${at('line_quantity')} field must be greater than zero.`);
  const priceField = kind === 'sop' ? 'selling_unit_price' : 'unit_buying_price';
  const defaultPrice = product
    ? kind === 'sop'
      ? (s.productPrice.get(product.id as number) ?? 0)
      : Math.round((product.average_buying_price as number) * 100)
    : 0;
  const price = merged[priceField] === undefined ? defaultPrice : toPennies(merged[priceField], at(priceField));
  const discount = num(merged, 'unit_discount_percent') ?? 0;
  if (discount < 0 || discount > 100) bad(`The ${at('unit_discount_percent')} field must be between 0 and 100.`);
  const taxCodeId = comment
    ? 0
    : (ref(merged, 'tax_code_id', s.tables.tax_codes, 'Tax code') ??
      ((product?.tax_code_id as number) || (trader.default_tax_code_id as number) || TAX.standard));
  const rate = comment ? 0 : ((s.tables.tax_codes.get(taxCodeId)?.tax_rate as number) ?? 0);
  const discounted = Math.round(price * (1 - discount / 100));
  const net = comment ? 0 : Math.round(discounted * qty);
  const code = str(merged, 'code', 30) ?? (product?.code as string) ?? '';
  const description = str(merged, 'description', 1000) ?? (product?.name as string) ?? '';
  if (!comment && lineType !== 'EnumLineTypeStandard' && !description && !code)
    bad(`The ${at('description')} field is required.`);
  const nominal = s.tables.nominal_codes.get(
    (product?.[kind === 'sop' ? 'revenue_nominal_code_id' : 'issue_nominal_code_id'] as number) ??
      s.acct(kind === 'sop' ? '4010' : '5000'),
  );
  const line: Rec = {
    line_type: lineType,
    product_id: product?.id ?? 0,
    warehouse_id: standard ? int(merged, 'warehouse_id') : 0,
    code,
    description,
    line_quantity: qty,
    tax_code_id: taxCodeId,
    nominal_reference: str(merged, 'nominal_reference', 8) ?? nominal?.reference ?? '',
    nominal_cost_centre: str(merged, 'nominal_cost_centre', 3) ?? '',
    nominal_department: str(merged, 'nominal_department', 3) ?? '',
    [priceField]: money(price),
    unit_discount_percent: discount,
    unit_discount_value: money(price - discounted),
    discounted_unit_price: money(discounted),
    line_tax_value: money(taxOn(net, rate)),
    line_total_value: money(net),
    invoice_credit_status: 'EnumInvoiceCreditStatusNone',
    is_complete: false,
    is_line_deletable: true,
    is_to_delete: false,
  };
  if (kind === 'sop') {
    Object.assign(line, {
      requested_delivery_date: dateOrNull(merged, 'requested_delivery_date', at),
      promised_delivery_date: dateOrNull(merged, 'promised_delivery_date', at),
      to_allocate_quantity: 0,
      allocated_quantity: 0,
      despatch_receipt_quantity: 0,
      invoice_credit_quantity: 0,
      posted_invoice_credit_quantity: 0,
      allocation_status: 'EnumAllocationStatusNone',
      despatch_receipt_status: 'EnumDespatchReceiptStatusNone',
      selling_unit_price_overridden: merged.selling_unit_price !== undefined,
      cost_price: product ? product.standard_cost : 0,
      show_on_customer_docs: true,
      show_on_picking_list_type: 'Show',
    });
  } else {
    Object.assign(line, {
      supplier_part_ref: str(merged, 'supplier_part_ref', 40) ?? '',
      receipt_return_quantity: 0,
      invoice_credit_quantity: 0,
      receipt_return_status: 'EnumReceiptReturnStatusNone',
      show_on_supplier_docs: true,
    });
  }
  return line;
}

function dateOrNull(body: Rec, field: string, at: (f: string) => string): string | null {
  const d = day({ [at(field)]: body[field] }, at(field));
  return d === undefined ? null : sageDate(d);
}

function totals(s: BookState, kind: OrderKind, orderId: number): Rec {
  const { lines } = tables(s, kind);
  let goods = 0;
  let charges = 0;
  let chargeTax = 0;
  let tax = 0;
  let discount = 0;
  for (const l of lines.children(orderId)) {
    const net = toPennies(l.line_total_value, 'line_total_value');
    const t = toPennies(l.line_tax_value, 'line_tax_value');
    if (l.line_type === 'EnumLineTypeCharge') {
      charges += net;
      chargeTax += t;
    } else goods += net;
    tax += t;
    discount += Math.round(toPennies(l.unit_discount_value, 'unit_discount_value') * (l.line_quantity as number));
  }
  const common = {
    subtotal_goods_value: money(goods),
    subtotal_discount_value: money(discount),
    total_net_value: money(goods + charges),
    total_tax_value: money(tax),
    total_gross_value: money(goods + charges + tax),
  };
  return kind === 'sop'
    ? { ...common, subtotal_charge_net_value: money(charges), subtotal_charge_tax_value: money(chargeTax) }
    : { ...common, subtotal_charges_net_value: money(charges), subtotal_landed_costs_value: 0 };
}

function headerFields(s: BookState, kind: OrderKind, body: Rec): Rec {
  const h: Rec = {};
  const d = day(body, 'document_date');
  if (d !== undefined) h.document_date = sageDate(d);
  for (const f of kind === 'sop'
    ? ['requested_delivery_date', 'promised_delivery_date']
    : ['requested_delivery_date']) {
    const v = day(body, f);
    if (v !== undefined) h[f] = sageDate(v);
  }
  const docNo = kind === 'sop' ? 'customer_document_no' : 'supplier_document_no';
  const v = str(body, docNo, 30);
  if (v !== undefined) h[docNo] = v;
  for (const f of kind === 'sop' ? ORDER_FIELDS_SOP.slice(1) : ['document_created_by']) {
    const x = str(body, f, 30);
    if (x !== undefined) h[f] = x;
  }
  for (let i = 1; i <= 20; i++) {
    const x = str(body, `analysis_code_${i}`, 60);
    if (x !== undefined) h[`analysis_code_${i}`] = x;
  }
  const dd = obj(body, 'delivery_address');
  if (dd) {
    const addr: Rec = {};
    for (const [f, max] of [
      ['postal_name', 60],
      ['address_1', 60],
      ['address_2', 60],
      ['address_3', 60],
      ['address_4', 60],
      ['city', 60],
      ['county', 60],
      ['postcode', 10],
      ['contact', 60],
      ['telephone_number', 30],
      ['email_address', 255],
    ] as const) {
      const x = str(dd, f, max);
      if (x !== undefined) addr[f] = x;
    }
    const cc = ref(dd, 'country_code_id', s.tables.country_codes, 'Country code');
    if (cc !== undefined) addr.country_code_id = cc;
    h.delivery_address = addr;
  }
  const ex = num(body, 'exchange_rate');
  if (ex !== undefined) {
    if (!(ex > 0)) bad('The exchange_rate field must be greater than zero.');
    h.exchange_rate = ex;
  }
  const b = bool(body, 'use_invoice_address');
  if (b !== undefined) h.use_invoice_address = b;
  return h;
}

export function createOrder(
  s: BookState,
  kind: OrderKind,
  body: Rec,
  now: Date,
  opts: { generated?: boolean } = {},
): Rec {
  const t = tables(s, kind);
  const traderField = kind === 'sop' ? 'customer_id' : 'supplier_id';
  const traderId = ref(body, traderField, t.traders, kind === 'sop' ? 'Customer' : 'Supplier', { required: true })!;
  const trader = t.traders.get(traderId)!;
  if (!opts.generated && body.document_no !== undefined && body.document_no !== null && body.document_no !== '')
    bad('The document_no field cannot be set: Sage 200 Standard numbers orders automatically.');
  const lineBodies = arr(body, 'lines') ?? [];
  const header = headerFields(s, kind, body);
  const built = lineBodies.map((l, i) => buildLine(s, kind, l, trader, undefined, i));
  const ts = stamp(now.getTime());
  const docDay = header.document_date ?? sageDate(Math.floor(now.getTime() / 86_400_000));
  const currencyId = trader.currency_id as number;
  const seq = s.nextSeq(kind === 'sop' ? 'sop_order_no' : 'pop_order_no');
  const rec: Rec = {
    [traderField]: traderId,
    is_draft: false,
    is_editing: false,
    is_to_sequence_lines: false,
    lock_id: 0,
    document_no:
      kind === 'sop' ? `SO${String(10000 + seq).padStart(7, '0')}` : `PO${String(10000 + seq).padStart(7, '0')}`,
    document_date: docDay,
    document_status: 'EnumDocumentStatusLive',
    invoice_credit_status: 'EnumInvoiceCreditStatusNone',
    cancelled_status: 'EnumCancelledStatusNone',
    exchange_rate: s.rate(currencyId, Math.floor(Date.parse(`${String(docDay).slice(0, 10)}T00:00:00Z`) / 86_400_000)),
    settlement_discount_days: 0,
    settlement_discount_percent: 0,
    document_discount_percent: 0,
    document_created_by: 'WEBAPI',
    requested_delivery_date: null,
    ...(kind === 'sop'
      ? {
          promised_delivery_date: null,
          customer_document_no: '',
          despatch_receipt_status: 'EnumDespatchReceiptStatusNone',
          currency_id: currencyId,
          customer_type: 'EnumCustomerTypeNormal',
          is_credit_limit_exceeded: false,
          use_invoice_address: true,
          is_triangulated: false,
          quotation_expiry_date: null,
          order_priority: '',
          external_reference: '',
          payment_with_order: false,
          payment_type: 'EnumSOPOrderPaymentTypeFull',
          payment_value: 0,
          payment_reference: '',
          payment_method_id: 0,
          delivery_address: null,
        }
      : {
          supplier_document_no: '',
          receipt_return_status: 'EnumReceiptReturnStatusNone',
          disputed_status: 'EnumDisputedStatusNone',
          print_status: 'EnumPrintStatusNotPrinted',
          authorisation_status: 'EnumAuthorisationStatusNotRequired',
          authorisation_status_description: 'Not required',
          is_credit_limit_exceeded: false,
          delivery_address: null,
        }),
    ...header,
    date_time_created: ts,
    date_time_updated: ts,
  };
  const order = t.orders.insert(rec);
  built.forEach((l, i) => {
    t.lines.insert({ [t.parent]: order.id, ...l, line_number: i + 1, date_time_created: ts, date_time_updated: ts });
  });
  Object.assign(order, totals(s, kind, order.id as number));
  return order;
}

export function updateOrder(s: BookState, kind: OrderKind, id: number, body: Rec, now: Date): void {
  const t = tables(s, kind);
  const order = t.orders.get(id);
  if (!order) throw notFound(kind, id);
  const traderField = kind === 'sop' ? 'customer_id' : 'supplier_id';
  if (body[traderField] !== undefined && body[traderField] !== order[traderField])
    bad(`The ${traderField} of an existing order cannot be changed.`);
  const header = headerFields(s, kind, body);
  const trader = t.traders.get(order[traderField] as number)!;
  const lineBodies = arr(body, 'lines') ?? [];
  const ts = stamp(now.getTime());
  // each line applies independently in order; a failing line stops the rest, earlier lines stay (Sage's rule)
  lineBodies.forEach((lb, i) => {
    const lineId = int(lb, 'id');
    if (lineId) {
      const prev = t.lines.get(lineId);
      if (!prev || prev[t.parent] !== id) bad(`Order line with lines[${i}].id ${lineId} was not found on this order.`);
      if (lb.is_to_delete === true) {
        t.lines.delete(lineId);
        return;
      }
      Object.assign(prev, buildLine(s, kind, lb, trader, prev, i), { date_time_updated: ts });
    } else {
      const n = t.lines.children(id).length;
      t.lines.insert({
        [t.parent]: id,
        ...buildLine(s, kind, lb, trader, undefined, i),
        line_number: n + 1,
        date_time_created: ts,
        date_time_updated: ts,
      });
    }
    Object.assign(order, totals(s, kind, id), { date_time_updated: ts });
  });
  Object.assign(order, header, totals(s, kind, id), { date_time_updated: ts });
}

export function removeOrder(s: BookState, kind: OrderKind, id: number): void {
  const t = tables(s, kind);
  if (!t.orders.get(id)) throw notFound(kind, id);
  for (const l of t.lines.children(id)) t.lines.delete(l.id as number);
  t.orders.delete(id);
}

function notFound(kind: OrderKind, id: number): Error {
  return bad404(`${kind === 'sop' ? 'Sales' : 'Purchase'} order with id ${id} was not found.`);
}

function bad404(message: string): Error {
  return new SageError(404, message);
}
