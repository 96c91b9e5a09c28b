// Posted sales/purchase invoices and credit notes -> Codat documents. Sage posts no lines: we return one
// "Goods Summary" line and one "Tax Summary - <tax code>" line per tax code, unless the SOP invoice line view holds
// the real lines (then lineItemsSource = "DocumentLines"). Header totals are authoritative.
import type { StandardRecord } from '../../connector.ts';
import { currencyRate } from '../mapping/currency.ts';
import { latest, sageDate, sageTimestamp } from '../mapping/dates.ts';
import { type Lookups, nominalRef, partyCurrency } from '../mapping/lookups.ts';
import {
  type Amount,
  amount,
  amountAbs,
  amountCmp,
  amountIsNegative,
  amountIsZero,
  amountPlus,
  amountTimesSign,
  reproducesTax,
  roundAmount,
  unitPrice,
} from '../mapping/money.ts';
import { addTrackingRefs, str } from '../mapping/refs.ts';
import type { PostedTransaction, SopInvoiceLine } from '../mapping/sage.ts';

export type DocKind = 'invoice' | 'creditNote' | 'bill' | 'billCreditNote';
const isSales = (k: DocKind) => k === 'invoice' || k === 'creditNote';

export interface DocTotals {
  sign: number;
  goods: Amount;
  tax: Amount;
  gross: Amount;
  outstanding: Amount;
  allocated: Amount;
}

/** Documents are emitted with positive totals whatever sign Sage stores them with. */
export function docTotals(t: PostedTransaction): DocTotals {
  const gross = amount(t.document_gross_value);
  const goods = amount(t.document_goods_value);
  const sign = amountIsNegative(gross) || (amountIsZero(gross) && amountIsNegative(goods)) ? -1 : 1;
  return {
    sign,
    goods: amountTimesSign(goods, sign),
    tax: amountTimesSign(amount(t.document_tax_value), sign),
    gross: amountTimesSign(gross, sign),
    outstanding: amountTimesSign(amount(t.document_outstanding_value), sign),
    allocated: amountTimesSign(amount(t.document_allocated_value), sign),
  };
}

/** Codat's settlement status from what is still outstanding. */
export function settlementStatus(tot: DocTotals): 'Submitted' | 'PartiallyPaid' | 'Paid' {
  if (amountIsZero(tot.gross) || amountCmp(tot.outstanding, 0) <= 0) return 'Paid';
  if (amountCmp(tot.outstanding, tot.gross) < 0) return 'PartiallyPaid';
  return 'Submitted';
}

type TrackingRef = { id: string; name: string | null };

function tracking(refs: TrackingRef[]) {
  return { categoryRefs: refs, isBilledTo: 'Unknown' as const, isRebilledTo: 'Unknown' as const };
}

type NominalRow = NonNullable<PostedTransaction['nominal_analysis_items']>[number];

/** Goods rows of the double entry. The control row (debtors or creditors) carries the gross: on the sales side with
 * the document's sign (debtors debit for an invoice), on the purchase side with the opposite sign. Goods and tax
 * rows have the other sign; the tax rows are the account whose rows add up to the document's tax (Sage links no
 * nominal row to a tax code). */
export function goodsRows(t: PostedTransaction, tot: DocTotals, sales: boolean): NominalRow[] {
  const all = t.nominal_analysis_items;
  if (!all || all.length === 0) return [];
  // each value parsed once: rows with a zero value are dropped
  const rows: NominalRow[] = [];
  const values: Amount[] = [];
  for (const r of all) {
    const v = amount(r.value);
    if (amountIsZero(v)) continue;
    rows.push(r);
    values.push(v);
  }
  if (rows.length === 0) return [];
  const controlSign = sales ? tot.sign : -tot.sign;
  let control = -1;
  let controlAbs: Amount = 0;
  for (let i = 0; i < rows.length; i++) {
    if ((amountIsNegative(values[i]) ? -1 : 1) !== controlSign) continue;
    const a = amountAbs(values[i]);
    if (control < 0 || amountCmp(a, controlAbs) > 0) {
      control = i;
      controlAbs = a;
    }
  }
  const candidates: NominalRow[] = [];
  const candidateAbs: Amount[] = [];
  for (let i = 0; i < rows.length; i++) {
    // the control row has the control sign, so the sign test alone excludes it
    if ((amountIsNegative(values[i]) ? -1 : 1) === controlSign) continue;
    candidates.push(rows[i]);
    candidateAbs.push(amountAbs(values[i]));
  }
  if (amountIsZero(tot.tax)) return candidates;
  const byCode = new Map<string, Amount>();
  for (let i = 0; i < candidates.length; i++) {
    const code = candidates[i].code ?? '';
    const prev = byCode.get(code);
    byCode.set(code, prev === undefined ? candidateAbs[i] : amountPlus(prev, candidateAbs[i]));
  }
  const taxAbs = amountAbs(tot.tax);
  let taxCode: string | undefined;
  for (const [code, v] of byCode)
    if (amountCmp(v, taxAbs) === 0) {
      taxCode = code;
      break;
    }
  return taxCode === undefined ? candidates : candidates.filter((r) => (r.code ?? '') !== taxCode);
}

