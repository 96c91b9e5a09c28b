// Ledger postings from the API (create only): validate as Sage does, then post through the same double-entry
// builders the generator uses. Each returns {urn} (a JSON string, per Sage's spec), except allocations/transfers.
import { TAX } from './chart.ts';
import { sageDate } from './dates.ts';
import { SageError } from './errors.ts';
import { PURCHASE, SALES, TT, type TxText } from './ledger.ts';
import { money, toPennies } from './money.ts';
import {
  allocate,
  type BankItem,
  type GoodsItem,
  postBankEntry,
  postTraderCash,
  postTraderDocument,
  postTransfer,
  type TaxItem,
} from './postings.ts';
import type { BookState } from './state.ts';
import type { Rec } from './table.ts';
import { arr, bad, day, int, num, ref, str } from './validate.ts';

const WEBAPI_USER = 4;

export const LEDGER_POSTINGS = new Set([
  'sales_invoices',
  'sales_credit_notes',
  'sales_receipts',
  'sales_payments',
  'sales_allocations',
  'purchase_invoices',
  'purchase_credit_notes',
  'purchase_payments',
  'purchase_receipts',
  'bank_receipt',
  'bank_payment',
  'bank_transfer',
]);

export function postLedger(s: BookState, resource: string, body: Rec, now: Date): Rec {
  switch (resource) {
    case 'sales_invoices':
      return traderDocument(s, SALES, false, body, now);
    case 'sales_credit_notes':
      return traderDocument(s, SALES, true, body, now);
    case 'purchase_invoices':
      return traderDocument(s, PURCHASE, false, body, now);
    case 'purchase_credit_notes':
      return traderDocument(s, PURCHASE, true, body, now);
    case 'sales_receipts':
      return traderCash(s, SALES, TT.receipt, body, now);
    case 'sales_payments':
      return traderCash(s, SALES, TT.refund, body, now);
    case 'purchase_payments':
      return traderCash(s, PURCHASE, TT.receipt, body, now);
    case 'purchase_receipts':
      return traderCash(s, PURCHASE, TT.refund, body, now);
    case 'sales_allocations':
      return salesAllocation(s, body, now);
    case 'bank_receipt':
      return bankEntry(s, true, body, now);
    case 'bank_payment':
      return bankEntry(s, false, body, now);
    case 'bank_transfer':
      return bankTransfer(s, body, now);
  }
  throw new SageError(404, `The resource '${resource}' does not support POST.`);
}

function transactionDay(s: BookState, body: Rec, now: Date, field = 'transaction_date'): number {
  const d = day(body, field) ?? Math.floor(now.getTime() / 86_400_000);
  if (!s.calendar.contains(d))
    bad(
      `The ${field} ${sageDate(d)} is not in an open financial year (${s.calendar.yearStart(0).slice(0, 10)} to ${s.calendar.yearEnd(s.calendar.years - 1).slice(0, 10)}).`,
    );
  return d;
}

function text(body: Rec): TxText {
  const reference = str(body, 'reference', 20) ?? '';
  return {
    reference,
    second_reference: str(body, 'second_reference', 20) ?? '',
    narrative: str(body, 'narrative', 6000) ?? reference,
  };
}

function exchangeRate(s: BookState, body: Rec, currencyId: number, d: number): number {
  const r = num(body, 'exchange_rate');
  if (r === undefined) return s.rate(currencyId, d);
  if (!(r > 0)) bad('The exchange_rate field must be greater than zero.');
  if (currencyId === s.baseCurrencyId && r !== 1)
    bad('The exchange_rate must be 1 for an account in the base currency.');
  return r;
}

/** nominal_analysis_items[i] -> nominal code id (code + cost centre + department must exist) */
function nominalOf(s: BookState, item: Rec, at: string): number {
  const code = item.code;
  if (code === undefined || code === null || code === '') bad(`The ${at}.code field is required.`);
  if (typeof code !== 'string' || code.length > 8)
    bad(`The field ${at}.code must be a string with a maximum length of 8.`);
  const cc = item.cost_centre ?? '';
  const dept = item.department ?? '';
  if (typeof cc !== 'string' || typeof dept !== 'string')
    bad(`The ${at}.cost_centre and ${at}.department fields must be strings.`);
  const id = s.nominalId(code, cc, dept);
  if (id === undefined)
    bad(`Nominal code '${code}' with cost centre '${cc}' and department '${dept}' was not found (${at}).`);
  const n = s.tables.nominal_codes.get(id)!;
  if (n.account_status_type === 'AccountStatusHidden')
    bad(`Nominal code '${code}' is hidden and cannot be posted to (${at}).`);
  return id;
}

