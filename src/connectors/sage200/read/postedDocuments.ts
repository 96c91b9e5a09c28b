// Posted sales/purchase invoices and credit notes -> Codat documents. Sage posts no lines: we return one
// "Goods Summary" line and one "Tax Summary - <tax code>" line per tax code, unless the SOP invoice line view holds
// the real lines (then lineItemsSource = "DocumentLines"). Header totals are authoritative.
import type { StandardRecord } from '../../connector.ts';
import { currencyRate } from '../mapping/currency.ts';
import { latest, sageDate, sageTimestamp } from '../mapping/dates.ts';
import { type Lookups, nominalRef, partyCurrency } from '../mapping/lookups.ts';
import { Decimal, dec, round } from '../mapping/money.ts';
import { str, trackingRefs } from '../mapping/refs.ts';
import type { PostedTransaction, SopInvoiceLine } from '../mapping/sage.ts';

export type DocKind = 'invoice' | 'creditNote' | 'bill' | 'billCreditNote';
const isSales = (k: DocKind) => k === 'invoice' || k === 'creditNote';

export interface DocTotals {
  sign: number;
  goods: Decimal;
  tax: Decimal;
  gross: Decimal;
  outstanding: Decimal;
  allocated: Decimal;
}

/** Documents are emitted with positive totals whatever sign Sage stores them with. */
export function docTotals(t: PostedTransaction): DocTotals {
  const gross = dec(t.document_gross_value);
  const sign = gross.isNegative() || (gross.isZero() && dec(t.document_goods_value).isNegative()) ? -1 : 1;
  return {
    sign,
    goods: dec(t.document_goods_value).times(sign),
    tax: dec(t.document_tax_value).times(sign),
    gross: gross.times(sign),
    outstanding: dec(t.document_outstanding_value).times(sign),
    allocated: dec(t.document_allocated_value).times(sign),
  };
}

/** Codat's settlement status from what is still outstanding. */
export function settlementStatus(tot: DocTotals): 'Submitted' | 'PartiallyPaid' | 'Paid' {
  if (tot.gross.isZero() || tot.outstanding.lte(0)) return 'Paid';
  if (tot.outstanding.lt(tot.gross)) return 'PartiallyPaid';
  return 'Submitted';
}

function tracking(refs: { id: string; name: string | null }[]) {
  return { categoryRefs: refs, isBilledTo: 'Unknown' as const, isRebilledTo: 'Unknown' as const };
}

/** Goods rows of the double entry. The control row (debtors or creditors) carries the gross: on the sales side with
 * the document's sign (debtors debit for an invoice), on the purchase side with the opposite sign. Goods and tax
 * rows have the other sign; the tax rows are the account whose rows add up to the document's tax (Sage links no
 * nominal row to a tax code). */
export function goodsRows(t: PostedTransaction, tot: DocTotals, sales: boolean) {
  const rows = (t.nominal_analysis_items ?? []).filter((r) => !dec(r.value).isZero());
  if (rows.length === 0) return [];
  const sgn = (r: { value?: number | null }) => (dec(r.value).isNegative() ? -1 : 1);
  const controlSign = sales ? tot.sign : -tot.sign;
  let control: (typeof rows)[number] | undefined;
  for (const r of rows)
    if (sgn(r) === controlSign && (!control || dec(r.value).abs().gt(dec(control.value).abs()))) control = r;
  const candidates = rows.filter((r) => r !== control && sgn(r) !== controlSign);
  if (tot.tax.isZero()) return candidates;
  const byCode = new Map<string, Decimal>();
  for (const r of candidates)
    byCode.set(r.code ?? '', (byCode.get(r.code ?? '') ?? new Decimal(0)).plus(dec(r.value).abs()));
  const taxCode = [...byCode.entries()].find(([, v]) => v.eq(tot.tax.abs()))?.[0];
  return taxCode === undefined ? candidates : candidates.filter((r) => (r.code ?? '') !== taxCode);
}

export function summaryLines(t: PostedTransaction, lk: Lookups, tot: DocTotals, sales: boolean) {
  const goods = goodsRows(t, tot, sales);
  const seen = new Map<string, { id: string; name: string | null }>();
  const accounts = new Set<string>();
  for (const r of goods) {
    for (const ref of trackingRefs(r.cost_centre, r.department, lk)) seen.set(ref.id, ref);
    const acc = nominalRef(lk, r.code, r.cost_centre, r.department);
    if (acc) accounts.add(JSON.stringify(acc));
  }
  const refs = [...seen.values()];
  const accountRef = accounts.size === 1 ? JSON.parse([...accounts][0]) : null;
  const goodsValue = round(tot.goods);
  const lines: Record<string, unknown>[] = [
    {
      description: 'Goods Summary',
      unitAmount: 0,
      quantity: 0,
      discountAmount: null,
      discountPercentage: null,
      subTotal: goodsValue,
      taxAmount: 0,
      totalAmount: goodsValue,
      accountRef,
      taxRateRef: null,
      itemRef: null,
      trackingCategoryRefs: refs,
      tracking: tracking(refs),
    },
  ];
  for (const item of t.tax_analysis_items ?? []) {
    const taxCode = item.id != null ? lk.taxCodes.get(item.id) : undefined;
    const name = taxCode?.name ?? item.name ?? `Tax code ${item.code ?? item.id}`;
    const tax = round(dec(item.tax_amount).times(tot.sign));
    lines.push({
      description: `Tax Summary - ${name}`,
      unitAmount: 0,
      quantity: 0,
      discountAmount: null,
      discountPercentage: null,
      subTotal: 0,
      taxAmount: tax,
      totalAmount: tax,
      accountRef: null,
      taxRateRef: { id: String(item.id ?? ''), name, effectiveTaxRate: taxCode?.rate ?? null },
      itemRef: null,
      trackingCategoryRefs: [],
      tracking: tracking([]),
    });
  }
  return lines;
}