export function summaryLines(t: PostedTransaction, lk: Lookups, tot: DocTotals, sales: boolean) {
  const goods = goodsRows(t, tot, sales);
  const seen = new Map<string, TrackingRef>();
  // the one account all goods rows post to, else none (same id and name = same account ref)
  let accountRef: TrackingRef | null = null;
  let accounts = 0;
  for (const r of goods) {
    addTrackingRefs(seen, r.cost_centre, r.department, lk);
    const acc = nominalRef(lk, r.code, r.cost_centre, r.department);
    if (!acc) continue;
    if (accounts === 0) {
      accountRef = acc;
      accounts = 1;
    } else if (accountRef && (acc.id !== accountRef.id || acc.name !== accountRef.name)) accounts = 2;
  }
  const refs = [...seen.values()];
  const goodsValue = roundAmount(tot.goods);
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
      accountRef: accounts === 1 ? accountRef : null,
      taxRateRef: null,
      itemRef: null,
      trackingCategoryRefs: refs,
      tracking: tracking(refs),
    },
  ];
  for (const item of t.tax_analysis_items ?? []) {
    const taxCode = item.id != null ? lk.taxCodes.get(item.id) : undefined;
    const name = taxCode?.name ?? item.name ?? `Tax code ${item.code ?? item.id}`;
    const tax = roundAmount(amountTimesSign(amount(item.tax_amount), tot.sign));
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
      const net = amountAbs(amount(l.sop_invoice_credit_line_total_value));
      const tax = amountAbs(amount(l.sop_invoice_credit_line_tax_value));
      const qty = amountAbs(amount(l.invoice_line_profit_analysis_line_quantity ?? 1));
      const code = codes.find((c) => reproducesTax(net, tax, c.rate)) ?? (codes.length === 1 ? codes[0] : undefined);
      return {
        description: str(l.product_description) ?? str(l.product_name),
        unitAmount: amountIsZero(qty) ? roundAmount(net) : unitPrice(net, qty),
        quantity: typeof qty === 'number' ? qty / 100 : qty.toNumber(),
        discountAmount: null,
        discountPercentage: null,
        subTotal: roundAmount(net),
        taxAmount: roundAmount(tax),
        totalAmount: roundAmount(amountPlus(net, tax)),
        accountRef: null,
        taxRateRef: code ? { id: String(code.id), name: code.name, effectiveTaxRate: code.rate } : null,
        itemRef: l.product_id != null ? { id: String(l.product_id), name: l.product_name ?? null } : null,
        trackingCategoryRefs: [],
        tracking: tracking([]),
      };
    });
}

type Allocation = {
  payment: {
    id?: string;
    reference: string | null;
    note: null;
    currency: string;
    currencyRate: number;
    paidOnDate?: string;
    totalAmount: number;
  };
  allocation: { currency: string; currencyRate: number; allocatedOnDate?: string; totalAmount: number };
};

/** Allocations recorded against this document (other parties of its allocation sessions). Optional keys are left
 * out rather than set to undefined, in this key order. */
export function allocations(t: PostedTransaction, currency: string, rate: number, lk: Lookups): Allocation[] {
  const own = t.urn;
  const out: Allocation[] = [];
  for (const a of t.allocation_session_items ?? []) {
    if (a.urn === own) continue;
    const allocated = amount(a.allocation_value);
    if (amountIsZero(allocated)) continue;
    const totalAmount = roundAmount(amountAbs(allocated));
    const date = sageDate(a.allocation_date);
    const other = a.urn != null ? lk.urns.get(a.urn) : undefined;
    const reference = a.reference ?? null;
    const paid = roundAmount(amountAbs(amount(a.value)));
    const payment = (
      other
        ? { id: String(other.id), reference, note: null, currency, currencyRate: rate }
        : { reference, note: null, currency, currencyRate: rate }
    ) as Allocation['payment'];
    if (date) payment.paidOnDate = date;
    payment.totalAmount = paid;
    out.push({
      payment,
      allocation: date
        ? { currency, currencyRate: rate, allocatedOnDate: date, totalAmount }
        : { currency, currencyRate: rate, totalAmount },
    });
  }
  return out;
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
  paymentAllocations: Allocation[];
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
