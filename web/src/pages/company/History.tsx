import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Page, PullOperation, PushOperation } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { StatusBadge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { EmptyState, ErrorCallout, Pager, Spinner } from '../../ui/Misc.tsx';
import { isRunning } from './Overview.tsx';
import { ValidationDialog } from './ValidationDialog.tsx';

const PAGE_SIZE = 50;

/** Read history: every pull operation, newest first; a ValidationError row opens its validation details. */
export function ReadHistory({ companyId }: { companyId: string }) {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<PullOperation | null>(null);
  const list = useLoad(
    (signal) =>
      api<Page<PullOperation>>(`/companies/${companyId}/data/history`, {
        signal,
        query: { page, pageSize: PAGE_SIZE, orderBy: '-requested' },
      }),
    [companyId, page],
  );
  const rows = list.data?.results ?? [];
  const running = rows.some((r) => isRunning(r.status));
  const { reload } = list;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(reload, 2000);
    return () => clearInterval(t);
  }, [running, reload]);
  return (
    <section aria-labelledby="read-history-heading">
      <h2 id="read-history-heading">Read history</h2>
      {list.loading && !list.data ? <Spinner label="Loading read history" /> : null}
      <ErrorCallout error={list.error} title="Could not load the read history" />
      {list.data && rows.length === 0 ? (
        <div className="card">
          <EmptyState title="No syncs yet" />
        </div>
      ) : null}
      {rows.length ? (
        <>
          <div className="table-wrap">
            <table data-testid="read-history">
              <thead>
                <tr>
                  <th scope="col">Data type</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="num">
                    Progress
                  </th>
                  <th scope="col">Requested</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td>{r.dataType}</td>
                    <td>
                      <StatusBadge status={r.status} />
                      {r.status === 'ValidationError' ? (
                        <>
                          {' '}
                          <button type="button" className="btn btn-ghost small" onClick={() => setOpen(r)}>
                            Details
                          </button>
                        </>
                      ) : null}
                    </td>
                    <td className="num">{r.progress ?? 0}%</td>
                    <td className="small">{formatDateTime(r.requested)}</td>
                    <td className="small">{formatDateTime(r.completed)}</td>
                    <td className="small">{r.errorMessage ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data?.totalResults ?? 0} onPage={setPage} />
        </>
      ) : null}
      {open ? (
        <ValidationDialog
          companyId={companyId}
          datasetId={open.id}
          dataType={open.dataType}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </section>
  );
}

/** Push history: every write to Sage, with its status, message and validation details. */
export function PushHistory({ companyId }: { companyId: string }) {
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<PushOperation | null>(null);
  const list = useLoad(
    (signal) =>
      api<Page<PushOperation>>(`/companies/${companyId}/push`, {
        signal,
        query: { page, pageSize: PAGE_SIZE, orderBy: '-requestedOnUtc' },
      }),
    [companyId, page],
  );
  const rows = list.data?.results ?? [];
  return (
    <section aria-labelledby="push-history-heading">
      <h2 id="push-history-heading">Push history</h2>
      <p className="muted small">Writes sent to Sage (create, update, delete) through the push API.</p>
      {list.loading && !list.data ? <Spinner label="Loading push history" /> : null}
      <ErrorCallout error={list.error} title="Could not load the push history" />
      {list.data && rows.length === 0 ? (
        <div className="card">
          <EmptyState title="No writes yet" />
        </div>
      ) : null}
      {rows.length ? (
        <>
          <div className="table-wrap">
            <table data-testid="push-history">
              <thead>
                <tr>
                  <th scope="col">Data type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Message</th>
                  <th scope="col">
                    <span className="sr-only">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.pushOperationKey}>
                    <td>{r.dataType ?? '—'}</td>
                    <td>
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="small">{formatDateTime(r.requestedOnUtc)}</td>
                    <td className="small">{formatDateTime(r.completedOnUtc)}</td>
                    <td className="small">{r.errorMessage ?? r.validation?.errors?.[0]?.message ?? ''}</td>
                    <td className="num">
                      <Button variant="ghost" onClick={() => setOpen(r)}>
                        Details
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data?.totalResults ?? 0} onPage={setPage} />
        </>
      ) : null}
      {open ? (
        <Dialog
          title={`Push ${open.dataType ?? ''}: ${open.status}`}
          onClose={() => setOpen(null)}
          wide
          actions={<Button onClick={() => setOpen(null)}>Close</Button>}
        >
          <dl className="kv">
            <dt>Push operation</dt>
            <dd className="mono">{open.pushOperationKey}</dd>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={open.status} />{' '}
              {open.statusCode ? <span className="muted">HTTP {open.statusCode}</span> : null}
            </dd>
            <dt>Message</dt>
            <dd>{open.errorMessage ?? '—'}</dd>
            <dt>Changes</dt>
            <dd>
              {open.changes?.length
                ? open.changes
                    .map((c) => `${c.type} ${c.recordRef?.dataType ?? ''} ${c.recordRef?.id ?? ''}`)
                    .join(', ')
                : '—'}
            </dd>
          </dl>
          {open.validation?.errors?.length || open.validation?.warnings?.length ? (
            <ul style={{ marginTop: 'var(--sp-4)' }}>
              {[...(open.validation?.errors ?? []), ...(open.validation?.warnings ?? [])].map((v, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: items have no id
                <li key={i}>
                  <strong>{v.itemId ?? v.validatorName}</strong>: {v.message}
                </li>
              ))}
            </ul>
          ) : null}
        </Dialog>
      ) : null}
    </section>
  );
}
