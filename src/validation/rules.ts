// Data-quality rules. Each has a stable ruleId, a severity and a message that names the figures.
// Tolerance: differences up to `tolerance` (0.01 by default) per document are rounding, not errors.
import { Decimal } from 'decimal.js';
import type { StandardRecord } from '../connectors/connector.ts';
import { pence } from '../model/money.ts';
import type { Rule } from './types.ts';

type Line = { subTotal?: number | null; totalAmount?: number | null; taxAmount?: number | null };
const d = (v: unknown) => new Decimal(typeof v === 'number' && Number.isFinite(v) ? v : 0);
const fmt = (v: Decimal) => v.toFixed(2);
const lines = (r: StandardRecord): Line[] => (Array.isArray(r.lineItems) ? (r.lineItems as Line[]) : []);
const sumOf = (xs: Line[], f: keyof Line) => xs.reduce((s, l) => s.plus(d(l[f])), new Decimal(0));

/** Integer cents of an amount with at most 2 decimal places (absent counts 0, as in `d`), else undefined. */
const cents = (v: unknown): number | undefined => (typeof v === 'number' ? pence(v) : v == null ? 0 : undefined);

/** A number negated; anything else as it is (`cents` refuses it, so the Decimal path decides). */
const neg = (v: unknown) => (typeof v === 'number' ? -v : v);

/**
 * Whether the amounts sum to exactly 0, decided in integer cents: true only when every amount has at most 2
 * decimal places and the sum is 0. Nearly every record passes here, which spares the rules their Decimal
 * arithmetic (a visible cost at a million records); anything else takes the exact Decimal path.
 */
function sumsToZero(amounts: unknown[]): boolean {
  let sum = 0;
  for (const a of amounts) {
    const c = cents(a);
    if (c === undefined) return false;
    sum += c;
  }
  return sum === 0;
}

const DOCS = ['invoices', 'creditNotes', 'bills', 'billCreditNotes'] as const;
const VALIDATOR: Record<string, string> = {
  invoices: 'InvoiceValidator',
  creditNotes: 'CreditNoteValidator',
  bills: 'BillValidator',
  billCreditNotes: 'BillCreditNoteValidator',
  payments: 'PaymentValidator',
  billPayments: 'BillPaymentValidator',
  journalEntries: 'JournalEntryValidator',
  balanceSheet: 'BalanceSheetValidator',
};
const docName = (r: StandardRecord) =>
  'invoiceNumber' in r
    ? "An invoice's"
    : 'creditNoteNumber' in r
      ? "A credit note's"
      : 'billCreditNoteNumber' in r
        ? "A bill credit note's"
        : "A bill's";

function linesTotal(dt: (typeof DOCS)[number]): Rule {
  return {
    ruleId: `${dt}.lineTotalsEqualTotalAmount`,
    severity: 'error',
    dataTypes: [dt],
    validatorName: VALIDATOR[dt],
    description: 'The sum of line totalAmount equals the header totalAmount.',
    check(r, ctx) {
      const ls = lines(r);
      if (ls.length === 0) return null;
      if (sumsToZero([...ls.map((l) => l.totalAmount), neg(r.totalAmount)])) return null;
      const sum = sumOf(ls, 'totalAmount');
      const total = d(r.totalAmount);
      if (sum.minus(total).abs().lte(ctx.tolerance)) return null;
      return `${docName(r)} lines summed (${fmt(sum)}) should be the same as TotalAmount (${fmt(total)}); difference ${fmt(sum.minus(total))}`;
    },
  };
}

function linesSubTotal(dt: (typeof DOCS)[number]): Rule {
  return {
    ruleId: `${dt}.lineSubTotalsEqualSubTotal`,
    severity: 'warning',
    dataTypes: [dt],
    validatorName: VALIDATOR[dt],
    description: 'The sum of line subTotal equals the header subTotal.',
    check(r, ctx) {
      const ls = lines(r);
      if (ls.length === 0 || r.subTotal == null) return null;
      if (sumsToZero([...ls.map((l) => l.subTotal), neg(r.subTotal)])) return null;
      const sum = sumOf(ls, 'subTotal');
      const sub = d(r.subTotal);
      if (sum.minus(sub).abs().lte(ctx.tolerance)) return null;
      return `${docName(r)} lines sub total amount summed (${fmt(sum)}) should be the same as SubTotal (${fmt(sub)}); difference ${fmt(sum.minus(sub))}`;
    },
  };
}

type PayLine = { amount?: number; links?: { type: string; amount?: number | null }[] };

