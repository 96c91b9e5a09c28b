// Ledger rows -> Sage-shaped objects, built fresh on every read (nothing is stored twice).
import { BANK_TYPES, TRADER_TRANSACTION_TYPES } from './chart.ts';
import { sageDate, stamp } from './dates.ts';
import { BANK, BT, NOMINAL, PURCHASE, SALES, type TxText, USER_NAMES } from './ledger.ts';
import { money } from './money.ts';
import { refText } from './refs.ts';
import type { BookState } from './state.ts';
import type { Rec } from './table.ts';
import type { Want } from './types.ts';

const SOURCES = ['Sales Ledger', 'Purchase Ledger', 'Cash Book', 'Nominal Ledger'];
const LEDGER_TYPES = ['LedgerSales', 'LedgerPurchase', 'LedgerCashBook', 'LedgerNominal'];
const rate6 = (r: number) => (r === 1 ? 1 : Number(r.toFixed(6)));

const NO_ITEMS: Rec[] = Object.freeze([]) as unknown as Rec[];
const NOT_BUILT: Rec = Object.freeze({}) as Rec;
const need = (want: Want, key: string) => want === undefined || want.build(key);

export function texts(s: BookState, row: number): TxText {
  const L = s.ledger;
  const own = L.texts.get(row);
  if (own) return own;
  const code = L.refNo.get(row);
  if (code >= 0) return refText(code);
  const link = L.link.get(row);
  return link >= 0 ? texts(s, link) : { reference: '', second_reference: '', narrative: '' };
}

/** the row that holds the nominal postings (a cash-book row of a receipt shares its trader row's postings) */
function postingRow(s: BookState, row: number): number {
  const L = s.ledger;
  if (L.postEnd.get(row) > L.postStart.get(row)) return row;
  const link = L.link.get(row);
  return link >= 0 ? link : row;
}

export function taxItems(s: BookState, row: number): Rec[] {
  const L = s.ledger;
  const out: Rec[] = [];
  for (let i = L.taxStart.get(row); i < L.taxEnd.get(row); i++) {
    const tc = s.tables.tax_codes.get(L.tCode.get(i));
    out.push({
      id: L.tCode.get(i),
      code: tc?.code ?? 0,
      name: tc?.name ?? '',
      entry_type: L.tGoods.get(i) < 0 ? 'TaxEntryTypeCredit' : 'TaxEntryTypeDebit',
      goods_amount: money(L.tGoods.get(i)),
      tax_amount: money(L.tTax.get(i)),
      tax_discount_amount: 0,
    });
  }
  return out;
}

export function postingItem(s: BookState, p: number, t: TxText): Rec {
  const L = s.ledger;
  const n = s.tables.nominal_codes.get(L.pAccount.get(p));
  return {
    code: n?.reference ?? '',
    cost_centre: costCentreCode(s, n),
    department: departmentCode(s, n),
    name: n?.name ?? '',
    location: '',
    reference: t.reference,
    narrative: t.narrative,
    value: money(L.pValue.get(p)),
    base_value: money(L.pBase.get(p)),
    transaction_analysis_code: '',
    source: SOURCES[L.ledger.get(L.pTx.get(p))],
  };
}

export function costCentreCode(s: BookState, n: Rec | undefined): string {
  const id = n?.cost_centre_id as number;
  return id ? ((s.tables.cost_centres.get(id)?.code as string) ?? '') : '';
}

export function departmentCode(s: BookState, n: Rec | undefined): string {
  const id = n?.department_id as number;
  return id ? ((s.tables.departments.get(id)?.code as string) ?? '') : '';
}

export function nominalItems(s: BookState, row: number, t: TxText = texts(s, row)): Rec[] {
  const L = s.ledger;
  const pr = postingRow(s, row);
  const out: Rec[] = [];
  for (let p = L.postStart.get(pr); p < L.postEnd.get(pr); p++) out.push(postingItem(s, p, t));
  return out;
}

