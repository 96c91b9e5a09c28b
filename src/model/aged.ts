// Aged debtor / aged creditor reports computed from standard records (Codat AgedDebtorReport / AgedCreditorReport).
// Ageing is by ISSUE date, as Codat documents; documents issued on or after reportDate are left out.
import { Decimal } from 'decimal.js';

interface DocLike {
  id: string;
  issueDate: string;
  currency: string;
}
export interface AgedInputs {
  /** invoices (debtor) or bills (creditor): outstanding = amountDue */
  documents: (DocLike & { amountDue?: number | null; customerRef?: PartyRef; supplierRef?: PartyRef })[];
  /** credit notes / bill credit notes: outstanding = -remainingCredit */
  credits: (DocLike & { remainingCredit?: number | null; customerRef?: PartyRef; supplierRef?: PartyRef })[];
  /** payments / bill payments: unallocated parts (PaymentOnAccount links) reduce what is owed */
  payments: {
    id: string;
    date: string;
    currency: string;
    customerRef?: PartyRef | null;
    supplierRef?: PartyRef | null;
    lines: { amount: number; links: { type: string; amount: number | null }[] }[];
  }[];
  /** optional names by party id (customers or suppliers) */
  names?: Map<string, string>;
}
interface PartyRef {
  id: string;
  companyName?: string | null;
  supplierName?: string | null;
}

export interface AgedOptions {
  /** ISO date; the report covers documents issued before it (default: today, so today's documents are left out) */
  reportDate?: string;
  periodLengthDays?: number;
  numberOfPeriods?: number;
  /** generation stamp; defaults to now */
  generated?: string;
}

interface Bucket {
  fromDate: string;
  toDate: string;
  amount: number;
  details: { name: string; amount: number }[];
}

const DAY = 86_400_000;
const iso = (t: number) => `${new Date(t).toISOString().slice(0, 10)}T00:00:00Z`;

export function agedReport(kind: 'agedDebtor' | 'agedCreditor', inputs: AgedInputs, options: AgedOptions) {
  const len = options.periodLengthDays ?? 30;
  const n = options.numberOfPeriods ?? 4;
  if (len < 1 || n < 1) throw new RangeError('periodLengthDays and numberOfPeriods must be >= 1');
  const reportDay = (options.reportDate ?? new Date().toISOString()).slice(0, 10);
  const report = Date.parse(`${reportDay}T00:00:00Z`);
  if (Number.isNaN(report)) throw new RangeError(`reportDate ${JSON.stringify(options.reportDate)} is not a date`);
  const debtor = kind === 'agedDebtor';
  const party = (r: { customerRef?: PartyRef | null; supplierRef?: PartyRef | null }) =>
    debtor ? r.customerRef : r.supplierRef;

  // party -> currency -> bucket index -> detail name -> Decimal
  const acc = new Map<string, { name: string; cur: Map<string, Map<number, Map<string, Decimal>>> }>();
  let earliest = report;
  const add = (ref: PartyRef | null | undefined, date: string, currency: string, detail: string, amount: Decimal) => {
    if (!ref || amount.isZero()) return;
    const t = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
    if (!(t < report)) return;
    earliest = Math.min(earliest, t);
    const age = Math.floor((report - t - 1) / DAY); // 0 = the day before reportDate
    const bucket = Math.min(Math.floor(age / len), n - 1);
    const name = inputs.names?.get(ref.id) ?? (debtor ? ref.companyName : ref.supplierName) ?? ref.id;
    const p = acc.get(ref.id) ?? { name, cur: new Map() };
    acc.set(ref.id, p);
    const c = p.cur.get(currency) ?? new Map<number, Map<string, Decimal>>();
    p.cur.set(currency, c);
    const b = c.get(bucket) ?? new Map<string, Decimal>();
    c.set(bucket, b);
    b.set(detail, (b.get(detail) ?? new Decimal(0)).plus(amount));
  };
  for (const d of inputs.documents)
    add(party(d), d.issueDate, d.currency, debtor ? 'Invoices' : 'Bills', new Decimal(d.amountDue ?? 0));
  for (const c of inputs.credits)
    add(party(c), c.issueDate, c.currency, 'CreditNotes', new Decimal(c.remainingCredit ?? 0).neg());
  for (const p of inputs.payments) {
    let unallocated = new Decimal(0);
    for (const l of p.lines)
      for (const k of l.links) if (k.type === 'PaymentOnAccount') unallocated = unallocated.plus(k.amount ?? 0);
    // PaymentOnAccount link amounts are negative (they reduce what the party owes)
    add(party(p), p.date, p.currency, 'Payments', unallocated);
  }

  const bucketDates = (i: number) => {
    const to = report - DAY - i * len * DAY;
    const from = i === n - 1 ? Math.min(earliest, to - (len - 1) * DAY) : to - (len - 1) * DAY;
    return { fromDate: iso(from), toDate: iso(to) };
  };
  const data = [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, p]) => ({
      [debtor ? 'customerId' : 'supplierId']: id,
      [debtor ? 'customerName' : 'supplierName']: p.name,
      agedCurrencyOutstanding: [...p.cur.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, buckets]) => ({
          currency,
          agedOutstandingAmounts: Array.from({ length: n }, (_, i): Bucket => {
            const details = [...(buckets.get(i)?.entries() ?? [])].map(([name, amount]) => ({
              name,
              amount: amount.toDecimalPlaces(2).toNumber(),
            }));
            const amount = details.reduce((s, d) => s.plus(d.amount), new Decimal(0)).toNumber();
            return { ...bucketDates(i), amount, details };
          }),
        })),
    }));
  return { generated: options.generated ?? new Date().toISOString(), reportDate: iso(report), data };
}

/** Total outstanding of an aged report, per currency (for reconciliation). */
export function agedTotals(report: ReturnType<typeof agedReport>): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const row of report.data)
    for (const c of row.agedCurrencyOutstanding as { currency: string; agedOutstandingAmounts: Bucket[] }[])
      for (const b of c.agedOutstandingAmounts)
        out.set(c.currency, (out.get(c.currency) ?? new Decimal(0)).plus(b.amount));
  return out;
}
