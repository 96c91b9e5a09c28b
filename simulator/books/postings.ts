// Double-entry building blocks shared by the generator and the posting engine, so generated and written
// transactions are shaped and balanced the same way.
import { BANK, BT, type Ledger, NOMINAL, type PURCHASE, SALES, TT, type TxText } from './ledger.ts';
import { toBase } from './money.ts';
import type { BookState } from './state.ts';

export interface TaxItem {
  taxCodeId: number;
  /** signed document pennies */
  goods: number;
  tax: number;
}

export interface GoodsItem {
  nominalId: number;
  /** signed document pennies */
  value: number;
}

export interface TraderDoc {
  ledger: typeof SALES | typeof PURCHASE;
  type: number;
  traderId: number;
  date: number;
  due: number;
  rate: number;
  createdMs: number;
  text: TxText | number;
  user: number;
  urn: number;
  taxItems: TaxItem[];
  goodsItems: GoodsItem[];
}

/** Sales/purchase invoice or credit note: goods and tax against the ledger's control account. */
export function postTraderDocument(s: BookState, d: TraderDoc): number {
  const L = s.ledger;
  const goods = d.taxItems.reduce((a, t) => a + t.goods, 0);
  const tax = d.taxItems.reduce((a, t) => a + t.tax, 0);
  const row = L.begin({
    ledger: d.ledger,
    type: d.type,
    account: d.traderId,
    bank: 0,
    date: d.date,
    due: d.due,
    createdMs: d.createdMs,
    rate: d.rate,
    goods,
    tax,
    text: d.text,
    userName: d.user,
    urn: d.urn,
  });
  for (const t of d.taxItems) L.taxLine(row, t.taxCodeId, t.goods, t.tax);
  // sales credit income (negative), purchases debit expense (positive); credit notes carry negative values
  const sign = d.ledger === SALES ? -1 : 1;
  const rate = d.rate;
  // base values: goods rows take their own conversion; the control row takes the exact negative sum so the
  // posting balances in base even when rounding differs
  let baseSum = 0;
  for (const g of d.goodsItems) {
    const b = toBase(sign * g.value, rate);
    baseSum += b;
    L.post(row, g.nominalId, sign * g.value, b);
  }
  if (tax !== 0) {
    const b = toBase(sign * tax, rate);
    baseSum += b;
    L.post(row, s.acct(d.ledger === SALES ? '2200' : '2201'), sign * tax, b);
  }
  L.post(row, s.acct(d.ledger === SALES ? '1100' : '2100'), -sign * (goods + tax), -baseSum);
  fixBaseGross(L, row, -baseSum * -sign);
  return row;
}

/** keep the row's base goods + tax equal to the control posting (rounding goes into base goods) */
function fixBaseGross(L: Ledger, row: number, baseGross: number): void {
  const bt = L.baseTax.get(row);
  L.baseGoods.set(row, baseGross - bt);
}

export interface TraderCash {
  ledger: typeof SALES | typeof PURCHASE;
  /** TT.receipt (sales receipt / purchase payment) or TT.refund (sales payment / purchase receipt) */
  type: number;
  traderId: number;
  bankId: number;
  date: number;
  rate: number;
  /** positive document pennies */
  amount: number;
  createdMs: number;
  text: TxText | number;
  user: number;
  urn: number;
}

/** Receipt/payment on a trader account plus its cash-book row; returns the trader row. */
export function postTraderCash(s: BookState, c: TraderCash): number {
  const L = s.ledger;
  // money in: sales receipt, purchase receipt (refund from supplier)
  const moneyIn = (c.ledger === SALES) === (c.type === TT.receipt);
  const traderGross = c.type === TT.receipt ? -c.amount : c.amount;
  const row = L.begin({
    ledger: c.ledger,
    type: c.type,
    account: c.traderId,
    bank: c.bankId,
    date: c.date,
    due: c.date,
    createdMs: c.createdMs,
    rate: c.rate,
    goods: traderGross,
    tax: 0,
    text: c.text,
    userName: c.user,
    urn: c.urn,
  });
  const base = toBase(c.amount, c.rate);
  const bankNominal = bankNominalId(s, c.bankId);
  const control = s.acct(c.ledger === SALES ? '1100' : '2100');
  L.post(row, bankNominal, moneyIn ? c.amount : -c.amount, moneyIn ? base : -base);
  L.post(row, control, moneyIn ? -c.amount : c.amount, moneyIn ? -base : base);
  const bankType =
    c.ledger === SALES
      ? c.type === TT.receipt
        ? BT.customerReceipt
        : BT.customerRefund
      : c.type === TT.receipt
        ? BT.supplierPayment
        : BT.supplierRefund;
  const bankRow = L.begin({
    ledger: BANK,
    type: bankType,
    account: c.bankId,
    bank: c.bankId,
    date: c.date,
    due: c.date,
    createdMs: c.createdMs,
    rate: 1,
    goods: base,
    tax: 0,
    text: c.text,
    userName: c.user,
    urn: c.urn,
  });
  L.linkRows(row, bankRow);
  L.bankMove(c.bankId, moneyIn ? base : -base);
  return row;
}

export interface BankItem {
  nominalId: number;
  taxCodeId: number;
  /** positive pennies */
  goods: number;
  tax: number;
}