function traderDocument(
  s: BookState,
  ledger: typeof SALES | typeof PURCHASE,
  isCredit: boolean,
  body: Rec,
  now: Date,
): Rec {
  const sales = ledger === SALES;
  const traderField = sales ? 'customer_id' : 'supplier_id';
  const traders = sales ? s.tables.customers : s.tables.suppliers;
  const traderId = ref(body, traderField, traders, sales ? 'Customer' : 'Supplier', { required: true })!;
  const trader = traders.get(traderId)!;
  if (trader.account_status_type === 'AccountStatusHidden')
    bad(`The account ${trader.reference} is hidden and cannot be posted to.`);
  const d = transactionDay(s, body, now);
  const due = day(body, 'due_date') ?? d + ((trader.payment_terms_days as number) || 30);
  const rate = exchangeRate(s, body, trader.currency_id as number, d);
  const t = text(body);
  const headGoods =
    body.document_goods_value === undefined ? undefined : toPennies(body.document_goods_value, 'document_goods_value');
  const headTax =
    body.document_tax_value === undefined ? undefined : toPennies(body.document_tax_value, 'document_tax_value');
  for (const f of ['document_discount_value', 'document_tax_discount_value'])
    if (toPennies(body[f], f) !== 0)
      bad(`The ${f} field is not supported by the simulator; post discounts as separate lines.`);

  // tax analysis: one item per tax code record id
  const taxBodies = arr(body, 'tax_analysis_items');
  const taxItems: TaxItem[] = [];
  if (taxBodies && taxBodies.length > 0) {
    taxBodies.forEach((item, i) => {
      const at = `tax_analysis_items[${i}]`;
      if (item.id === undefined || item.id === null)
        bad(`SageNullFieldException: ${at}.id (the tax code record id) must be provided.`);
      const id = int(item, 'id');
      if (!s.tables.tax_codes.get(id!)) bad(`Tax code with ${at}.id ${id} was not found.`);
      const single = taxBodies.length === 1;
      const goods =
        item.goods_amount === undefined && single
          ? (headGoods ?? 0)
          : toPennies(item.goods_amount, `${at}.goods_amount`);
      const tax =
        item.tax_amount === undefined && single ? (headTax ?? 0) : toPennies(item.tax_amount, `${at}.tax_amount`);
      for (const f of ['discount_amount', 'tax_discount_amount'])
        if (toPennies(item[f], `${at}.${f}`) !== 0) bad(`The ${at}.${f} field is not supported by the simulator.`);
      taxItems.push({ taxCodeId: id!, goods, tax });
    });
  } else {
    taxItems.push({
      taxCodeId: (trader.default_tax_code_id as number) || TAX.standard,
      goods: headGoods ?? 0,
      tax: headTax ?? 0,
    });
  }
  const sumGoods = taxItems.reduce((a, x) => a + x.goods, 0);
  const sumTax = taxItems.reduce((a, x) => a + x.tax, 0);
  const goods = headGoods ?? sumGoods;
  const tax = headTax ?? sumTax;
  if (sumGoods !== goods)
    bad(
      `The tax_analysis_items goods_amount values (${money(sumGoods)}) must add up to the document_goods_value (${money(goods)}).`,
    );
  if (sumTax !== tax)
    bad(
      `The tax_analysis_items tax_amount values (${money(sumTax)}) must add up to the document_tax_value (${money(tax)}).`,
    );
  if (goods <= 0) bad('The document_goods_value field must be greater than zero.');
  if (tax < 0) bad('The document_tax_value field must not be negative.');
  if (taxItems.some((x) => x.goods < 0 || x.tax < 0)) bad('The tax_analysis_items amounts must not be negative.');

  // nominal analysis: goods split over nominal codes
  const nomBodies = arr(body, 'nominal_analysis_items');
  const goodsItems: GoodsItem[] = [];
  if (nomBodies && nomBodies.length > 0) {
    nomBodies.forEach((item, i) => {
      const at = `nominal_analysis_items[${i}]`;
      const nominalId = nominalOf(s, item, at);
      const value = item.value === undefined && nomBodies.length === 1 ? goods : toPennies(item.value, `${at}.value`);
      goodsItems.push({ nominalId, value });
    });
  } else {
    const code = (trader.default_nominal_code_reference as string) || (sales ? '4000' : '5000');
    const id = s.nominalId(
      code,
      (trader.default_nominal_code_cost_centre as string) ?? '',
      (trader.default_nominal_code_department as string) ?? '',
    );
    if (id === undefined) bad(`The account's default nominal code ${code} was not found: send nominal_analysis_items.`);
    goodsItems.push({ nominalId: id, value: goods });
  }
  const sumNominal = goodsItems.reduce((a, x) => a + x.value, 0);
  if (sumNominal !== goods)
    bad(
      `The nominal_analysis_items values (${money(sumNominal)}) must add up to the document_goods_value (${money(goods)}).`,
    );

  const sign = isCredit ? -1 : 1;
  const urn = s.ledger.nextUrn();
  postTraderDocument(s, {
    ledger,
    type: isCredit ? TT.credit : TT.invoice,
    traderId,
    date: d,
    due,
    rate,
    createdMs: now.getTime(),
    text: t,
    user: WEBAPI_USER,
    urn,
    taxItems: taxItems.map((x) => ({ taxCodeId: x.taxCodeId, goods: sign * x.goods, tax: sign * x.tax })),
    goodsItems: goodsItems.map((x) => ({ nominalId: x.nominalId, value: sign * x.value })),
  });
  return { urn: String(urn) };
}

