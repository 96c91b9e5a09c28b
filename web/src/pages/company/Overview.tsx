import { useEffect, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { Company, Connection, DataStatus } from '../../api/types.ts';
import { formatDate, formatDateTime, relativeDays } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Badge, StatusBadge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Callout, CopyButton, EmptyState, ErrorCallout, Spinner } from '../../ui/Misc.tsx';
import { useToast } from '../../ui/Toast.tsx';
import { ValidationDialog } from './ValidationDialog.tsx';

const RUNNING = new Set([
  'Initial',
  'Queued',
  'Fetching',
  'MapQueued',
  'Mapping',
  'ValidationQueued',
  'Validating',
  'ProcessingQueued',
  'Processing',
]);

export function isRunning(status?: string | null): boolean {
  return Boolean(status && RUNNING.has(status));
}

function ConnectionCard({
  companyId,
  connection,
  onChange,
}: {
  companyId: string;
  connection: Connection;
  onChange: () => void;
}) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const info = connection.connectionInfo ?? {};
  const expiry = info.refreshTokenExpiresAt;
  const daysLeft = expiry ? (new Date(expiry).getTime() - Date.now()) / 86_400_000 : null;
  const errors = (connection.dataConnectionErrors ?? []).filter((e) => e.status !== 'Resolved');
  const unlink = async () => {
    setBusy(true);
    try {
      await api(`/companies/${companyId}/connections/${connection.id}`, {
        method: 'PATCH',
        body: { status: 'Unlinked' },
      });
      toast('Connection unlinked. Its data stays readable.');
      onChange();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not unlink.', 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby={`conn-${connection.id}`} data-testid="connection">
      <div className="card-header">
        <div>
          <h2 id={`conn-${connection.id}`} style={{ fontSize: 'var(--fs-lg)' }}>
            {connection.platformName ?? 'Accounting connection'}
          </h2>
          <StatusBadge status={connection.status} />
        </div>
        {connection.status === 'Linked' ? (
          <Button variant="danger" busy={busy} onClick={unlink}>
            Unlink
          </Button>
        ) : null}
      </div>
      <dl className="kv">
        <dt>Company in Sage</dt>
        <dd>{info.companyName ?? '—'}</dd>
        <dt>Site</dt>
        <dd>{info.siteName ?? '—'}</dd>
        <dt>Last sync</dt>
        <dd>{formatDateTime(connection.lastSync)}</dd>
        <dt>Access expires</dt>
        <dd>
          {expiry ? (
            <>
              {formatDate(expiry)} ({relativeDays(expiry)}){' '}
              {daysLeft !== null && daysLeft < 14 ? <Badge tone="warning">Renew soon</Badge> : null}
            </>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      {daysLeft !== null && daysLeft < 14 && connection.status === 'Linked' ? (
        <div style={{ marginTop: 'var(--sp-3)' }}>
          <Callout tone="warning" title="Sage access expires soon">
            <p>Sage refresh tokens last 90 days. Ask the customer to reconnect with the link below before it lapses.</p>
          </Callout>
        </div>
      ) : null}
      {connection.status === 'Deauthorized' || connection.status === 'PendingAuth' ? (
        <div style={{ marginTop: 'var(--sp-3)' }}>
          <Callout
            tone={connection.status === 'Deauthorized' ? 'danger' : 'info'}
            title={connection.status === 'Deauthorized' ? 'Access lost' : 'Waiting for the customer'}
          >
            <p>
              {connection.status === 'Deauthorized'
                ? 'Ledgerlink can no longer reach this company in Sage. Data already synced stays readable. Send the reconnect link to the customer.'
                : 'The customer chose Sage 200cloud but has not finished signing in and authorising access.'}
            </p>
          </Callout>
        </div>
      ) : null}
      {errors.length ? (
        <ul className="small" style={{ marginTop: 'var(--sp-3)' }}>
          {errors.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: errors have no id
            <li key={i} style={{ color: 'var(--c-danger)' }}>
              {e.errorMessage ?? e.statusText}{' '}
              {e.erroredOnUtc ? <span className="muted">({formatDateTime(e.erroredOnUtc)})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div style={{ marginTop: 'var(--sp-4)' }}>
        <label className="label" htmlFor={`relink-${connection.id}`}>
          {connection.status === 'Linked' ? 'Reconnect link' : 'Link to authorise'}
        </label>
        <div className="link-box" style={{ marginTop: 'var(--sp-1)' }}>
          <input id={`relink-${connection.id}`} className="input" readOnly value={connection.linkUrl} />
          <CopyButton text={connection.linkUrl} />
        </div>
      </div>
    </section>
  );
}

export function Overview({ company, onChange }: { company: Company; onChange: () => void }) {
  const toast = useToast();
  const status = useLoad(
    (signal) => api<Record<string, DataStatus>>(`/companies/${company.id}/dataStatus`, { signal }),
    [company.id],
  );
  const [syncing, setSyncing] = useState(false);
  const [validation, setValidation] = useState<DataStatus | null>(null);
  const rows = Object.values(status.data ?? {}).sort((a, b) => a.dataType.localeCompare(b.dataType));
  const anyRunning = rows.some((r) => isRunning(r.currentStatus));
  const linked = company.dataConnections?.some((c) => c.status === 'Linked');

  // Poll while something is running so statuses move on their own.
  const { reload } = status;
  useEffect(() => {
    if (!anyRunning) return;
    const t = setInterval(reload, 2000);
    return () => clearInterval(t);
  }, [anyRunning, reload]);

  const syncAll = async () => {
    setSyncing(true);
    try {
      await api(`/companies/${company.id}/data/all`, { method: 'POST' });
      toast('Sync queued for every data type.');
      status.reload();
      onChange();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not queue the sync.', 'error');
    } finally {
      setSyncing(false);
    }
  };
  const syncOne = async (dataType: string) => {
    try {
      await api(`/companies/${company.id}/data/queue/${dataType}`, { method: 'POST' });
      toast(`Sync of ${dataType} queued.`);
      status.reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not queue the sync.', 'error');
    }
  };

  return (
    <div className="stack">
      {company.dataConnections?.length ? (
        company.dataConnections.map((c) => (
          <ConnectionCard key={c.id} companyId={company.id} connection={c} onChange={onChange} />
        ))
      ) : (
        <div className="card">
          <EmptyState title="No accounting connection yet">
            <p>Send the Link URL to the customer (Request data) to connect their Sage 200cloud company.</p>
          </EmptyState>
        </div>
      )}
      <section className="card" aria-labelledby="status-heading">
        <div className="card-header">
          <div>
            <h2 id="status-heading" style={{ fontSize: 'var(--fs-lg)' }}>
              Data status
            </h2>
            <p className="muted small" style={{ margin: 0 }}>
              {anyRunning ? 'Syncing… this updates on its own.' : 'Each data type as of its last sync.'}
            </p>
          </div>
          <Button
            variant="primary"
            busy={syncing}
            disabled={!linked}
            onClick={syncAll}
            title={linked ? undefined : 'Connect the company first'}
          >
            Sync now
          </Button>
        </div>
        {status.loading && !status.data ? <Spinner label="Loading data status" /> : null}
        <ErrorCallout error={status.error} title="Could not load the data status" />
        {rows.length ? (
          <div className="table-wrap">
            <table data-testid="data-status">
              <thead>
                <tr>
                  <th scope="col">Data type</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last successful sync</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.dataType} data-datatype={r.dataType}>
                    <td>{r.dataType}</td>
                    <td>
                      <StatusBadge status={r.currentStatus} />
                      {r.currentStatus === 'ValidationError' && r.latestSyncId ? (
                        <>
                          {' '}
                          <button type="button" className="btn btn-ghost small" onClick={() => setValidation(r)}>
                            View validation details
                          </button>
                        </>
                      ) : null}
                    </td>
                    <td className="small">{formatDateTime(r.lastSuccessfulSync)}</td>
                    <td className="num">
                      <Button
                        variant="ghost"
                        disabled={!linked || isRunning(r.currentStatus)}
                        onClick={() => syncOne(r.dataType)}
                        aria-label={`Sync ${r.dataType}`}
                      >
                        Sync
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : status.data ? (
          <p className="muted">Nothing synced yet.</p>
        ) : null}
      </section>
      {validation?.latestSyncId ? (
        <ValidationDialog
          companyId={company.id}
          datasetId={validation.latestSyncId}
          dataType={validation.dataType}
          onClose={() => setValidation(null)}
        />
      ) : null}
    </div>
  );
}
