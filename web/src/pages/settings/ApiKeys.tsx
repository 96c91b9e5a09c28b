import { type FormEvent, useState } from 'react';
import { ApiError, api, getApiKey } from '../../api/client.ts';
import type { ApiKey, Page } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { Callout, CopyButton, ErrorCallout, Spinner } from '../../ui/Misc.tsx';
import { useToast } from '../../ui/Toast.tsx';

export function ApiKeysSettings() {
  const toast = useToast();
  const keys = useLoad((signal) => api<ApiKey[] | Page<ApiKey>>('/apiKeys', { signal }), []);
  const list = Array.isArray(keys.data) ? keys.data : (keys.data?.results ?? []);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError('Give the key a name, e.g. “Production backend”.');
      return;
    }
    setBusy(true);
    setNameError(null);
    try {
      const k = await api<ApiKey>('/apiKeys', { method: 'POST', body: { name: name.trim() } });
      setCreated(k);
      setName('');
      keys.reload();
    } catch (err) {
      setNameError(err instanceof ApiError ? (err.fieldErrors().name ?? err.message) : String(err));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (k: ApiKey) => {
    try {
      await api(`/apiKeys/${k.id}`, { method: 'DELETE' });
      toast(`API key “${k.name ?? k.id}” revoked.`);
      setRevoking(null);
      keys.reload();
    } catch (err) {
      toast(err instanceof ApiError ? err.message : 'Could not revoke the key.', 'error');
    }
  };

  return (
    <div className="stack">
      <section className="card" aria-labelledby="new-key">
        <h2 id="new-key" style={{ fontSize: 'var(--fs-lg)' }}>
          Create an API key
        </h2>
        <form onSubmit={create} noValidate className="row" style={{ alignItems: 'flex-start' }}>
          <div style={{ flex: '1 1 260px' }}>
            <Field
              label="Key name"
              name="keyName"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={nameError}
            />
          </div>
          <Button type="submit" variant="primary" busy={busy} style={{ marginTop: 26 }}>
            Create key
          </Button>
        </form>
      </section>
      {keys.loading && !keys.data ? <Spinner label="Loading API keys" /> : null}
      <ErrorCallout error={keys.error} title="Could not load API keys" />
      {list.length ? (
        <div className="table-wrap">
          <table data-testid="api-keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((k) => (
                <tr key={k.id}>
                  <td>{k.name ?? '—'}</td>
                  <td className="mono small">{k.id}</td>
                  <td className="small">{formatDateTime(k.createdUtc)}</td>
                  <td className="num">
                    <Button variant="danger" onClick={() => setRevoking(k)}>
                      Revoke
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {created?.apiKey ? (
        <Dialog
          title="API key created"
          onClose={() => setCreated(null)}
          actions={
            <Button variant="primary" onClick={() => setCreated(null)}>
              Done
            </Button>
          }
        >
          <Callout tone="warning" title="Copy it now">
            <p>This is the only time the key is shown. Store it in your secrets manager.</p>
          </Callout>
          <div className="link-box" style={{ marginTop: 'var(--sp-4)' }}>
            <input
              className="input"
              readOnly
              value={created.apiKey}
              aria-label="New API key"
              onFocus={(e) => e.target.select()}
            />
            <CopyButton text={created.apiKey} />
          </div>
        </Dialog>
      ) : null}
      {revoking ? (
        <Dialog
          title={`Revoke “${revoking.name ?? revoking.id}”?`}
          onClose={() => setRevoking(null)}
          actions={
            <>
              <Button onClick={() => setRevoking(null)}>Cancel</Button>
              <Button variant="danger" onClick={() => revoke(revoking)}>
                Revoke key
              </Button>
            </>
          }
        >
          <p>Applications using this key stop working at once.</p>
          {getApiKey() && list.length === 1 ? (
            <Callout tone="danger">
              <p>This is the only key: revoking it signs you out of the portal.</p>
            </Callout>
          ) : null}
        </Dialog>
      ) : null}
    </div>
  );
}