function traderCash(s: BookState, ledger: typeof SALES | typeof PURCHASE, type: number, body: Rec, now: Date): Rec {
  const sales = ledger === SALES;
  const traderField = sales ? 'customer_id' : 'supplier_id';
  const traders = sales ? s.tables.customers : s.tables.suppliers;
  const traderId = ref(body, traderField, traders, sales ? 'Customer' : 'Supplier', { required: true })!;
  const bankId = ref(body, 'bank_id', s.tables.banks, 'Bank', { required: true })!;
  if (body.cheque_value === undefined || body.cheque_value === null) bad('The cheque_value field is required.');
  const amount = toPennies(body.cheque_value, 'cheque_value');
  if (amount <= 0) bad('The cheque_value field must be greater than zero.');
  const trader = traders.get(traderId)!;
  const currencyId = trader.currency_id as number;
  const chequeCurrency = ref(body, 'cheque_currency_id', s.tables.currencies, 'Currency');
  if (chequeCurrency !== undefined && chequeCurrency !== currencyId)
    bad(
      'The cheque_currency_id must be the account currency (cross-currency receipts are not supported by the simulator).',
    );
  const d = transactionDay(s, body, now);
  const rate = exchangeRate(s, body, currencyId, d);
  const charges = arr(body, 'nominal_analysis_items');
  if (charges && charges.length > 0)
    bad('Bank charges (nominal_analysis_items) on receipts and payments are not supported by the simulator.');
  if (toPennies(body.settlement_discount_value, 'settlement_discount_value') !== 0)
    bad('The settlement_discount_value field is not supported by the simulator.');
  const allocations = readAllocationLines(s, ledger, traderId, body, type === TT.receipt ? 1 : -1);
  const total = allocations.reduce((a, x) => a + x.amount, 0);
  if (total > amount) bad(`The allocation_lines values (${money(total)}) exceed the cheque_value (${money(amount)}).`);
  const urn = s.ledger.nextUrn();
  const row = postTraderCash(s, {
    ledger,
    type,
    traderId,
    bankId,
    date: d,
    rate,
    amount,
    createdMs: now.getTime(),
    text: text(body),
    user: WEBAPI_USER,
    urn,
  });
  const ms = now.getTime();
  for (const a of allocations) {
    if (type === TT.receipt) allocate(s, a.row, row, a.amount, d, urn, ms);
    else allocate(s, row, a.row, a.amount, d, urn, ms);
  }
  return { urn: String(urn) };
}