function bankEntryType(type: number): string {
  return type === BT.customerReceipt || type === BT.supplierRefund || type === BT.receipt || type === BT.transferIn
    ? 'Receipt'
    : 'Payment';
}

export function bankItems(s: BookState, row: number): Rec[] {
  const L = s.ledger;
  const ledger = L.ledger.get(row);
  const bankRow = ledger === BANK ? row : L.link.get(row);
  if (bankRow < 0 || L.ledger.get(bankRow) !== BANK) return [];
  const bank = s.tables.banks.get(L.account.get(bankRow));
  return [
    {
      bank_code: bank?.code ?? '',
      name: bank?.description ?? '',
      bank_entry_type: bankEntryType(L.type.get(bankRow)),
      reference: texts(s, bankRow).reference,
      cheque_value: money(L.gross(bankRow)),
      statement_date: null,
      statement_page_number: 0,
      urn: L.urn.get(bankRow),
    },
  ];
}

function allocationSessionItems(s: BookState, row: number): Rec[] {
  const L = s.ledger;
  const out: Rec[] = [];
  const ledgerType = L.ledger.get(row) === SALES ? 'LedgerSales' : 'LedgerPurchase';
  // the allocation list is walked directly (no generator): this runs for every row a read sends
  for (let e = L.allocHead.get(row); e >= 0; e = L.aNext.get(e)) {
    const day = sageDate(L.aDay.get(e));
    out.push(sessionItem(s, L.aOther.get(e), -L.aValue.get(e), ledgerType, day));
    out.push(sessionItem(s, row, L.aValue.get(e), ledgerType, day));
  }
  return out;
}

function sessionItem(s: BookState, r: number, v: number, ledgerType: string, day: string): Rec {
  const L = s.ledger;
  return {
    user_name: USER_NAMES[L.user.get(r)],
    ledger_type: ledgerType,
    urn: L.urn.get(r),
    allocation_date: day,
    trader_transaction_type: TRADER_TRANSACTION_TYPES[L.type.get(r)],
    reference: texts(s, r).reference,
    value: money(L.gross(r)),
    allocation_value: money(v),
  };
}

function allocationHistoryItems(s: BookState, row: number): Rec[] {
  const L = s.ledger;
  const out: Rec[] = [];
  for (let e = L.allocHead.get(row); e >= 0; e = L.aNext.get(e)) {
    out.push({
      id: e + 1,
      trading_revaluation_allocation_entry_type: 'AllocationEntryTypeAllocation',
      entry_date: sageDate(L.aDay.get(e)),
      allocation_value: money(L.aValue.get(e)),
      nominal_updated: true,
      exchange_rate: rate6(L.rate.get(row)),
      exchange_gain_loss: 0,
    });
  }
  return out;
}

function traderSummary(s: BookState, ledger: number, id: number): Rec | null {
  const rec = (ledger === SALES ? s.tables.customers : s.tables.suppliers).get(id);
  if (!rec) return null;
  return {
    id,
    reference: rec.reference,
    name: rec.name,
    short_name: rec.short_name,
    balance: money(s.ledger.traderBalance[ledger].get(id) ?? 0),
    currency_id: rec.currency_id,
    account_status_type: rec.account_status_type,
    on_hold: rec.on_hold,
    date_time_created: rec.date_time_created,
    date_time_updated: rec.date_time_updated,
  };
}

/** sales_posted_transactions / purchase_posted_transactions item */
/** The fields a reader of rows to send looks at, when all of them can be built without the rest of the row. */
function slimFields(want: Want, buildable: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (!want?.omit || !want.only) return undefined;
  for (const f of want.only) if (!buildable.has(f)) return undefined;
  return want.only;
}

/** The stored fields of a posted transaction that a narrow `$select` (the connector's URN maps, freshness checks)
 * can be answered from without building the row. */
const SLIM_TRADER_FIELDS = new Set([
  'id',
  'customer_id',
  'supplier_id',
  'trader_transaction_type',
  'urn',
  'date_time_created',
  'date_time_updated',
]);

