import { useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { BalanceSheetReport, ProfitAndLossReport, Statement } from '../../api/types.ts';
import { formatAmount, formatDate, formatMonth } from '../../lib/format.ts';
import { buildStatement, type StatementRow } from '../../lib/statements.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Callout, ErrorCallout, Spinner, Tabs } from '../../ui/Misc.tsx';
import { type AgedKind, AgedReport } from './AgedReport.tsx';
import { RevenueChart } from './RevenueChart.tsx';

type Kind = 'profitAndLoss' | 'balanceSheet' | AgedKind;

const TITLES: Record<Kind, string> = {
  profitAndLoss: 'Profit and loss',
  balanceSheet: 'Balance sheet',
  agedDebtor: 'Aged debtors',
  agedCreditor: 'Aged creditors',
};

export function Financials({ companyId }: { companyId: string }) {
  const [kind, setKind] = useState<Kind>('profitAndLoss');
  const aged = kind === 'agedDebtor' || kind === 'agedCreditor';
  const [periodLength, setPeriodLength] = useState(1);
  const [periods, setPeriods] = useState(12);
  const pl = useLoad(
    (signal) =>
      api<Statement<ProfitAndLossReport>>(`/companies/${companyId}/data/financials/profitAndLoss`, {
        signal,
        query: { periodLength: 1, periodsToCompare: 12 },
      }),
    [companyId],
  );
  const report = useLoad(
    (signal) =>
      kind === 'agedDebtor' || kind === 'agedCreditor'
        ? Promise.resolve(undefined)
        : api<Statement<BalanceSheetReport | ProfitAndLossReport>>(`/companies/${companyId}/data/financials/${kind}`, {
            signal,
            query: { periodLength, periodsToCompare: periods },
          }),
    [companyId, kind, periodLength, periods],
  );

  return (
    <div className="stack">
      <section className="card" aria-labelledby="chart-heading">
        <div className="card-header">
          <h2 id="chart-heading">Monthly revenue and expenses</h2>
          {pl.data?.currency ? <span className="muted small">{pl.data.currency}</span> : null}
        </div>
        {pl.loading && !pl.data ? <Spinner label="Loading profit and loss" /> : null}
        <NotSynced error={pl.error} what="Profit and loss" />
        {pl.data ? <RevenueChart reports={pl.data.reports} currency={pl.data.currency} /> : null}
      </section>
      <section className="card" aria-labelledby="statement-heading">
        <div className="card-header">
          <h2 id="statement-heading">{TITLES[kind]}</h2>
          {aged ? null : (
            <div className="row">
              <label className="label" htmlFor="period-length">
                Period
              </label>
              <select
                id="period-length"
                style={{ width: 'auto' }}
                value={periodLength}
                onChange={(e) => setPeriodLength(Number(e.target.value))}
              >
                <option value={1}>Month</option>
                <option value={3}>Quarter</option>
                <option value={12}>Year</option>
              </select>
              <label className="label" htmlFor="periods">
                Periods
              </label>
              <select
                id="periods"
                style={{ width: 'auto' }}
                value={periods}
                onChange={(e) => setPeriods(Number(e.target.value))}
              >
                {[3, 6, 12].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        <Tabs
          label="Statement"
          value={kind}
          onChange={setKind}
          tabs={[
            { id: 'profitAndLoss', label: 'Profit and loss' },
            { id: 'balanceSheet', label: 'Balance sheet' },
            { id: 'agedDebtor', label: 'Aged debtors' },
            { id: 'agedCreditor', label: 'Aged creditors' },
          ]}
        />
        {aged ? (
          <AgedReport companyId={companyId} kind={kind} onError={(e) => <NotSynced error={e} what={TITLES[kind]} />} />
        ) : (
          <>
            {report.loading && !report.data ? <Spinner label="Loading statement" /> : null}
            <NotSynced error={report.error} what={TITLES[kind]} />
            {report.data ? <StatementTable kind={kind} statement={report.data} /> : null}
          </>
        )}
      </section>
    </div>
  );
}

function NotSynced({ error, what }: { error: unknown; what: string }) {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 409)
    return (
      <Callout tone="warning" title={`${what} is not available yet`}>
        <p>{error.message}</p>
        <p className="small">It appears after the first successful sync of this report (Overview → Sync now).</p>
      </Callout>
    );
  return <ErrorCallout error={error} title={`Could not load ${what.toLowerCase()}`} />;
}

const BS_PARTS = [
  { field: 'assets', label: 'Assets', kind: 'tree' },
  { field: 'liabilities', label: 'Liabilities', kind: 'tree' },
  { field: 'netAssets', label: 'Net assets', kind: 'figure' },
  { field: 'equity', label: 'Equity', kind: 'tree' },
] as const;
const PL_PARTS = [
  { field: 'income', label: 'Income', kind: 'tree' },
  { field: 'costOfSales', label: 'Cost of sales', kind: 'tree' },
  { field: 'grossProfit', label: 'Gross profit', kind: 'figure' },
  { field: 'expenses', label: 'Expenses', kind: 'tree' },
  { field: 'netOperatingProfit', label: 'Net operating profit', kind: 'figure' },
  { field: 'otherIncome', label: 'Other income', kind: 'tree' },
  { field: 'otherExpenses', label: 'Other expenses', kind: 'tree' },
  { field: 'netOtherIncome', label: 'Net other income', kind: 'figure' },
  { field: 'netProfit', label: 'Net profit', kind: 'figure' },
] as const;

function StatementTable({
  kind,
  statement,
}: {
  kind: Kind;
  statement: Statement<BalanceSheetReport | ProfitAndLossReport>;
}) {
  const reports = statement.reports ?? [];
  if (reports.length === 0) return <p className="muted">No periods in this report.</p>;
  const rows: StatementRow[] =
    kind === 'balanceSheet'
      ? buildStatement(reports as BalanceSheetReport[], [...BS_PARTS])
      : buildStatement(reports as ProfitAndLossReport[], [...PL_PARTS]);
  const heading = (r: BalanceSheetReport | ProfitAndLossReport) => {
    if ('date' in r && r.date) return formatDate(r.date);
    const p = r as ProfitAndLossReport;
    const [from, to] = [formatMonth(p.fromDate), formatMonth(p.toDate)];
    return from === to ? from : `${from} – ${to}`;
  };

  return (
    <>
      <p className="muted small">
        {statement.currency ? `Currency ${statement.currency}. ` : ''}
        {statement.reportBasis ? `Basis: ${statement.reportBasis}. ` : ''}
        {statement.earliestAvailableMonth
          ? `Available ${formatMonth(statement.earliestAvailableMonth)} – ${formatMonth(statement.mostRecentAvailableMonth)}.`
          : ''}
      </p>
      <div className="table-wrap">
        <table className="statement" data-testid={`statement-${kind}`}>
          <caption className="sr-only">{kind === 'balanceSheet' ? 'Balance sheet' : 'Profit and loss'}</caption>
          <thead>
            <tr>
              <th scope="col">Account</th>
              {reports.map((r) => (
                <th key={heading(r)} scope="col" className="num">
                  {kind === 'balanceSheet' ? formatDate((r as BalanceSheetReport).date) : heading(r)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className={row.kind === 'line' ? undefined : row.kind}>
                <td className={row.depth ? `indent-${Math.min(row.depth, 3)}` : undefined}>{row.name}</td>
                {reports.map((r, i) => (
                  <td key={heading(r)} className="num">
                    {row.kind === 'section'
                      ? ''
                      : row.values[i] === null || row.values[i] === undefined
                        ? '—'
                        : formatAmount(row.values[i])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