/**
 * Simulator extension (documented): `allocation_lines: [{posted_tran_id, value_to_allocate}]` on a receipt/payment
 * allocates it straight to the named transactions. `want` = +1 to allocate against debit rows (invoices).
 */
function readAllocationLines(
  s: BookState,
  ledger: number,
  traderId: number,
  body: Rec,
  want: 1 | -1,
): { row: number; amount: number }[] {
  const lines = arr(body, 'allocation_lines');
  if (!lines) return [];
  return lines.map((l, i) => {
    const at = `allocation_lines[${i}]`;
    const row = postedRow(s, ledger, traderId, l, at);
    const amount = toPennies(l.value_to_allocate, `${at}.value_to_allocate`);
    if (amount <= 0) bad(`The ${at}.value_to_allocate field must be greater than zero.`);
    const out = s.ledger.outstanding(row) * want;
    if (out <= 0)
      bad(`The transaction ${at}.posted_tran_id ${l.posted_tran_id} has nothing outstanding to allocate against.`);
    if (amount > out)
      bad(`The ${at}.value_to_allocate (${money(amount)}) exceeds the outstanding value (${money(out)}).`);
    return { row, amount };
  });
}

function postedRow(s: BookState, ledger: number, traderId: number, line: Rec, at: string): number {
  const id = int(line, 'posted_tran_id', { required: true })!;
  const rows = s.ledger.rows[ledger];
  if (id < 1 || id > rows.length) bad(`Posted transaction with ${at}.posted_tran_id ${id} was not found.`);
  const row = rows.get(id - 1);
  if (s.ledger.account.get(row) !== traderId)
    bad(`Posted transaction ${id} (${at}) does not belong to this ${ledger === SALES ? 'customer' : 'supplier'}.`);
  return row;
}

/** POST /sales_allocations: lines name posted transactions with signed values that add up to zero */
function salesAllocation(s: BookState, body: Rec, now: Date): Rec {
  const customerId = ref(body, 'customer_id', s.tables.customers, 'Customer', { required: true })!;
  const lines = arr(body, 'allocation_lines', { required: true })!;
  if (lines.length < 2) bad('The allocation_lines field needs at least two lines (a credit and a debit).');
  const d = transactionDay(s, body, now, 'allocation_date');
  const L = s.ledger;
  const parsed = lines.map((l, i) => {
    const at = `allocation_lines[${i}]`;
    const row = postedRow(s, SALES, customerId, l, at);
    if (l.value_to_allocate === undefined || l.value_to_allocate === null)
      bad(`The ${at}.value_to_allocate field is required.`);
    let v = toPennies(l.value_to_allocate, `${at}.value_to_allocate`);
    const out = L.outstanding(row);
    if (v === 0) bad(`The ${at}.value_to_allocate field must not be zero.`);
    // accept values signed like the transaction, or unsigned (the sign then follows the transaction)
    if (Math.sign(v) !== Math.sign(out)) v = -v;
    if (out === 0) bad(`Posted transaction ${l.posted_tran_id} (${at}) is already fully allocated.`);
    if (Math.abs(v) > Math.abs(out))
      bad(
        `The ${at}.value_to_allocate (${money(Math.abs(v))}) exceeds the outstanding value (${money(Math.abs(out))}).`,
      );
    return { row, v, id: l.posted_tran_id };
  });
  const seen = new Set<number>();
  for (const p of parsed) {
    if (seen.has(p.row)) bad(`Posted transaction ${p.id} appears more than once in allocation_lines.`);
    seen.add(p.row);
  }
  const sum = parsed.reduce((a, p) => a + p.v, 0);
  if (sum !== 0) bad(`The allocation does not balance: the debit and credit values differ by ${money(Math.abs(sum))}.`);
  // pair debits with credits in the order given
  const debits = parsed.filter((p) => p.v > 0).map((p) => ({ ...p }));
  const credits = parsed.filter((p) => p.v < 0).map((p) => ({ ...p, v: -p.v }));
  const urn = L.nextUrn();
  const ms = now.getTime();
  let c = 0;
  for (const db of debits) {
    while (db.v > 0) {
      const cr = credits[c];
      const amount = Math.min(db.v, cr.v);
      allocate(s, db.row, cr.row, amount, d, urn, ms);
      db.v -= amount;
      cr.v -= amount;
      if (cr.v === 0) c++;
    }
  }
  return {
    customer_id: customerId,
    allocation_date: sageDate(d),
    allocation_lines: parsed.map((p) => ({ posted_tran_id: p.id, value_to_allocate: money(p.v) })),
  };
}