function slimTraderTx(s: BookState, row: number, only: ReadonlySet<string>): Rec {
  const L = s.ledger;
  const o: Rec = {};
  const sales = L.ledger.get(row) === SALES;
  for (const f of only) {
    if (f === 'id') o.id = L.localId.get(row);
    else if (f === (sales ? 'customer_id' : 'supplier_id')) o[f] = L.account.get(row);
    else if (f === 'trader_transaction_type') o.trader_transaction_type = TRADER_TRANSACTION_TYPES[L.type.get(row)];
    else if (f === 'urn') o.urn = L.urn.get(row);
    else if (f === 'date_time_created') o.date_time_created = stamp(L.created.get(row));
    else if (f === 'date_time_updated') o.date_time_updated = stamp(L.updated.get(row));
  }
  return o;
}

export function traderTx(s: BookState, row: number, want?: Want): Rec {
  const L = s.ledger;
  const only = slimFields(want, SLIM_TRADER_FIELDS);
  if (only) return slimTraderTx(s, row, only);
  const ledger = L.ledger.get(row);
  const t = texts(s, row);
  const goods = L.goods.get(row);
  const tax = L.tax.get(row);
  const baseGoods = L.baseGoods.get(row);
  const baseTax = L.baseTax.get(row);
  const alloc = L.alloc.get(row);
  const account = L.account.get(row);
  const day = sageDate(L.date.get(row));
  const omit = want?.omit === true;
  // nested values: built when wanted, else a placeholder (or left undefined, which JSON and shaping both drop)
  const items = (key: string, build: () => Rec[]) => (need(want, key) ? build() : omit ? undefined : NO_ITEMS);
  const who = ledger === SALES ? 'customer' : 'supplier';
  const trader = need(want, who)
    ? traderSummary(s, ledger, account)
    : (ledger === SALES ? s.tables.customers : s.tables.suppliers).get(account)
      ? omit
        ? undefined
        : NOT_BUILT
      : null;
  const v = {
    type: TRADER_TRANSACTION_TYPES[L.type.get(row)],
    due: sageDate(L.due.get(row)),
    dGoods: money(goods),
    dGross: money(goods + tax),
    dTax: money(tax),
    dAlloc: money(alloc),
    dOut: money(goods + tax - alloc),
    bGoods: money(baseGoods),
    bGross: money(baseGoods + baseTax),
    bTax: money(baseTax),
    bAlloc: money(L.baseAlloc.get(row)),
    rate: rate6(L.rate.get(row)),
    urn: L.urn.get(row),
    user: USER_NAMES[L.user.get(row)],
    taxItems: items('tax_analysis_items', () => taxItems(s, row)),
    nominalItems: items('nominal_analysis_items', () => nominalItems(s, row, t)),
    bankItems: items('bank_items', () => bankItems(s, row)),
    sessionItems: items('allocation_session_items', () => allocationSessionItems(s, row)),
    historyItems: items('allocation_history_items', () => allocationHistoryItems(s, row)),
    created: stamp(L.created.get(row)),
    updated: stamp(L.updated.get(row)),
  };
  // one object literal per ledger, in the documented key order (literals build far faster than added properties)
  if (ledger === SALES) {
    const settled = L.settledDay.get(row);
    return {
      id: L.localId.get(row),
      customer_id: account,
      trader_transaction_type: v.type,
      reference: t.reference,
      second_reference: t.second_reference,
      queried: '',
      transaction_date: day,
      posted_date: day,
      due_date: v.due,
      full_settlement_date: settled >= 0 ? sageDate(settled) : null,
      document_goods_value: v.dGoods,
      document_gross_value: v.dGross,
      document_tax_value: v.dTax,
      document_discount_value: 0,
      discount_percent: 0,
      document_tax_discount_value: 0,
      document_allocated_value: v.dAlloc,
      document_outstanding_value: v.dOut,
      base_goods_value: v.bGoods,
      base_gross_value: v.bGross,
      base_tax_value: v.bTax,
      base_discount_value: 0,
      base_tax_discount_value: 0,
      base_allocated_value: v.bAlloc,
      control_value_in_base_currency: v.bGross,
      exchange_rate: v.rate,
      settled_immediately: false,
      discount_days: 0,
      urn: v.urn,
      user_name: v.user,
      tax_analysis_items: v.taxItems,
      nominal_analysis_items: v.nominalItems,
      bank_items: v.bankItems,
      allocation_session_items: v.sessionItems,
      allocation_history_items: v.historyItems,
      customer: trader,
      date_time_created: v.created,
      date_time_updated: v.updated,
    };
  }
  return {
    id: L.localId.get(row),
    supplier_id: account,
    trader_transaction_type: v.type,
    reference: t.reference,
    second_reference: t.second_reference,
    queried: '',
    transaction_date: day,
    posted_date: day,
    due_date: v.due,
    document_goods_value: v.dGoods,
    document_gross_value: v.dGross,
    document_tax_value: v.dTax,
    document_discount_value: 0,
    discount_percent: 0,
    document_tax_discount_value: 0,
    document_allocated_value: v.dAlloc,
    document_outstanding_value: v.dOut,
    base_goods_value: v.bGoods,
    base_gross_value: v.bGross,
    base_tax_value: v.bTax,
    base_discount_value: 0,
    base_tax_discount_value: 0,
    base_allocated_value: v.bAlloc,
    control_value_in_base_currency: v.bGross,
    exchange_rate: v.rate,
    settled_immediately: false,
    vat_adjustment_doc_expected: false,
    discount_days: 0,
    urn: v.urn,
    user_name: v.user,
    tax_analysis_items: v.taxItems,
    nominal_analysis_items: v.nominalItems,
    bank_items: v.bankItems,
    allocation_session_items: v.sessionItems,
    allocation_history_items: v.historyItems,
    supplier: trader,
    date_time_created: v.created,
    date_time_updated: v.updated,
  };
}

