// The posted-transaction store: columnar, append-only (Sage never deletes posted transactions).
// One row per posted transaction of the sales, purchase, bank and nominal (journal) ledgers; postings, tax lines,
// allocation entries and SOP invoice lines live in their own column sets that point back at the row.
import { F64, I32, U8 } from './columns.ts';
import { toBase } from './money.ts';

export const SALES = 0;
export const PURCHASE = 1;
export const BANK = 2;
export const NOMINAL = 3;

/** trader types: index into TRADER_TRANSACTION_TYPES */
export const TT = { invoice: 0, credit: 1, receipt: 2, refund: 3, obInvoice: 4, obCredit: 5 } as const;
/** bank types: index into BANK_TYPES */
export const BT = {
  receipt: 0,
  payment: 1,
  customerReceipt: 2,
  supplierPayment: 3,
  customerRefund: 4,
  supplierRefund: 5,
  transferIn: 6,
  transferOut: 7,
} as const;

export interface TxText {
  reference: string;
  second_reference: string;
  narrative: string;
}

export interface NewTx {
  ledger: number;
  type: number;
  /** customer id, supplier id, bank id (bank ledger) or 0 (journal) */
  account: number;
  /** bank id of a receipt/payment, else 0 */
  bank: number;
  date: number;
  due: number;
  createdMs: number;
  rate: number;
  /** signed document values in pennies (gross = goods + tax) */
  goods: number;
  tax: number;
  text: TxText | number; // a number = generated reference number (texts derived on read)
  userName: number; // index into USER_NAMES
  urn: number;
}

export const USER_NAMES = ['MANAGER', 'ACCOUNTS', 'CREDITCTRL', 'PURCHASING', 'WEBAPI'];

/** Nominal balances in base pennies, per account id and accounting period (debits and credits kept apart). */
export class Balances {
  private readonly dr = new Map<number, Float64Array>();
  private readonly cr = new Map<number, Float64Array>();
  constructor(
    readonly firstDay: number,
    readonly periodOf: (day: number) => number,
    readonly periods: number,
  ) {}
  add(account: number, day: number, base: number): void {
    const p = this.periodOf(day);
    const map = base >= 0 ? this.dr : this.cr;
    let arr = map.get(account);
    if (!arr) {
      arr = new Float64Array(this.periods);
      map.set(account, arr);
    }
    arr[p] += base;
  }
  debit(account: number, p: number): number {
    return this.dr.get(account)?.[p] ?? 0;
  }
  credit(account: number, p: number): number {
    return this.cr.get(account)?.[p] ?? 0;
  }
  net(account: number, p: number): number {
    return this.debit(account, p) + this.credit(account, p);
  }
  has(account: number): boolean {
    return this.dr.has(account) || this.cr.has(account);
  }
}

export class Ledger {
  // transaction rows
  readonly ledger = new U8(1024);
  readonly type = new U8(1024);
  readonly account = new I32(1024);
  readonly bank = new I32(1024);
  readonly date = new I32(1024);
  readonly due = new I32(1024);
  readonly created = new F64(1024);
  readonly updated = new F64(1024);
  readonly rate = new F64(1024);
  readonly goods = new F64(1024);
  readonly tax = new F64(1024);
  readonly baseGoods = new F64(1024);
  readonly baseTax = new F64(1024);
  readonly alloc = new F64(1024);
  readonly baseAlloc = new F64(1024);
  readonly settledDay = new I32(1024);
  readonly urn = new I32(1024);
  readonly refNo = new I32(1024);
  readonly user = new U8(1024);
  readonly link = new I32(1024);
  readonly localId = new I32(1024);
  readonly postStart = new I32(1024);
  readonly postEnd = new I32(1024);
  readonly taxStart = new I32(1024);
  readonly taxEnd = new I32(1024);
  readonly lineStart = new I32(1024);
  readonly lineEnd = new I32(1024);
  readonly allocHead = new I32(1024);
  readonly allocTail = new I32(1024);
  readonly texts = new Map<number, TxText>();
  /** per ledger: id - 1 -> row */
  readonly rows = [new I32(1024), new I32(1024), new I32(1024), new I32(64)];

  // nominal postings (one nominal_transaction_enquiry_views row each; id = index + 1)
  readonly pTx = new I32(4096);
  readonly pAccount = new I32(4096);
  readonly pValue = new F64(4096);
  readonly pBase = new F64(4096);

  // tax analysis lines
  readonly tTx = new I32(1024);
  readonly tCode = new I32(1024);
  readonly tGoods = new F64(1024);
  readonly tTax = new F64(1024);

  // allocation entries: a linked list per row
  readonly aTx = new I32(1024);
  readonly aOther = new I32(1024);
  readonly aValue = new F64(1024);
  readonly aDay = new I32(1024);
  readonly aUrn = new I32(1024);
  readonly aNext = new I32(1024);

  // SOP invoice lines (customer_sop_invoice_credit_line_views; line id = index + 1)
  readonly lTx = new I32(256);
  readonly lProduct = new I32(256);
  readonly lQty = new F64(256);
  readonly lPrice = new F64(256);
  readonly lNet = new F64(256);
  readonly lTax = new F64(256);
  readonly lTaxCode = new I32(256);

