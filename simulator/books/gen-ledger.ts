// Generated history: opening balances, then day by day invoices, credit notes, receipts and payments with
// full/partial allocations, cash-book entries, transfers, depreciation and quarterly VAT, up to `asOf`.
import { SANDBOX_IMBALANCE } from '../demo.ts';
import { SPLITS, TAX } from './chart.ts';
import { dayFromYmd, dayMs, monthOfDay, weekday, yearOfDay } from './dates.ts';
import type { Masters, TraderMeta } from './gen-masters.ts';
import { SUPPLIER_KINDS } from './gen-masters.ts';
import { PURCHASE, SALES, TT } from './ledger.ts';
import { taxOn, toPennies } from './money.ts';
import {
  allocate,
  type BankItem,
  type GoodsItem,
  postBankEntry,
  postJournal,
  postTraderCash,
  postTraderDocument,
  postTransfer,
  type TaxItem,
} from './postings.ts';
import { refNumber } from './refs.ts';
import type { Rng } from './rng.ts';
import type { BookState } from './state.ts';

type Ev =
  | { k: 'cash'; ledger: typeof SALES | typeof PURCHASE; row: number; amount: number }
  | { k: 'credit'; ledger: typeof SALES | typeof PURCHASE; row: number; fraction: number };

const CURRENT = 1;
const DEPOSIT = 2;
const PETTY = 3;
const USER = { manager: 0, accounts: 1, credit: 2, purchasing: 3 };

