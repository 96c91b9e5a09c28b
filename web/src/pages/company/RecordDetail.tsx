import { api } from '../../api/client.ts';
import { formatDate, formatMoney, humanize } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Link } from '../../router.tsx';
import { ErrorCallout, Spinner } from '../../ui/Misc.tsx';
import type { DataTypeInfo } from './dataTypes.ts';

type Row = Record<string, unknown>;

function scalar(key: string, v: unknown, currency?: string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number' && /amount|total|balance|value|price|due|credit/i.test(key))
    return formatMoney(v, currency);
  if (typeof v === 'string' && /date$|On$|Date$/.test(key) && /^\d{4}-\d\d-\d\d/.test(v)) return formatDate(v);
  if (typeof v === 'object') {
    const o = v as Row;
    return String(o.name ?? o.companyName ?? o.supplierName ?? o.customerName ?? o.id ?? JSON.stringify(v));
  }
  return String(v);
}

/** One record: its fields, its lines (e.g. Goods Summary / Tax Summary lines on Sage posted invoices) and raw JSON. */
export function RecordDetail({
  companyId,
  info,
  recordId,
}: {
  companyId: string;
  info: DataTypeInfo;
  recordId: string;
}) {
  const rec = useLoad(
    (signal) => api<Row>(`/companies/${companyId}/data/${info.segment}/${encodeURIComponent(recordId)}`, { signal }),
    [companyId, info.segment, recordId],
  );
  const r = rec.data;
  const currency = typeof r?.currency === 'string' ? r.currency : undefined;
  const fields = r
    ? Object.entries(r).filter(
        ([, v]) => !Array.isArray(v) && !(v && typeof v === 'object' && !('id' in (v as Row) || 'name' in (v as Row))),
      )
    : [];
  const lines = (r?.lineItems ?? r?.lines) as Row[] | undefined;
  return (
    <section aria-labelledby="record-heading" className="stack">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to={`/companies/${companyId}/data/${info.segment}`}>{info.label}</Link> / {recordId}
      </nav>
      {rec.loading && !r ? <Spinner label="Loading record" /> : null}
      <ErrorCallout error={rec.error} title="Could not load the record" />
      {r ? (
        <>
          <div className="card">
            <h2 id="record-heading">{scalar('', r[info.columns[0]?.key ?? 'id'] ?? r.id)}</h2>
            <dl className="kv">
              {fields.map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt>{humanize(k)}</dt>
                  <dd>{scalar(k, v, currency)}</dd>
                </div>
              ))}
            </dl>
          </div>
          {Array.isArray(lines) && lines.length > 0 ? (
            <div className="card">
              <h3>Lines</h3>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Description</th>
                      <th scope="col">Account</th>
                      <th scope="col">Tax rate</th>
                      <th scope="col" className="num">
                        Sub total
                      </th>
                      <th scope="col" className="num">
                        Tax
                      </th>
                      <th scope="col" className="num">
                        Total
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {lines.map((l, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id of their own
                      <tr key={i}>
                        <td>{scalar('description', l.description)}</td>
                        <td>{scalar('accountRef', l.accountRef)}</td>
                        <td>{scalar('taxRateRef', l.taxRateRef)}</td>
                        <td className="num">{formatMoney(l.subTotal ?? l.amount, currency)}</td>
                        <td className="num">{formatMoney(l.taxAmount, currency)}</td>
                        <td className="num">{formatMoney(l.totalAmount ?? l.amount, currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          ) : null}
          <details className="card">
            <summary>Raw record (JSON)</summary>
            <pre className="json">{JSON.stringify(r, null, 2)}</pre>
          </details>
        </>
      ) : null}
    </section>
  );
}
