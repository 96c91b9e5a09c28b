import type { ProfitAndLossReport } from '../../api/types.ts';
import { formatAmount, formatMonth, toNumber } from '../../lib/format.ts';

// Hand-rolled SVG: revenue and expenses as paired bars per month, net profit as a line. Data comes from
// profitAndLoss with periodLength=1; expenses = cost of sales + expenses + other expenses as reported.

const W = 760;
const H = 260;
const PAD = { l: 64, r: 12, t: 12, b: 36 };

const val = (line: { value: number | string } | undefined) => {
  const n = toNumber(line?.value);
  return Number.isFinite(n) ? n : 0;
};

export function monthlySeries(reports: ProfitAndLossReport[]) {
  return [...reports]
    .sort((a, b) => String(a.fromDate).localeCompare(String(b.fromDate)))
    .map((r) => ({
      month: r.fromDate,
      revenue: val(r.income) + val(r.otherIncome),
      expenses: val(r.costOfSales) + val(r.expenses) + val(r.otherExpenses),
      net: toNumber(r.netProfit),
    }));
}

/** The smallest round step x 10^k at or above n, so the axis ends close to the data. */
function niceMax(n: number) {
  if (n <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  const step = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * p >= n) ?? 10;
  return step * p;
}

export function RevenueChart({ reports, currency }: { reports: ProfitAndLossReport[]; currency?: string }) {
  const data = monthlySeries(reports);
  if (data.length === 0) return <p className="muted">No months to chart yet.</p>;
  const hi = niceMax(Math.max(...data.flatMap((d) => [d.revenue, d.expenses, d.net]), 0));
  const lo = Math.min(0, ...data.map((d) => d.net));
  const loNice = lo < 0 ? -niceMax(-lo) : 0;
  const y = (v: number) => PAD.t + ((hi - v) / (hi - loNice)) * (H - PAD.t - PAD.b);
  const slot = (W - PAD.l - PAD.r) / data.length;
  const bw = Math.max(3, Math.min(18, slot / 3));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => loNice + f * (hi - loNice));
  const netPath = data
    .map(
      (d, i) =>
        `${i ? 'L' : 'M'}${(PAD.l + slot * i + slot / 2).toFixed(1)},${y(Number.isFinite(d.net) ? d.net : 0).toFixed(1)}`,
    )
    .join(' ');
  const summary = data
    .map((d) => `${formatMonth(d.month)}: revenue ${formatAmount(d.revenue)}, expenses ${formatAmount(d.expenses)}`)
    .join('; ');
  return (
    <figure className="chart" style={{ margin: 0 }}>
      <div className="chart-legend" aria-hidden="true">
        <span style={{ ['--swatch' as string]: 'var(--c-chart-income)' }}>Revenue</span>
        <span style={{ ['--swatch' as string]: 'var(--c-chart-expense)' }}>Expenses</span>
        <span style={{ ['--swatch' as string]: 'var(--c-chart-profit)' }}>Net profit</span>
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Monthly revenue and expenses${currency ? ` in ${currency}` : ''}. ${summary}`}
      >
        {ticks.map((t) => (
          <g key={t}>
            <line
              x1={PAD.l}
              x2={W - PAD.r}
              y1={y(t)}
              y2={y(t)}
              stroke="var(--c-border)"
              strokeDasharray={t === 0 ? undefined : '3 3'}
            />
            <text x={PAD.l - 8} y={y(t) + 4} textAnchor="end" fontSize="11" fill="var(--c-muted)">
              {Math.abs(t) >= 1000
                ? `${(t / 1000).toLocaleString('en-GB', { maximumFractionDigits: 0 })}k`
                : t.toFixed(0)}
            </text>
          </g>
        ))}
        {data.map((d, i) => {
          const x = PAD.l + slot * i + slot / 2;
          return (
            <g key={d.month}>
              <rect
                x={x - bw - 1}
                y={y(Math.max(d.revenue, 0))}
                width={bw}
                height={Math.abs(y(0) - y(d.revenue))}
                fill="var(--c-chart-income)"
                rx="2"
              >
                <title>{`${formatMonth(d.month)} revenue ${formatAmount(d.revenue)}`}</title>
              </rect>
              <rect
                x={x + 1}
                y={y(Math.max(d.expenses, 0))}
                width={bw}
                height={Math.abs(y(0) - y(d.expenses))}
                fill="var(--c-chart-expense)"
                rx="2"
              >
                <title>{`${formatMonth(d.month)} expenses ${formatAmount(d.expenses)}`}</title>
              </rect>
              <text x={x} y={H - PAD.b + 16} textAnchor="middle" fontSize="11" fill="var(--c-muted)">
                {formatMonth(d.month).replace(' 20', " '")}
              </text>
            </g>
          );
        })}
        <path d={netPath} fill="none" stroke="var(--c-chart-profit)" strokeWidth="2" />
        {data.map((d, i) => (
          <circle
            key={d.month}
            cx={PAD.l + slot * i + slot / 2}
            cy={y(Number.isFinite(d.net) ? d.net : 0)}
            r="3"
            fill="var(--c-chart-profit)"
          >
            <title>{`${formatMonth(d.month)} net profit ${formatAmount(d.net)}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