function bankEntry(s: BookState, receipt: boolean, body: Rec, now: Date): Rec {
  const bankId = ref(body, 'bank_id', s.tables.banks, 'Bank', { required: true })!;
  const d = transactionDay(s, body, now);
  const items = arr(body, 'nominal_analysis_items', { required: true })!;
  if (items.length === 0) bad('The nominal_analysis_items field needs at least one item.');
  const built: BankItem[] = items.map((item, i) => {
    const at = `nominal_analysis_items[${i}]`;
    const nominalId = nominalOf(s, item, at);
    const taxCodeId = ref(item, 'tax_code_id', s.tables.tax_codes, 'Tax code') ?? TAX.outside;
    const tax = toPennies(item.tax_value, `${at}.tax_value`);
    let goods = toPennies(item.goods_value, `${at}.goods_value`);
    const grossGiven = item.gross_value !== undefined && item.gross_value !== null;
    const gross = toPennies(item.gross_value, `${at}.gross_value`);
    if (item.goods_value === undefined && grossGiven) goods = gross - tax;
    if (grossGiven && goods + tax !== gross)
      bad(`The ${at}.gross_value (${money(gross)}) must equal goods_value plus tax_value (${money(goods + tax)}).`);
    if (goods <= 0) bad(`The ${at}.goods_value field must be greater than zero.`);
    if (tax < 0) bad(`The ${at}.tax_value field must not be negative.`);
    return { nominalId, taxCodeId, goods, tax };
  });
  const total = built.reduce((a, x) => a + x.goods + x.tax, 0);
  if (body.cheque_value !== undefined && body.cheque_value !== null) {
    const cheque = toPennies(body.cheque_value, 'cheque_value');
    if (cheque !== total)
      bad(
        `The nominal_analysis_items gross values (${money(total)}) must add up to the cheque_value (${money(cheque)}).`,
      );
  }
  const urn = s.ledger.nextUrn();
  postBankEntry(s, {
    bankId,
    receipt,
    date: d,
    createdMs: now.getTime(),
    text: text(body),
    user: WEBAPI_USER,
    urn,
    items: built,
  });
  return { urn: String(urn) };
}

function bankTransfer(s: BookState, body: Rec, now: Date): Rec {
  const fromId = ref(body, 'bank_from_id', s.tables.banks, 'Bank', { required: true })!;
  const toId = ref(body, 'bank_to_id', s.tables.banks, 'Bank', { required: true })!;
  if (fromId === toId) bad('The bank_from_id and bank_to_id must be different bank accounts.');
  if (body.payment_value === undefined || body.payment_value === null) bad('The payment_value field is required.');
  const amount = toPennies(body.payment_value, 'payment_value');
  if (amount <= 0) bad('The payment_value field must be greater than zero.');
  if (body.receipt_value !== undefined && toPennies(body.receipt_value, 'receipt_value') !== amount)
    bad('The receipt_value must equal the payment_value between base-currency bank accounts.');
  const d = transactionDay(s, body, now);
  const t = text(body);
  postTransfer(s, {
    fromId,
    toId,
    date: d,
    amount,
    createdMs: now.getTime(),
    text: t,
    user: WEBAPI_USER,
    urn: s.ledger.nextUrn(),
  });
  return {
    bank_from_id: fromId,
    bank_to_id: toId,
    narrative: t.narrative,
    reference: t.reference,
    second_reference: t.second_reference,
    transaction_date: sageDate(d),
    payment_value: money(amount),
    receipt_value: money(amount),
    exchange_rate: 1,
  };
}