function tradeItems(s: BookState, row: number): Rec[] {
  const L = s.ledger;
  const link = L.link.get(row);
  if (link < 0 || L.ledger.get(link) === BANK) return [];
  const ledger = L.ledger.get(link);
  const trader = (ledger === SALES ? s.tables.customers : s.tables.suppliers).get(L.account.get(link));
  return [
    {
      account_number: trader?.reference ?? '',
      account_name: trader?.name ?? '',
      trading_entry_type: TRADER_TRANSACTION_TYPES[L.type.get(link)],
      entry_type_string: ledger === SALES ? 'Sales Receipt' : 'Purchase Payment',
      reference: texts(s, link).reference,
      gross_value: money(L.gross(link)),
      tax_value: money(L.tax.get(link)),
      transaction_date: sageDate(L.date.get(link)),
      urn: L.urn.get(link),
    },
  ];
}

/** bank_posted_transactions item; cheque_value is positive, the direction is in bank_transaction_type */
export function bankTx(s: BookState, row: number, want?: Want): Rec {
  const L = s.ledger;
  const t = texts(s, row);
  const bank = s.tables.banks.get(L.account.get(row));
  const link = L.link.get(row);
  const fromTrader = link >= 0 && L.ledger.get(link) !== BANK;
  // cheque values are in the bank account's currency (all simulator banks are in base currency)
  const currencyId = (bank?.account_currency_id as number) ?? s.baseCurrencyId;
  const o: Rec = {
    id: L.localId.get(row),
    bank_id: L.account.get(row),
    bank_transaction_type: BANK_TYPES[L.type.get(row)],
    entry_description: t.narrative,
    reference: t.reference,
    second_reference: t.second_reference,
    transaction_date: sageDate(L.date.get(row)),
    posted_date: sageDate(L.date.get(row)),
    cheque_value: money(L.gross(row)),
    cheque_discount_value: 0,
    cheque_to_account_currency_rate: 1,
    bank_cheque_to_base_currency_rate: 1,
    cheque_currency_id: currencyId,
    last_statement_date: null,
    statement_page_number: 0,
    source: fromTrader ? SOURCES[L.ledger.get(link)] : 'Cash Book',
    urn: L.urn.get(row),
    user_name: USER_NAMES[L.user.get(row)],
  };
  if (need(want, 'tax_analysis_items')) o.tax_analysis_items = taxItems(s, row);
  else if (!want?.omit) o.tax_analysis_items = NO_ITEMS;
  if (need(want, 'nominal_analysis_items')) o.nominal_analysis_items = nominalItems(s, row);
  else if (!want?.omit) o.nominal_analysis_items = NO_ITEMS;
  if (need(want, 'trade_items')) o.trade_items = tradeItems(s, row);
  else if (!want?.omit) o.trade_items = NO_ITEMS;
  if (!bank) o.bank = null;
  else if (need(want, 'bank')) o.bank = bankSummary(bank);
  else if (!want?.omit) o.bank = NOT_BUILT;
  const currency = s.currency(currencyId);
  if (!currency) o.cheque_currency = null;
  else if (need(want, 'cheque_currency')) o.cheque_currency = { ...currency };
  else if (!want?.omit) o.cheque_currency = NOT_BUILT;
  o.date_time_created = stamp(L.created.get(row));
  o.date_time_updated = stamp(L.updated.get(row));
  return o;
}