function paymentLines(dt: 'payments' | 'billPayments'): Rule[] {
  const what = dt === 'payments' ? 'payment' : 'bill payment';
  return [
    {
      ruleId: `${dt}.linesSumToTotalAmount`,
      severity: 'error',
      dataTypes: [dt],
      validatorName: VALIDATOR[dt],
      description: 'The sum of line amounts equals the totalAmount.',
      check(r, ctx) {
        const ls = (r.lines as PayLine[] | undefined) ?? [];
        if (ls.length === 0) return null;
        if (sumsToZero([...ls.map((l) => l.amount), neg(r.totalAmount)])) return null;
        const sum = ls.reduce((s, l) => s.plus(d(l.amount)), new Decimal(0));
        const total = d(r.totalAmount);
        if (sum.minus(total).abs().lte(ctx.tolerance)) return null;
        return `A ${what}'s lines summed (${fmt(sum)}) should be the same as TotalAmount (${fmt(total)}); difference ${fmt(sum.minus(total))}`;
      },
    },
    {
      ruleId: `${dt}.linksOffsetLine`,
      severity: 'warning',
      dataTypes: [dt],
      validatorName: VALIDATOR[dt],
      description: 'On a line, line amount + sum of link amounts = 0 (each link reduces the linked balance).',
      check(r, ctx) {
        const out: string[] = [];
        ((r.lines as PayLine[] | undefined) ?? []).forEach((l, i) => {
          if (!l.links?.length) return;
          if (sumsToZero([l.amount, ...l.links.map((k) => k.amount)])) return;
          const links = l.links.reduce((s, k) => s.plus(d(k.amount)), new Decimal(0));
          const diff = d(l.amount).plus(links);
          if (diff.abs().gt(ctx.tolerance))
            out.push(
              `Line ${i + 1} of a ${what}: amount (${fmt(d(l.amount))}) plus its links (${fmt(links)}) should be 0; difference ${fmt(diff)}`,
            );
        });
        return out.length ? out : null;
      },
    },
  ];
}

const CURRENCY_TYPES = [
  'invoices',
  'creditNotes',
  'bills',
  'billCreditNotes',
  'payments',
  'billPayments',
  'chartOfAccounts',
  'bankAccounts',
] as const;

export const RULES: Rule[] = [
  ...DOCS.map(linesTotal),
  ...DOCS.map(linesSubTotal),
  ...paymentLines('payments'),
  ...paymentLines('billPayments'),
  {
    ruleId: 'journalEntries.linesBalance',
    severity: 'error',
    dataTypes: ['journalEntries'],
    validatorName: VALIDATOR.journalEntries,
    description: 'Journal lines net to zero (debits positive, credits negative).',
    check(r, ctx) {
      const ls = (r.journalLines as { netAmount?: number }[] | undefined) ?? [];
      if (sumsToZero(ls.map((l) => l.netAmount))) return null;
      const debits = ls.reduce((s, l) => (d(l.netAmount).gt(0) ? s.plus(d(l.netAmount)) : s), new Decimal(0));
      const credits = ls.reduce((s, l) => (d(l.netAmount).lt(0) ? s.minus(d(l.netAmount)) : s), new Decimal(0));
      const diff = debits.minus(credits);
      if (diff.abs().lte(ctx.tolerance)) return null;
      return `Journal entry does not balance: debits ${fmt(debits)}, credits ${fmt(credits)}, difference ${fmt(diff)}`;
    },
  },
  {
    ruleId: 'balanceSheet.netAssetsEqualsEquity',
    severity: 'error',
    dataTypes: ['balanceSheet'],
    validatorName: VALIDATOR.balanceSheet,
    description: 'Net assets (assets - liabilities) equal equity.',
    check(r, ctx) {
      const equityValue = (r.equity as { value?: number } | undefined)?.value;
      if (sumsToZero([r.netAssets, neg(equityValue)])) return null;
      const net = d(r.netAssets);
      const equity = d((r.equity as { value?: number } | undefined)?.value);
      const diff = net.minus(equity);
      if (diff.abs().lte(ctx.tolerance)) return null;
      return `Balance sheet for ${String(r.id)} does not balance: net assets ${fmt(net)} should equal equity ${fmt(equity)}; difference ${fmt(diff)}`;
    },
  },
  {
    ruleId: 'common.unknownCurrency',
    severity: 'warning',
    dataTypes: [...CURRENCY_TYPES],
    validatorName: 'CurrencyValidator',
    description: 'The source gave no recognisable currency; the record carries XXX.',
    check(r) {
      return r.currency === 'XXX'
        ? `Currency is unknown in the source, so the record's currency is XXX; amounts cannot be converted to the base currency`
        : null;
    },
  },
];
