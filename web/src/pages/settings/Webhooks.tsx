import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Badge, StatusBadge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { Callout, CopyButton, EmptyState, ErrorCallout, Spinner } from '../../ui/Misc.tsx';
import { useToast } from '../../ui/Toast.tsx';

interface Consumer {
  id: string;
  url: string;
  disabled?: boolean;
  disabledReason?: string;
  eventTypes?: string[];
  secret?: string;
}

interface Delivery {
  id: string;
  eventId: string;
  eventType?: string;
  status: string;
  attempts?: number;
  lastAttemptAt?: string | null;
  nextAttemptAt?: string | null;
  responseStatus?: number | null;
  lastError?: string | null;
  created?: string;
}

const EVENT_TYPES = [
  'read.completed',
  'read.completed.initial',
  'connection.created',
  'connection.connected',
  'connection.disconnected',
  'connection.reconnected',
  'connection.deleted',
  'connection.tokenExpiring',
  'company.created',
  'company.deleted',
  'invoices.write.successful',
  'invoices.write.unsuccessful',
];

const asList = <T,>(d: T[] | Page<T> | undefined): T[] => (Array.isArray(d) ? d : (d?.results ?? []));

export function WebhooksSettings() {
  const toast = useToast();
  const consumers = useLoad((signal) => api<Consumer[] | Page<Consumer>>('/webhooks', { signal }), []);
  const list = asList(consumers.data);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [selected, setSelected] = useState<Consumer | null>(null);

  const enable = async (c: Consumer) => {
    try {
      await api(`/webhooks/${c.id}/enable`, { method: 'POST' });
      toast('Webhook consumer re-enabled.');
      consumers.reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not re-enable the consumer.', 'error');
    }
  };

  const remove = async (c: Consumer) => {
    try {
      await api(`/webhooks/${c.id}`, { method: 'DELETE' });
      toast('Webhook consumer deleted.');
      if (selected?.id === c.id) setSelected(null);
      consumers.reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not delete the consumer.', 'error');
    }
  };

  return (
    <div className="stack">
      <section className="card" aria-labelledby="webhooks-heading">
        <div className="card-header">
          <div>
            <h2 id="webhooks-heading" style={{ fontSize: 'var(--fs-lg)' }}>
              Webhook consumers
            </h2>
            <p className="muted small" style={{ margin: 0 }}>
              Ledgerlink signs every delivery (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature) and
              retries for about 28 hours before disabling a consumer.
            </p>
          </div>
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add consumer
          </Button>
        </div>
        {consumers.loading && !consumers.data ? <Spinner label="Loading webhook consumers" /> : null}
        <ErrorCallout error={consumers.error} title="Could not load webhook consumers" />
        {consumers.data && list.length === 0 ? <EmptyState title="No webhook consumers yet" /> : null}
        {list.length ? (
          <div className="table-wrap">
            <table data-testid="webhook-consumers">
              <thead>
                <tr>
                  <th scope="col">Endpoint</th>
                  <th scope="col">Events</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((c) => (
                  <tr key={c.id}>
                    <td className="mono small">{c.url}</td>
                    <td className="small">{c.eventTypes?.length ? c.eventTypes.join(', ') : 'All events'}</td>
                    <td>
                      {c.disabled ? (
                        <Badge tone="warning" title={c.disabledReason}>
                          Disabled
                        </Badge>
                      ) : (
                        <Badge tone="success">Active</Badge>
                      )}
                      {c.disabledReason ? <div className="muted small">{c.disabledReason}</div> : null}
                    </td>
                    <td className="num">
                      <div className="row" style={{ justifyContent: 'flex-end' }}>
                        <Button variant="ghost" onClick={() => setSelected(c)}>
                          Deliveries
                        </Button>
                        {c.disabled ? <Button onClick={() => enable(c)}>Re-enable</Button> : null}
                        <Button variant="danger" onClick={() => remove(c)}>
                          Delete
                        </Button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {selected ? <Deliveries consumer={selected} /> : null}
      {adding ? (
        <AddConsumerDialog
          onClose={() => setAdding(false)}
          onCreated={(c) => {
            setAdding(false);
            consumers.reload();
            if (c.secret) setSecret(c.secret);
            else toast('Webhook consumer added.');
          }}
        />
      ) : null}
      {secret ? (
        <Dialog
          title="Signing secret"
          onClose={() => setSecret(null)}
          actions={
            <Button variant="primary" onClick={() => setSecret(null)}>
              Done
            </Button>
          }
        >
          <Callout tone="warning" title="Copy it now">
            <p>Your endpoint verifies signatures with this secret. It is shown only once.</p>
          </Callout>
          <div className="link-box" style={{ marginTop: 'var(--sp-4)' }}>
            <input className="input" readOnly value={secret} aria-label="Signing secret" />
            <CopyButton text={secret} />
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

function AddConsumerDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Consumer) => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^https?:\/\/\S+$/.test(url.trim())) {
      setErrors({ url: 'Enter the endpoint as an absolute http(s) URL.' });
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      onCreated(await api<Consumer>('/webhooks', { method: 'POST', body: { url: url.trim(), eventTypes: events } }));
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors()).length) setErrors(err.fieldErrors());
      else setFormError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Add webhook consumer"
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="add-consumer" variant="primary" busy={busy}>
            Add consumer
          </Button>
        </>
      }
    >
      <form id="add-consumer" onSubmit={submit} noValidate>
        <Field
          label="Endpoint URL"
          name="url"
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
          placeholder="https://example.com/webhooks/ledgerlink"
          data-autofocus
        />
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="label">Events (none selected = all)</legend>
          <div className="grid-2" style={{ gap: 'var(--sp-1)', marginTop: 'var(--sp-2)' }}>
            {EVENT_TYPES.map((t) => (
              <label key={t} className="small row" style={{ gap: 'var(--sp-2)' }}>
                <input
                  type="checkbox"
                  checked={events.includes(t)}
                  onChange={(e) => setEvents((xs) => (e.target.checked ? [...xs, t] : xs.filter((x) => x !== t)))}
                />
                <span className="mono">{t}</span>
              </label>
            ))}
          </div>
        </fieldset>
        {errors.eventTypes ? <p className="field-error">{errors.eventTypes}</p> : null}
        <ErrorCallout error={formError} title="Could not add the consumer" />
      </form>
    </Dialog>
  );
}

function Deliveries({ consumer }: { consumer: Consumer }) {
  const toast = useToast();
  const res = useLoad(
    (signal) =>
      api<Delivery[] | Page<Delivery>>(`/webhooks/${consumer.id}/deliveries`, { signal, query: { pageSize: 50 } }),
    [consumer.id],
  );
  const rows = asList(res.data);
  const replay = async (d: Delivery) => {
    try {
      await api(`/webhooks/events/${d.eventId}/replay`, { method: 'POST', query: { webhookId: consumer.id } });
      toast('Event queued for redelivery.');
      res.reload();
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not replay the event.', 'error');
    }
  };
  return (
    <section className="card" aria-labelledby="deliveries-heading">
      <div className="card-header">
        <div>
          <h2 id="deliveries-heading" style={{ fontSize: 'var(--fs-lg)' }}>
            Deliveries
          </h2>
          <p className="mono small muted" style={{ margin: 0 }}>
            {consumer.url}
          </p>
        </div>
        <Button onClick={res.reload}>Refresh</Button>
      </div>
      {res.loading && !res.data ? <Spinner label="Loading deliveries" /> : null}
      <ErrorCallout error={res.error} title="Could not load deliveries" />
      {res.data && rows.length === 0 ? <EmptyState title="No deliveries yet" /> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table data-testid="webhook-deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last attempt</th>
                <th scope="col">Response</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id}>
                  <td>
                    <span className="mono small">{d.eventType ?? d.eventId}</span>
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                  </td>
                  <td className="num">{d.attempts ?? 0}</td>
                  <td className="small">{formatDateTime(d.lastAttemptAt)}</td>
                  <td className="small">{d.responseStatus ?? d.lastError ?? '—'}</td>
                  <td className="num">
                    <Button variant="ghost" onClick={() => replay(d)}>
                      Replay
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