function bankSummary(b: Rec): Rec {
  const { bank_address: _a, bank_contacts: _c, emails: _e, memos: _m, websites: _w, ...rest } = b;
  return { ...rest };
}

function status(out: number, gross: number): string {
  if (out === 0) return 'Full';
  if (out === gross) return 'Outstanding';
  return 'Part';
}

/** sales_transaction_views / purchase_transaction_views item */
export function traderView(s: BookState, row: number): Rec {
  const L = s.ledger;
  const ledger = L.ledger.get(row);
  const t = texts(s, row);
  const trader = (ledger === SALES ? s.tables.customers : s.tables.suppliers).get(L.account.get(row));
  const cur = s.currency((trader?.currency_id as number) ?? s.baseCurrencyId);
  const gross = L.gross(row);
  const out = gross - L.alloc.get(row);
  const baseGross = L.baseGross(row);
  const who = ledger === SALES ? 'customer' : 'supplier';
  const o: Rec = {
    [ledger === SALES ? 'posted_customer_transaction_id' : 'posted_supplier_transaction_id']: L.localId.get(row),
    transaction_type: TRADER_TRANSACTION_TYPES[L.type.get(row)],
    transaction_date: sageDate(L.date.get(row)),
    posted_date: sageDate(L.date.get(row)),
    due_date: sageDate(L.due.get(row)),
    discount_days: 0,
    reference: t.reference,
    second_reference: t.second_reference,
    query: '',
    status: status(out, gross),
    user_name: USER_NAMES[L.user.get(row)],
    ledger_type: LEDGER_TYPES[ledger],
    urn: L.urn.get(row),
    exchange_rate: rate6(L.rate.get(row)),
    settled_immediately: false,
  };
  if (ledger === PURCHASE) o.vat_adjustment_doc_expected = false;
  Object.assign(o, {
    base_goods_value: money(L.baseGoods.get(row)),
    base_gross_value: money(baseGross),
    base_discount_value: 0,
    base_tax_value: money(L.baseTax.get(row)),
    base_tax_discount_value: 0,
    base_allocated_value: money(L.baseAlloc.get(row)),
    base_outstanding_value: money(baseGross - L.baseAlloc.get(row)),
    document_goods_value: money(L.goods.get(row)),
    document_gross_value: money(gross),
    document_discount_value: 0,
    document_tax_value: money(L.tax.get(row)),
    document_tax_discount_value: 0,
    document_allocated_value: money(L.alloc.get(row)),
    document_outstanding_value: money(out),
    [`${who}_id`]: L.account.get(row),
    [`${who}_reference`]: trader?.reference ?? '',
    [`${who}_name`]: trader?.name ?? '',
    currency_name: cur?.name ?? '',
    currency_symbol: cur?.symbol ?? '',
    transaction_date_time_updated: stamp(L.updated.get(row)),
  });
  return o;
}

