import { useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { humanize } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Link, navigate } from '../../router.tsx';
import { Button } from '../../ui/Button.tsx';
import { Callout, EmptyState, ErrorCallout, Pager, Spinner } from '../../ui/Misc.tsx';
import { type Column, DATA_TYPES, type DataTypeInfo, findDataType } from './dataTypes.ts';
import { RecordDetail } from './RecordDetail.tsx';

type Row = Record<string, unknown>;
const PAGE_SIZE = 50;

/** Columns that have a value on this page; falls back to the record's own scalar fields. */
function visibleColumns(info: DataTypeInfo, rows: Row[]): Column[] {
  const cols = info.columns.filter((c) => rows.some((r) => c.render(r) !== '—'));
  if (cols.length >= 2 || rows.length === 0) return cols.length ? cols : info.columns;
  const keys = Object.keys(rows[0]).filter((k) => ['string', 'number', 'boolean'].includes(typeof rows[0][k]));
  return keys.slice(0, 6).map((k) => ({ key: k, label: humanize(k), render: (r: Row) => String(r[k] ?? '—') }));
}

export function DataViewer({
  companyId,
  dataType,
  recordId,
}: {
  companyId: string;
  dataType?: string;
  recordId?: string;
}) {
  const info = findDataType(dataType) ?? DATA_TYPES[0];
  return (
    <div className="data-viewer">
      <div className="row" style={{ gap: 'var(--sp-2)', marginBottom: 'var(--sp-4)' }}>
        <label className="label" htmlFor="data-type-select">
          Data type
        </label>
        <select
          id="data-type-select"
          style={{ maxWidth: 260 }}
          value={info.segment}
          onChange={(e) => navigate(`/companies/${companyId}/data/${e.target.value}`)}
        >
          {DATA_TYPES.map((d) => (
            <option key={d.segment} value={d.segment}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      {recordId ? (
        <RecordDetail companyId={companyId} info={info} recordId={recordId} />
      ) : (
        <DataTable key={info.segment} companyId={companyId} info={info} />
      )}
    </div>
  );
}

function DataTable({ companyId, info }: { companyId: string; info: DataTypeInfo }) {
  const [page, setPage] = useState(1);
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const [orderBy, setOrderBy] = useState(info.defaultOrder);
  const list = useLoad(
    (signal) =>
      api<Page<Row>>(`/companies/${companyId}/data/${info.segment}`, {
        signal,
        query: { page, pageSize: PAGE_SIZE, query: query || undefined, orderBy },
      }),
    [companyId, info.segment, page, query, orderBy],
  );
  const rows = list.data?.results ?? [];
  const cols = visibleColumns(info, rows);
  const notSynced = list.error instanceof ApiError && list.error.status === 409;
  const badQuery = list.error instanceof ApiError && list.error.status === 400;

  const sortBy = (key: string) => {
    setPage(1);
    setOrderBy((o) => (o === key ? `-${key}` : key));
  };

  return (
    <section aria-labelledby="data-heading">
      <div className="row row-between" style={{ marginBottom: 'var(--sp-3)' }}>
        <h2 id="data-heading" style={{ margin: 0 }}>
          {info.label}
        </h2>
        <form
          className="row"
          aria-label="Search"
          onSubmit={(e) => {
            e.preventDefault();
            setPage(1);
            const q = draft.trim();
            // Plain words search the main field; anything with an operator is passed as a Codat query.
            setQuery(!q ? '' : /[=<>~]/.test(q) ? q : `${info.searchField}~${q.replace(/[{}&|"]/g, '')}`);
          }}
        >
          <label className="sr-only" htmlFor="data-query">
            Query {info.label}
          </label>
          <input
            id="data-query"
            className="input mono"
            style={{ width: 300 }}
            placeholder="Search, or a query: amountDue>0"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <Button type="submit">Search</Button>
          {query ? (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft('');
                setQuery('');
              }}
            >
              Clear
            </Button>
          ) : null}
        </form>
      </div>
      {notSynced ? (
        <Callout tone="warning" title={`${info.label} have not been synced yet`}>
          <p>Run a sync from the Overview tab (Sync now); the records appear here when it completes.</p>
        </Callout>
      ) : badQuery ? (
        <ErrorCallout error={list.error} title="That query was not understood" />
      ) : (
        <ErrorCallout error={list.error} title={`Could not load ${info.label.toLowerCase()}`} />
      )}
      {list.loading && !list.data ? <Spinner label={`Loading ${info.label.toLowerCase()}`} /> : null}
      {list.data && rows.length === 0 ? (
        <div className="card">
          <EmptyState title={query ? 'No records match this query' : `No ${info.label.toLowerCase()}`} />
        </div>
      ) : null}
      {rows.length > 0 ? (
        <>
          <div className="table-wrap" aria-busy={list.loading}>
            <table data-testid={`table-${info.segment}`}>
              <caption className="sr-only">{info.label}</caption>
              <thead>
                <tr>
                  {cols.map((c) => (
                    <th
                      key={c.key}
                      scope="col"
                      className={c.num ? 'num' : undefined}
                      aria-sort={orderBy === c.key ? 'ascending' : orderBy === `-${c.key}` ? 'descending' : undefined}
                    >
                      <button type="button" className="btn-ghost th-sort" onClick={() => sortBy(c.key)}>
                        {c.label}
                        {orderBy === c.key ? ' ▲' : orderBy === `-${c.key}` ? ' ▼' : ''}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const id = String(r.id ?? '');
                  return (
                    <tr
                      key={id}
                      className="clickable"
                      onClick={() => navigate(`/companies/${companyId}/data/${info.segment}/${encodeURIComponent(id)}`)}
                    >
                      {cols.map((c, i) => (
                        <td key={c.key} className={c.num ? 'num' : undefined}>
                          {i === 0 ? (
                            <Link
                              to={`/companies/${companyId}/data/${info.segment}/${encodeURIComponent(id)}`}
                              onClick={(e) => e.stopPropagation()}
                            >
                              {c.render(r)}
                            </Link>
                          ) : (
                            c.render(r)
                          )}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data?.totalResults ?? 0} onPage={setPage} />
        </>
      ) : null}
    </section>
  );
}