/** Cash-book receipt or payment straight to nominal accounts (no trader). */
export function postBankEntry(
  s: BookState,
  e: {
    bankId: number;
    receipt: boolean;
    date: number;
    createdMs: number;
    text: TxText | number;
    user: number;
    urn: number;
    items: BankItem[];
  },
): number {
  const L = s.ledger;
  const goods = e.items.reduce((a, i) => a + i.goods, 0);
  const tax = e.items.reduce((a, i) => a + i.tax, 0);
  const row = L.begin({
    ledger: BANK,
    type: e.receipt ? BT.receipt : BT.payment,
    account: e.bankId,
    bank: e.bankId,
    date: e.date,
    due: e.date,
    createdMs: e.createdMs,
    rate: 1,
    goods,
    tax,
    text: e.text,
    userName: e.user,
    urn: e.urn,
  });
  const byCode = new Map<number, [number, number]>();
  for (const i of e.items) {
    const v = byCode.get(i.taxCodeId) ?? [0, 0];
    v[0] += i.goods;
    v[1] += i.tax;
    byCode.set(i.taxCodeId, v);
  }
  for (const [code, [g, t]] of byCode) L.taxLine(row, code, g, t);
  const sign = e.receipt ? -1 : 1; // receipts credit income, payments debit expense
  for (const i of e.items) L.post(row, i.nominalId, sign * i.goods);
  if (tax !== 0) L.post(row, s.acct(e.receipt ? '2200' : '2201'), sign * tax);
  L.post(row, bankNominalId(s, e.bankId), -sign * (goods + tax));
  L.bankMove(e.bankId, e.receipt ? goods + tax : -(goods + tax));
  return row;
}

/** Bank transfer: a payment row on the source bank holding the postings and a linked receipt row on the target. */
export function postTransfer(
  s: BookState,
  t: {
    fromId: number;
    toId: number;
    date: number;
    amount: number;
    createdMs: number;
    text: TxText | number;
    user: number;
    urn: number;
  },
): number {
  const L = s.ledger;
  const common = {
    date: t.date,
    due: t.date,
    createdMs: t.createdMs,
    rate: 1,
    tax: 0,
    text: t.text,
    userName: t.user,
    urn: t.urn,
  };
  const out = L.begin({
    ledger: BANK,
    type: BT.transferOut,
    account: t.fromId,
    bank: t.fromId,
    goods: t.amount,
    ...common,
  });
  L.post(out, bankNominalId(s, t.toId), t.amount);
  L.post(out, bankNominalId(s, t.fromId), -t.amount);
  const inn = L.begin({ ledger: BANK, type: BT.transferIn, account: t.toId, bank: t.toId, goods: t.amount, ...common });
  L.linkRows(out, inn);
  L.bankMove(t.fromId, -t.amount);
  L.bankMove(t.toId, t.amount);
  return out;
}

/** Nominal journal (opening balances, VAT transfers): a NOMINAL-ledger row, never served as a collection. */
export function postJournal(
  s: BookState,
  j: { date: number; createdMs: number; text: TxText | number; user: number; urn: number; lines: GoodsItem[] },
): number {
  const L = s.ledger;
  const row = L.begin({
    ledger: NOMINAL,
    type: 0,
    account: 0,
    bank: 0,
    date: j.date,
    due: j.date,
    createdMs: j.createdMs,
    rate: 1,
    goods: 0,
    tax: 0,
    text: j.text,
    userName: j.user,
    urn: j.urn,
  });
  for (const l of j.lines) L.post(row, l.nominalId, l.value);
  return row;
}

export function bankNominalId(s: BookState, bankId: number): number {
  const b = s.tables.banks.get(bankId)!;
  return s.acct(
    b.bank_account_nominal_reference as string,
    (b.bank_account_nominal_cost_centre as string) ?? '',
    (b.bank_account_nominal_department as string) ?? '',
  );
}

/**
 * Allocate between a debit row (invoice, refund) and a credit row (receipt, credit note). When the two sides'
 * base-currency allocated values do not cancel (different exchange rates, or rounding of partial allocations),
 * post the difference as a realised exchange gain/loss (7950) against the control account, so the control account
 * always equals the base outstanding of its ledger.
 */
export function allocate(
  s: BookState,
  debitRow: number,
  creditRow: number,
  amount: number,
  day: number,
  urn: number,
  ms: number,
): void {
  const L = s.ledger;
  const before = L.baseAlloc.get(debitRow) + L.baseAlloc.get(creditRow);
  L.allocate(debitRow, creditRow, amount, day, urn, ms);
  const delta = L.baseAlloc.get(debitRow) + L.baseAlloc.get(creditRow) - before;
  if (delta === 0) return;
  const sales = L.ledger.get(debitRow) === SALES;
  const control = s.acct(sales ? '1100' : '2100');
  const exchange = s.acct('7950');
  postJournal(s, {
    date: day,
    createdMs: ms,
    text: { reference: 'EXCH', second_reference: '', narrative: 'Exchange difference on allocation' },
    user: L.user.get(creditRow),
    urn: L.nextUrn(),
    lines: sales
      ? [
          { nominalId: control, value: -delta },
          { nominalId: exchange, value: delta },
        ]
      : [
          { nominalId: control, value: delta },
          { nominalId: exchange, value: -delta },
        ],
  });
}