/** nominal_transaction_enquiry_views item: one per nominal posting (p = posting index) */
export function nominalEnquiry(s: BookState, p: number): Rec {
  const L = s.ledger;
  const row = L.pTx.get(p);
  const day = L.date.get(row);
  const cal = s.calendar;
  const period = cal.periodOf(day);
  const yi = Math.floor(period / 12);
  const base = L.pBase.get(p);
  const t = texts(s, row);
  const ledger = L.ledger.get(row);
  const traderRow = ledger === BANK ? L.link.get(row) : row;
  return {
    id: p + 1,
    nominal_code_id: L.pAccount.get(p),
    transaction_date: sageDate(day),
    period_number: (period % 12) + 1,
    reference: t.reference,
    narrative: t.narrative,
    transaction_analysis_code: '',
    debit: base > 0 ? money(base) : 0,
    credit: base < 0 ? money(-base) : 0,
    user_name: USER_NAMES[L.user.get(row)],
    source: SOURCES[ledger],
    urn: L.urn.get(row),
    accounting_period_id: cal.accountingPeriodId(period),
    financial_year_id: cal.financialYearId(yi),
    financial_year_start_date: cal.yearStart(yi),
    year_relative_to_current_year: cal.relative(yi),
    nominal_analysis_items: [postingItem(s, p, t)],
    bank_items: ledger === NOMINAL ? [] : bankItems(s, row),
    tax_analysis_items: ledger === NOMINAL ? [] : taxItems(s, row),
    trade_items:
      ledger === BANK
        ? tradeItems(s, row)
        : ledger === NOMINAL || traderRow < 0
          ? []
          : [
              {
                account_number:
                  (ledger === SALES ? s.tables.customers : s.tables.suppliers).get(L.account.get(row))?.reference ?? '',
                account_name:
                  (ledger === SALES ? s.tables.customers : s.tables.suppliers).get(L.account.get(row))?.name ?? '',
                trading_entry_type: TRADER_TRANSACTION_TYPES[L.type.get(row)],
                entry_type_string: TRADER_TRANSACTION_TYPES[L.type.get(row)].replace('TradingAccountEntryType', ''),
                reference: t.reference,
                gross_value: money(L.gross(row)),
                tax_value: money(L.tax.get(row)),
                transaction_date: sageDate(day),
                urn: L.urn.get(row),
              },
            ],
  };
}

/** SOP invoice id: the simulator numbers SOP invoices after their posted transaction (see docs) */
export const SOP_INVOICE_ID_OFFSET = 500_000;

/** The SOP line view's fields a narrow `$select` (the connector's SOP line index) can be built from without the
 * rest of the row (customer and product-group lookups, cost and profit, dates, rates). */
const SLIM_SOP_LINE_FIELDS = new Set([
  'customer_id',
  'sop_invoice_credit_id',
  'sop_invoice_credit_type',
  'sop_invoice_credit_document_no',
  'sop_invoice_credit_line_id',
  'sop_invoice_credit_line_total_value',
  'sop_invoice_credit_line_tax_value',
  'invoice_line_profit_analysis_line_quantity',
  'product_id',
  'product_code',
  'product_name',
  'product_description',
  'sop_invoice_credit_date_time_updated',
  'sop_invoice_credit_line_date_time_updated',
]);