export function generateLedger(s: BookState, rng: Rng, scale: number, m: Masters): void {
  const L = s.ledger;
  const cal = s.calendar;
  const events = new Map<number, Ev[]>();
  const counters = new Map<string, number>();
  const nextRef = (key: string) => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return refNumber(key, n);
  };
  const schedule = (day: number, ev: Ev) => {
    if (day > s.asOfDay) return;
    let list = events.get(day);
    if (!list) {
      list = [];
      events.set(day, list);
    }
    list.push(ev);
  };
  const at = (day: number) => dayMs(day) + rng.int(8 * 60, 18 * 60 - 1) * 60_000 + rng.int(0, 59_999);
  const rateOf = (id: number) => s.tables.tax_codes.get(id)!.tax_rate as number;
  const splitAcct = (ref: string) => {
    const [cc, dept] = rng.pick(SPLITS);
    return s.acct(ref, cc, dept);
  };
  const pickTrader = (list: TraderMeta[]) => list[Math.floor(list.length * rng.next() ** 1.6)];

  // --- opening balances (first day of the first year) ---
  const d0 = cal.firstDay;
  const suspense = s.acct('9998');
  for (const c of m.customers) {
    if (!rng.chance(0.15) || c.currencyId !== s.baseCurrencyId) continue;
    const goods = rng.amount(200, 8000);
    const row = postTraderDocument(s, {
      ledger: SALES,
      type: TT.obInvoice,
      traderId: c.id,
      date: d0,
      due: d0 + c.terms,
      rate: 1,
      createdMs: at(d0),
      text: nextRef('s-ob'),
      user: USER.manager,
      urn: L.nextUrn(),
      taxItems: [{ taxCodeId: TAX.outside, goods, tax: 0 }],
      goodsItems: [{ nominalId: suspense, value: goods }],
    });
    schedule(d0 + rng.int(10, 60), { k: 'cash', ledger: SALES, row, amount: goods });
  }
  for (const sup of m.suppliers) {
    if (!rng.chance(0.2) || sup.currencyId !== s.baseCurrencyId) continue;
    const goods = rng.amount(150, 6000);
    const row = postTraderDocument(s, {
      ledger: PURCHASE,
      type: TT.obInvoice,
      traderId: sup.id,
      date: d0,
      due: d0 + sup.terms,
      rate: 1,
      createdMs: at(d0),
      text: nextRef('p-ob'),
      user: USER.manager,
      urn: L.nextUrn(),
      taxItems: [{ taxCodeId: TAX.outside, goods, tax: 0 }],
      goodsItems: [{ nominalId: suspense, value: goods }],
    });
    schedule(d0 + rng.int(10, 45), { k: 'cash', ledger: PURCHASE, row, amount: goods });
  }
  const k = (pounds: number) => Math.round(pounds * scale) * 100;
  postBankEntry(s, {
    bankId: CURRENT,
    receipt: true,
    date: d0,
    createdMs: at(d0),
    text: { reference: 'O/BAL', second_reference: '', narrative: 'Opening balance' },
    user: USER.manager,
    urn: L.nextUrn(),
    items: [{ nominalId: suspense, taxCodeId: TAX.outside, goods: k(180_000), tax: 0 }],
  });
  const suspenseNow = L.balances.net(suspense, 0);
  const lines: GoodsItem[] = [
    { nominalId: s.acct('0020'), value: k(185_000) },
    { nominalId: s.acct('0021'), value: -k(42_000) },
    { nominalId: s.acct('0030'), value: k(24_000) },
    { nominalId: s.acct('0031'), value: -k(9_500) },
    { nominalId: s.acct('0050'), value: k(64_000) },
    { nominalId: s.acct('0051'), value: -k(21_000) },
    { nominalId: s.acct('1001'), value: k(58_000) },
    { nominalId: s.acct('2300'), value: -k(90_000) },
    { nominalId: s.acct('3000'), value: -k(100_000) },
    { nominalId: suspense, value: -suspenseNow },
  ];
  lines.push({ nominalId: s.acct('3200'), value: -lines.reduce((a, l) => a + l.value, 0) });
  postJournal(s, {
    date: d0,
    createdMs: at(d0),
    text: { reference: 'O/BAL', second_reference: '', narrative: 'Opening balances' },
    user: USER.manager,
    urn: L.nextUrn(),
    lines,
  });
  if (s.company.profile === 'sandbox') {
    // deliberately one-sided: the sandbox balance sheet is off by exactly SANDBOX_IMBALANCE (see docs)
    postJournal(s, {
      date: d0,
      createdMs: at(d0),
      text: { reference: 'O/BAL-ADJ', second_reference: '', narrative: 'Opening balance adjustment (unbalanced)' },
      user: USER.manager,
      urn: L.nextUrn(),
      lines: [{ nominalId: suspense, value: toPennies(SANDBOX_IMBALANCE, 'imbalance') }],
    });
  }

  // --- document builders ---
  const salesInvoice = (day: number) => {
    const c = pickTrader(m.customers);
    const rate = s.rate(c.currencyId, day);
    const domestic = c.currencyId === s.baseCurrencyId;
    const taxItems: TaxItem[] = [];
    const goodsItems: GoodsItem[] = [];
    const sop = rng.chance(0.3);
    const row0 = L.size;
    const lineBuf: [number, number, number, number, number, number][] = [];
    if (sop) {
      const n = rng.int(1, 5);
      const byTax = new Map<number, [number, number]>();
      const acct = splitAcct('4010');
      for (let i = 0; i < n; i++) {
        const p = rng.pick(m.products);
        const qty = rng.int(1, p.price > 50_000 ? 3 : 20);
        const net = qty * p.price;
        const taxCode = domestic ? p.taxCodeId : c.taxCodeId;
        const tax = taxOn(net, rateOf(taxCode));
        const v = byTax.get(taxCode) ?? [0, 0];
        v[0] += net;
        v[1] += tax;
        byTax.set(taxCode, v);
        lineBuf.push([p.id, qty, p.price, net, tax, taxCode]);
      }
      for (const [taxCodeId, [g, t]] of byTax) {
        taxItems.push({ taxCodeId, goods: g, tax: t });
        goodsItems.push({ nominalId: acct, value: g });
      }
    } else {
      const parts = rng.chance(0.15) ? 2 : 1;
      for (let i = 0; i < parts; i++) {
        const taxCodeId = !domestic
          ? c.taxCodeId
          : i === 0
            ? rng.chance(0.9)
              ? TAX.standard
              : rng.pick([TAX.zero, TAX.reduced, TAX.exempt])
            : rng.pick([TAX.zero, TAX.reduced, TAX.exempt]);
        const goods = rng.amount(80, 15000);
        taxItems.push({ taxCodeId, goods, tax: taxOn(goods, rateOf(taxCodeId)) });
        goodsItems.push({
          nominalId: domestic ? splitAcct(rng.chance(0.8) ? '4000' : '4010') : s.acct('4020'),
          value: goods,
        });
      }
    }
    const row = postTraderDocument(s, {
      ledger: SALES,
      type: TT.invoice,
      traderId: c.id,
      date: day,
      due: day + c.terms,
      rate,
      createdMs: at(day),
      text: nextRef('s-inv'),
      user: rng.chance(0.7) ? USER.accounts : USER.manager,
      urn: L.nextUrn(),
      taxItems,
      goodsItems,
    });
    if (row !== row0) throw new Error('unexpected row');
    for (const [p, q, price, net, tax, code] of lineBuf) L.sopLine(row, p, q, price, net, tax, code);
    settle(SALES, row, day, c);
  };

  const purchaseInvoice = (day: number) => {
    const sup = pickTrader(m.suppliers);
    const kind = SUPPLIER_KINDS[sup.kind];
    const rate = s.rate(sup.currencyId, day);
    const taxItems: TaxItem[] = [];
    const goodsItems: GoodsItem[] = [];
    const goods = rng.amount(kind.min, kind.max);
    taxItems.push({ taxCodeId: sup.taxCodeId, goods, tax: taxOn(goods, rateOf(sup.taxCodeId)) });
    goodsItems.push({ nominalId: kind.split ? splitAcct(kind.reference) : s.acct(kind.reference), value: goods });
    if (rng.chance(0.08)) {
      const extra = rng.amount(10, 150);
      taxItems.push({ taxCodeId: TAX.zero, goods: extra, tax: 0 });
      goodsItems.push({ nominalId: s.acct('5100'), value: extra });
    }
    const row = postTraderDocument(s, {
      ledger: PURCHASE,
      type: TT.invoice,
      traderId: sup.id,
      date: day,
      due: day + sup.terms,
      rate,
      createdMs: at(day),
      text: nextRef('p-inv'),
      user: USER.purchasing,
      urn: L.nextUrn(),
      taxItems,
      goodsItems,
    });
    settle(PURCHASE, row, day, sup);
  };

  /** decide how an invoice gets settled: credit note, one or two receipts, or left outstanding */
  const settle = (ledger: typeof SALES | typeof PURCHASE, row: number, day: number, t: TraderMeta) => {
    const gross = L.gross(row);
    if (rng.chance(ledger === SALES ? 0.04 : 0.03)) {
      schedule(day + rng.int(2, 25), {
        k: 'credit',
        ledger,
        row,
        fraction: rng.chance(0.3) ? 1 : rng.int(5, 60) / 100,
      });
    }
    if (!rng.chance(ledger === SALES ? 0.93 : 0.95)) return;
    const delay = Math.round(t.terms * (0.4 + t.slowness * 1.3)) + rng.int(0, 12);
    if (rng.chance(0.08)) {
      const part = Math.round(gross * (rng.int(30, 70) / 100));
      schedule(day + Math.max(3, delay - rng.int(5, 20)), { k: 'cash', ledger, row, amount: part });
      schedule(day + delay + rng.int(10, 40), { k: 'cash', ledger, row, amount: gross });
    } else schedule(day + delay, { k: 'cash', ledger, row, amount: gross });
  };

  const cash = (ev: Extract<Ev, { k: 'cash' }>, day: number) => {
    const out = L.outstanding(ev.row);
    if (out <= 0) return;
    const amount = Math.min(ev.amount, out);
    const ms = Math.max(at(day), L.created.get(ev.row) + 60_000);
    const urn = L.nextUrn();
    const row = postTraderCash(s, {
      ledger: ev.ledger,
      type: TT.receipt,
      traderId: L.account.get(ev.row),
      bankId: CURRENT,
      date: day,
      rate: L.rate.get(ev.row),
      amount,
      createdMs: ms,
      text: nextRef(ev.ledger === SALES ? 's-rec' : 'p-pay'),
      user: ev.ledger === SALES ? USER.credit : USER.accounts,
      urn,
    });
    allocate(s, ev.row, row, amount, day, urn, ms);
  };

  const credit = (ev: Extract<Ev, { k: 'credit' }>, day: number) => {
    const out = L.outstanding(ev.row);
    if (out <= 0) return;
    const t0 = L.taxStart.get(ev.row);
    const taxCodeId = L.tCode.get(t0);
    let goods = Math.round(L.tGoods.get(t0) * ev.fraction);
    let tax = taxOn(goods, rateOf(taxCodeId));
    if (goods + tax > out) {
      goods = Math.floor((out * 100) / (100 + rateOf(taxCodeId)));
      tax = taxOn(goods, rateOf(taxCodeId));
    }
    if (goods <= 0) return;
    const p0 = L.postStart.get(ev.row);
    const ms = Math.max(at(day), L.created.get(ev.row) + 60_000);
    const urn = L.nextUrn();
    const nominalId = L.pAccount.get(p0);
    const row = postTraderDocument(s, {
      ledger: ev.ledger,
      type: TT.credit,
      traderId: L.account.get(ev.row),
      date: day,
      due: day,
      rate: L.rate.get(ev.row),
      createdMs: ms,
      text: nextRef(ev.ledger === SALES ? 's-crn' : 'p-crn'),
      user: USER.accounts,
      urn,
      taxItems: [{ taxCodeId, goods: -goods, tax: -tax }],
      goodsItems: [{ nominalId, value: -goods }],
    });
    allocate(s, ev.row, row, Math.min(goods + tax, out), day, urn, ms);
  };

  const bankEntry = (day: number, bankId: number, receipt: boolean, items: BankItem[], ref: string) =>
    postBankEntry(s, {
      bankId,
      receipt,
      date: day,
      createdMs: at(day),
      text: nextRef(ref),
      user: USER.accounts,
      urn: L.nextUrn(),
      items,
    });
  const standard = (ref: string, goods: number, taxCodeId = TAX.standard): BankItem => ({
    nominalId: s.acct(ref),
    taxCodeId,
    goods,
    tax: taxOn(goods, rateOf(taxCodeId)),
  });

  // --- the day loop ---
  for (let day = d0; day <= s.asOfDay; day++) {
    const wd = weekday(day);
    const month = monthOfDay(day);
    const dom = day - dayFromYmd(yearOfDay(day), month, 1) + 1;
    const growth = 1 + 0.08 * (yearOfDay(day) - cal.firstYear);
    const season = 1 + 0.15 * Math.sin((2 * Math.PI * month) / 12);
    const business = wd >= 1 && wd <= 5;

    for (const ev of events.get(day) ?? []) {
      if (ev.k === 'cash') cash(ev, day);
      else credit(ev, day);
    }
    events.delete(day);

    if (business) {
      for (let i = rng.poisson(7 * scale * growth * season); i > 0; i--) salesInvoice(day);
      for (let i = rng.poisson(4 * scale * growth); i > 0; i--) purchaseInvoice(day);
      // receipts on account: money received before anyone matched it to an invoice
      for (let i = rng.poisson(0.12 * scale); i > 0; i--) {
        const c = pickTrader(m.customers);
        const amount = rng.amount(100, 2500);
        postTraderCash(s, {
          ledger: SALES,
          type: TT.receipt,
          traderId: c.id,
          bankId: CURRENT,
          date: day,
          rate: s.rate(c.currencyId, day),
          amount,
          createdMs: at(day),
          text: nextRef('s-rec'),
          user: USER.credit,
          urn: L.nextUrn(),
        });
      }
      for (let i = rng.poisson(0.04 * scale); i > 0; i--) {
        const sup = pickTrader(m.suppliers);
        postTraderCash(s, {
          ledger: PURCHASE,
          type: TT.receipt,
          traderId: sup.id,
          bankId: CURRENT,
          date: day,
          rate: s.rate(sup.currencyId, day),
          amount: rng.amount(100, 2000),
          createdMs: at(day),
          text: nextRef('p-pay'),
          user: USER.accounts,
          urn: L.nextUrn(),
        });
      }
      for (let i = rng.poisson(0.35 * scale); i > 0; i--) {
        const ref = rng.pick(['6201', '7300', '7400', '7502', '7700', '7800']);
        bankEntry(day, CURRENT, false, [standard(ref, rng.amount(20, 1500), TAX.standard)], 'b-pay');
      }
      for (let i = rng.poisson(0.05 * scale); i > 0; i--) {
        bankEntry(day, CURRENT, true, [standard('4900', rng.amount(50, 3000))], 'b-rec');
      }
      if (wd === 3) {
        for (let i = rng.poisson(1.2 * Math.sqrt(scale)); i > 0; i--)
          bankEntry(
            day,
            PETTY,
            false,
            [standard(rng.pick(['7504', '7300', '7400', '7501']), rng.amount(3, 60))],
            'b-pay',
          );
      }
    }
    if (dom === 2) {
      postTransfer(s, {
        fromId: CURRENT,
        toId: PETTY,
        date: day,
        amount: Math.round(250 * Math.sqrt(scale)) * 100,
        createdMs: at(day),
        text: nextRef('b-trf'),
        user: USER.accounts,
        urn: L.nextUrn(),
      });
    }
    if (dom === 5) bankEntry(day, CURRENT, false, [standard('7901', rng.amount(35, 140), TAX.exempt)], 'b-pay');
    if (dom === 1 && day > d0) {
      const dep = L.bankBalance.get(DEPOSIT) ?? 0;
      const interest = Math.round((dep * 0.035) / 12);
      if (interest > 0) bankEntry(day, DEPOSIT, true, [standard('4910', interest, TAX.exempt)], 'b-rec');
      if ((month - 1) % 3 === 0) bankEntry(day, CURRENT, false, [standard('7100', k(16_500))], 'b-pay');
    }
    if (dom === 15) {
      bankEntry(
        day,
        CURRENT,
        false,
        [standard('2300', k(1_500), TAX.outside), standard('7900', k(310), TAX.exempt)],
        'b-pay',
      );
    }
    if (dom === 28) {
      const items: BankItem[] = [];
      let total = 0;
      for (const [cc, dept] of SPLITS) {
        const g = Math.round(k(26_000) * growth * (0.95 + rng.next() * 0.1));
        total += g;
        items.push({ nominalId: s.acct('7000', cc, dept), taxCodeId: TAX.outside, goods: g, tax: 0 });
      }
      items.push({ nominalId: s.acct('7006'), taxCodeId: TAX.outside, goods: Math.round(total * 0.138), tax: 0 });
      bankEntry(day, CURRENT, false, items, 'b-wages');
      const cur = L.bankBalance.get(CURRENT) ?? 0;
      if (month % 3 === 0 && cur > k(500_000)) {
        postTransfer(s, {
          fromId: CURRENT,
          toId: DEPOSIT,
          date: day,
          amount: Math.round(cur / 200) * 100,
          createdMs: at(day),
          text: nextRef('b-trf'),
          user: USER.manager,
          urn: L.nextUrn(),
        });
      }
    }
    const tomorrow = day + 1;
    if (monthOfDay(tomorrow) !== month) {
      // month end depreciation
      postJournal(s, {
        date: day,
        createdMs: at(day),
        text: { reference: 'DEPN', second_reference: '', narrative: 'Monthly depreciation' },
        user: USER.manager,
        urn: L.nextUrn(),
        lines: [
          { nominalId: s.acct('8000'), value: k(1_900) + k(300) + k(1_000) },
          { nominalId: s.acct('0021'), value: -k(1_900) },
          { nominalId: s.acct('0031'), value: -k(300) },
          { nominalId: s.acct('0051'), value: -k(1_000) },
        ],
      });
    }
    if (dom === 7 && month % 3 === 2) vatReturn(s, day, at(day));
  }

  function vatReturn(st: BookState, day: number, ms: number) {
    const p = cal.periodOf(day);
    const out = st.acct('2200');
    const inp = st.acct('2201');
    const liab = st.acct('2202');
    let o = 0;
    let i = 0;
    for (let q = 0; q < p; q++) {
      o += L.balances.net(out, q);
      i += L.balances.net(inp, q);
    }
    const netDue = -(o + i); // positive: owed to the tax authority
    postJournal(st, {
      date: day,
      createdMs: ms,
      text: { reference: 'VAT', second_reference: '', narrative: 'VAT return transfer' },
      user: USER.manager,
      urn: L.nextUrn(),
      lines: [
        { nominalId: out, value: -o },
        { nominalId: inp, value: -i },
        { nominalId: liab, value: o + i },
      ],
    });
    if (netDue !== 0) {
      postBankEntry(st, {
        bankId: CURRENT,
        receipt: netDue < 0,
        date: day,
        createdMs: ms + 60_000,
        text: nextRef('b-vat'),
        user: USER.manager,
        urn: L.nextUrn(),
        items: [{ nominalId: liab, taxCodeId: TAX.outside, goods: Math.abs(netDue), tax: 0 }],
      });
    }
  }
}