/** Real lines from customer_sop_invoice_credit_line_views (SOP-originated documents). The view's line total is the
 * net value; the tax code is the document's tax code whose rate reproduces the line's tax. */
export function sopLines(t: PostedTransaction, lines: SopInvoiceLine[], lk: Lookups) {
  const codes = (t.tax_analysis_items ?? [])
    .map((i) => (i.id != null ? lk.taxCodes.get(i.id) : undefined))
    .filter((x): x is NonNullable<typeof x> => !!x);
  return [...lines]
    .sort((a, b) => Number(a.sop_invoice_credit_line_id) - Number(b.sop_invoice_credit_line_id))
    .map((l) => {
      const net = dec(l.sop_invoice_credit_line_total_value).abs();
      const tax = dec(l.sop_invoice_credit_line_tax_value).abs();
      const qty = dec(l.invoice_line_profit_analysis_line_quantity ?? 1).abs();
      const code =
        codes.find((c) => net.times(c.rate).div(100).minus(tax).abs().lte(0.01)) ??
        (codes.length === 1 ? codes[0] : undefined);
      return {
        description: str(l.product_description) ?? str(l.product_name),
        unitAmount: qty.isZero() ? round(net) : round(net.div(qty), 5),
        quantity: qty.toNumber(),
        discountAmount: null,
        discountPercentage: null,
        subTotal: round(net),
        taxAmount: round(tax),
        totalAmount: round(net.plus(tax)),
        accountRef: null,
        taxRateRef: code ? { id: String(code.id), name: code.name, effectiveTaxRate: code.rate } : null,
        itemRef: l.product_id != null ? { id: String(l.product_id), name: l.product_name ?? null } : null,
        trackingCategoryRefs: [],
        tracking: tracking([]),
      };
    });
}

/** Allocations recorded against this document (other parties of its allocation sessions). */
export function allocations(t: PostedTransaction, currency: string, rate: number, lk: Lookups) {
  const own = t.urn;
  return (t.allocation_session_items ?? [])
    .filter((a) => a.urn !== own && !dec(a.allocation_value).isZero())
    .map((a) => {
      const amount = round(dec(a.allocation_value).abs());
      const date = sageDate(a.allocation_date);
      const other = a.urn != null ? lk.urns.get(a.urn) : undefined;
      return {
        payment: {
          ...(other ? { id: String(other.id) } : {}),
          reference: a.reference ?? null,
          note: null,
          currency,
          currencyRate: rate,
          ...(date ? { paidOnDate: date } : {}),
          totalAmount: round(dec(a.value).abs()),
        },
        allocation: { currency, currencyRate: rate, ...(date ? { allocatedOnDate: date } : {}), totalAmount: amount },
      };
    });
}

export interface MappedCommon {
  id: string;
  partyId: string | null;
  partyName: string | null;
  issueDate: string;
  dueDate: string | null;
  currency: string;
  currencyRate: number;
  lineItems: Record<string, unknown>[];
  lineItemsSource: 'SummaryByTaxCode' | 'DocumentLines';
  totals: DocTotals;
  paymentAllocations: ReturnType<typeof allocations>;
  sourceModifiedDate: string | null;
  lastAllocationDate: string | null;
}

export function mapCommon(kind: DocKind, t: PostedTransaction, lk: Lookups, docLines?: SopInvoiceLine[]): MappedCommon {
  const partyId = isSales(kind) ? t.customer_id : t.supplier_id;
  const party = partyId != null ? (isSales(kind) ? lk.customers : lk.suppliers).get(partyId) : undefined;
  const currency = partyCurrency(lk, party);
  const rate = currency === lk.baseCurrency ? 1 : currencyRate(t.exchange_rate);
  const totals = docTotals(t);
  const useDocLines = !!docLines && docLines.length > 0;
  const paymentAllocations = allocations(t, currency, rate, lk);
  let lastAllocationDate: string | null = null;
  for (const a of paymentAllocations) lastAllocationDate = latest(lastAllocationDate, a.allocation.allocatedOnDate);
  return {
    id: String(t.id),
    partyId: partyId != null ? String(partyId) : null,
    partyName: party?.name ?? null,
    issueDate: sageDate(t.transaction_date) ?? sageDate(t.posted_date)!,
    dueDate: sageDate(t.due_date),
    currency,
    currencyRate: rate,
    lineItems: useDocLines ? sopLines(t, docLines, lk) : summaryLines(t, lk, totals, isSales(kind)),
    lineItemsSource: useDocLines ? 'DocumentLines' : 'SummaryByTaxCode',
    totals,
    paymentAllocations,
    sourceModifiedDate: sageTimestamp(t.date_time_updated),
    lastAllocationDate,
  };
}

export const md = (r: Record<string, unknown>) => r as StandardRecord;