  /** running balances */
  readonly traderBalance = [new Map<number, number>(), new Map<number, number>()];
  readonly bankBalance = new Map<number, number>();
  urnSeq = 0;

  constructor(readonly balances: Balances) {}

  get size(): number {
    return this.ledger.length;
  }

  count(ledger: number): number {
    return this.rows[ledger].length;
  }

  nextUrn(): number {
    return ++this.urnSeq;
  }

  /** Start a transaction row; add postings/tax/lines, then call end(row). */
  begin(t: NewTx): number {
    const row = this.ledger.push(t.ledger);
    this.type.push(t.type);
    this.account.push(t.account);
    this.bank.push(t.bank);
    this.date.push(t.date);
    this.due.push(t.due);
    this.created.push(t.createdMs);
    this.updated.push(t.createdMs);
    this.rate.push(t.rate);
    this.goods.push(t.goods);
    this.tax.push(t.tax);
    this.baseGoods.push(toBase(t.goods, t.rate));
    this.baseTax.push(toBase(t.tax, t.rate));
    this.alloc.push(0);
    this.baseAlloc.push(0);
    this.settledDay.push(-1);
    this.urn.push(t.urn);
    if (typeof t.text === 'number') this.refNo.push(t.text);
    else {
      this.refNo.push(-1);
      this.texts.set(row, t.text);
    }
    this.user.push(t.userName);
    this.link.push(-1);
    this.localId.push(this.rows[t.ledger].push(row) + 1);
    this.postStart.push(this.pTx.length);
    this.postEnd.push(this.pTx.length);
    this.taxStart.push(this.tTx.length);
    this.taxEnd.push(this.tTx.length);
    this.lineStart.push(this.lTx.length);
    this.lineEnd.push(this.lTx.length);
    this.allocHead.push(-1);
    this.allocTail.push(-1);
    if (t.ledger === SALES || t.ledger === PURCHASE) {
      const m = this.traderBalance[t.ledger];
      m.set(t.account, (m.get(t.account) ?? 0) + t.goods + t.tax);
    }
    return row;
  }

  /** a nominal posting in document currency; base value converted at the row's rate unless given */
  post(row: number, account: number, value: number, base = toBase(value, this.rate.get(row))): void {
    this.pTx.push(row);
    this.pAccount.push(account);
    this.pValue.push(value);
    this.pBase.push(base);
    this.postEnd.set(row, this.pTx.length);
    this.balances.add(account, this.date.get(row), base);
  }

  taxLine(row: number, taxCodeId: number, goods: number, tax: number): void {
    this.tTx.push(row);
    this.tCode.push(taxCodeId);
    this.tGoods.push(goods);
    this.tTax.push(tax);
    this.taxEnd.set(row, this.tTx.length);
  }

  sopLine(row: number, product: number, qty: number, price: number, net: number, tax: number, taxCode: number): void {
    this.lTx.push(row);
    this.lProduct.push(product);
    this.lQty.push(qty);
    this.lPrice.push(price);
    this.lNet.push(net);
    this.lTax.push(tax);
    this.lTaxCode.push(taxCode);
    this.lineEnd.set(row, this.lTx.length);
  }

  /** Link a trader receipt/payment and its cash-book row (they share the URN and the nominal postings). */
  linkRows(a: number, b: number): void {
    this.link.set(a, b);
    this.link.set(b, a);
  }

  bankMove(bankId: number, pennies: number): void {
    this.bankBalance.set(bankId, (this.bankBalance.get(bankId) ?? 0) + pennies);
  }

  gross(row: number): number {
    return this.goods.get(row) + this.tax.get(row);
  }

  baseGross(row: number): number {
    return this.baseGoods.get(row) + this.baseTax.get(row);
  }

  outstanding(row: number): number {
    return this.gross(row) - this.alloc.get(row);
  }

  /**
   * Allocate `amount` pennies (positive, document currency) between a debit row (invoice, refund) and a credit row
   * (receipt, credit note). Both outstanding values move towards zero; the customer balance is unchanged.
   */
  allocate(debitRow: number, creditRow: number, amount: number, day: number, urn: number, ms: number): void {
    for (const [row, other, v] of [
      [debitRow, creditRow, amount],
      [creditRow, debitRow, -amount],
    ] as const) {
      this.alloc.add(row, v);
      const out = this.outstanding(row);
      this.baseAlloc.set(row, out === 0 ? this.baseGross(row) : toBase(this.alloc.get(row), this.rate.get(row)));
      if (out === 0) this.settledDay.set(row, day);
      this.updated.set(row, Math.max(this.updated.get(row), ms));
      const e = this.aTx.push(row);
      this.aOther.push(other);
      this.aValue.push(v);
      this.aDay.push(day);
      this.aUrn.push(urn);
      this.aNext.push(-1);
      const tail = this.allocTail.get(row);
      if (tail < 0) this.allocHead.set(row, e);
      else this.aNext.set(tail, e);
      this.allocTail.set(row, e);
    }
  }

  *allocations(row: number): Generator<number> {
    for (let e = this.allocHead.get(row); e >= 0; e = this.aNext.get(e)) yield e;
  }
}
