import { Decimal } from 'decimal.js';
import { api } from '../../api/client.ts';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { EmptyState, Spinner } from '../../ui/Misc.tsx';

// Aged debtors / creditors (Codat AgedDebtorReport / AgedCreditorReport): one row per party and currency, one
// column per ageing bucket, totals summed exactly.

interface Bucket {
  fromDate: string;
  toDate: string;
  amount: number;
}
interface AgedRow {
  customerName?: string;
  supplierName?: string;
  customerId?: string;
  supplierId?: string;
  agedCurrencyOutstanding: { currency: string; agedOutstandingAmounts: Bucket[] }[];
}
interface Aged {
  reportDate: string;
  data: AgedRow[];
}

export type AgedKind = 'agedDebtor' | 'agedCreditor';
const PERIOD_DAYS = 30;

export function AgedReport({
  companyId,
  kind,
  onError,
}: {
  companyId: string;
  kind: AgedKind;
  onError: (e: unknown) => React.ReactNode;
}) {
  // Codat's defaults: as at today, four 30-day buckets (the last one open-ended).
  const reportDate = new Date().toISOString().slice(0, 10);
  const res = useLoad(
    (signal) =>
      api<Aged>(`/companies/${companyId}/reports/${kind}`, {
        signal,
        query: { reportDate, periodLengthDays: PERIOD_DAYS, numberOfPeriods: 4 },
      }),
    [companyId, kind, reportDate],
  );
  if (res.loading && !res.data) return <Spinner label="Loading the aged report" />;
  if (res.error) return <>{onError(res.error)}</>;
  const r = res.data;
  if (!r) return null;
  const rows = r.data.flatMap((p) =>
    p.agedCurrencyOutstanding.map((c) => ({
      key: `${p.customerId ?? p.supplierId}-${c.currency}`,
      name: p.customerName ?? p.supplierName ?? p.customerId ?? p.supplierId ?? '',
      currency: c.currency,
      buckets: c.agedOutstandingAmounts,
    })),
  );
  if (rows.length === 0) return <EmptyState title="Nothing outstanding" />;
  // Columns by age in days (as accountants read them); the exact dates are in each heading's tooltip.
  const n = rows[0].buckets.length;
  const columns = rows[0].buckets.map((_, i) =>
    i === n - 1 ? `${i * PERIOD_DAYS}+ days` : `${i * PERIOD_DAYS}–${(i + 1) * PERIOD_DAYS - 1} days`,
  );
  const columnDates = rows[0].buckets.map((b) => `${formatDate(b.fromDate)} – ${formatDate(b.toDate)}`);
  const currencies = [...new Set(rows.map((x) => x.currency))].sort();
  const totals = currencies.map((cur) => {
    const mine = rows.filter((x) => x.currency === cur);
    const perBucket = columns.map((_, i) => mine.reduce((s, x) => s.plus(x.buckets[i]?.amount ?? 0), new Decimal(0)));
    return { cur, perBucket, all: perBucket.reduce((s, d) => s.plus(d), new Decimal(0)) };
  });
  const rowTotal = (b: Bucket[]) => b.reduce((s, x) => s.plus(x.amount), new Decimal(0)).toNumber();
  return (
    <>
      <p className="muted small">As at {formatDate(r.reportDate)}. Buckets by age of the document date.</p>
      <div className="table-wrap">
        <table className="statement" data-testid={`report-${kind}`}>
          <thead>
            <tr>
              <th scope="col">{kind === 'agedDebtor' ? 'Customer' : 'Supplier'}</th>
              {columns.map((c, i) => (
                <th key={c} scope="col" className="num" title={columnDates[i]}>
                  {c}
                </th>
              ))}
              <th scope="col" className="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.key}>
                <td>{x.name}</td>
                {x.buckets.map((b) => (
                  <td key={b.fromDate} className="num">
                    {b.amount ? formatMoney(b.amount, x.currency) : '—'}
                  </td>
                ))}
                <td className="num">{formatMoney(rowTotal(x.buckets), x.currency)}</td>
              </tr>
            ))}
            {totals.map((t) => (
              <tr key={t.cur} className="total">
                <td>Total {t.cur}</td>
                {t.perBucket.map((d, i) => (
                  <td key={columns[i]} className="num">
                    {formatMoney(d.toNumber(), t.cur)}
                  </td>
                ))}
                <td className="num">{formatMoney(t.all.toNumber(), t.cur)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