function slimSopLine(s: BookState, i: number, only: ReadonlySet<string>): Rec {
  const L = s.ledger;
  const row = L.lTx.get(i);
  const product = () => s.tables.products.get(L.lProduct.get(i));
  const o: Rec = {};
  for (const f of only) {
    switch (f) {
      case 'customer_id':
        o[f] = L.account.get(row);
        break;
      case 'sop_invoice_credit_id':
        o[f] = SOP_INVOICE_ID_OFFSET + L.localId.get(row);
        break;
      case 'sop_invoice_credit_type':
        o[f] = L.goods.get(row) < 0 ? 'SOPInvoiceCreditTypeCredit' : 'SOPInvoiceCreditTypeInvoice';
        break;
      case 'sop_invoice_credit_document_no':
        o[f] = texts(s, row).reference;
        break;
      case 'sop_invoice_credit_line_id':
        o[f] = i + 1;
        break;
      case 'sop_invoice_credit_line_total_value':
        o[f] = money(L.lNet.get(i));
        break;
      case 'sop_invoice_credit_line_tax_value':
        o[f] = money(L.lTax.get(i));
        break;
      case 'invoice_line_profit_analysis_line_quantity':
        o[f] = L.lQty.get(i);
        break;
      case 'product_id':
        o[f] = L.lProduct.get(i);
        break;
      case 'product_code':
        o[f] = product()?.code ?? '';
        break;
      case 'product_name':
        o[f] = product()?.name ?? '';
        break;
      case 'product_description':
        o[f] = product()?.description ?? '';
        break;
      case 'sop_invoice_credit_date_time_updated':
      case 'sop_invoice_credit_line_date_time_updated':
        o[f] = stamp(L.created.get(row));
        break;
    }
  }
  return o;
}

/** customer_sop_invoice_credit_line_views item (i = SOP line index) */
export function sopLineView(s: BookState, i: number, want?: Want): Rec {
  const only = slimFields(want, SLIM_SOP_LINE_FIELDS);
  if (only) return slimSopLine(s, i, only);
  const L = s.ledger;
  const row = L.lTx.get(i);
  const customer = s.tables.customers.get(L.account.get(row));
  const product = s.tables.products.get(L.lProduct.get(i));
  const group = product ? s.tables.product_groups.get(product.product_group_id as number) : undefined;
  const t = texts(s, row);
  const credit = L.goods.get(row) < 0;
  const qty = L.lQty.get(i);
  const net = L.lNet.get(i);
  const cost = product ? Math.round((product.standard_cost as number) * 100) * qty : 0;
  return {
    customer_id: L.account.get(row),
    customer_reference: customer?.reference ?? '',
    customer_name: customer?.name ?? '',
    sop_invoice_credit_id: SOP_INVOICE_ID_OFFSET + L.localId.get(row),
    sop_invoice_credit_type: credit ? 'SOPInvoiceCreditTypeCredit' : 'SOPInvoiceCreditTypeInvoice',
    sop_invoice_credit_document_no: t.reference,
    sop_invoice_credit_document_date: sageDate(L.date.get(row)),
    sop_invoice_credit_document_status: 'SOPInvoiceCreditStatusPosted',
    sop_invoice_credit_exchange_rate: rate6(L.rate.get(row)),
    sop_invoice_credit_line_id: i + 1,
    sop_invoice_credit_line_invoice_credit_date: sageDate(L.date.get(row)),
    sop_invoice_credit_line_total_value: money(net),
    sop_invoice_credit_line_tax_value: money(L.lTax.get(i)),
    invoice_line_profit_analysis_id: i + 1,
    invoice_line_profit_analysis_line_quantity: qty,
    invoice_line_profit_analysis_realised_cost_value: money(cost),
    invoice_line_profit_analysis_realised_profit_value: money(net - cost),
    product_id: L.lProduct.get(i),
    product_code: product?.code ?? '',
    product_name: product?.name ?? '',
    product_description: product?.description ?? '',
    product_group_id: product?.product_group_id ?? 0,
    product_group_code: group?.code ?? '',
    product_group_description: group?.description ?? '',
    sop_invoice_credit_date_time_updated: stamp(L.created.get(row)),
    sop_invoice_credit_line_date_time_updated: stamp(L.created.get(row)),
    product_date_time_updated: product?.date_time_updated ?? null,
  };
}
