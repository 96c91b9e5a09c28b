import { useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Integration } from '../api/types.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link } from '../router.tsx';
import { Badge } from '../ui/Badge.tsx';
import { ErrorCallout, Spinner, Switch } from '../ui/Misc.tsx';
import { useToast } from '../ui/Toast.tsx';
import { DemoCredentialsNote } from './DemoCredentialsNote.tsx';

export function IntegrationLogo({ integration }: { integration: Pick<Integration, 'name' | 'logoUrl'> }) {
  const [broken, setBroken] = useState(false);
  if (integration.logoUrl && !broken)
    return (
      <span className="integration-logo" style={{ background: 'transparent' }}>
        <img src={integration.logoUrl} alt="" onError={() => setBroken(true)} />
      </span>
    );
  return (
    <span className="integration-logo" aria-hidden="true">
      {integration.name.replace(/[^A-Za-z0-9]/g, '').slice(0, 4)}
    </span>
  );
}

export function IntegrationsPage() {
  const toast = useToast();
  const { data, error, loading, setData } = useLoad(
    (signal) => api<Integration[] | { results: Integration[] }>('/integrations', { signal }),
    [],
  );
  const list = Array.isArray(data) ? data : (data?.results ?? []);
  const [busyKey, setBusyKey] = useState<string | null>(null);

  const toggle = async (i: Integration, enabled: boolean) => {
    setBusyKey(i.key);
    try {
      await api(`/integrations/${i.key}`, { method: 'PATCH', body: { enabled } });
      setData(list.map((x) => (x.key === i.key ? { ...x, enabled } : x)));
      toast(`${i.name} ${enabled ? 'enabled' : 'disabled'}.`);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : `Could not change ${i.name}.`, 'error');
    } finally {
      setBusyKey(null);
    }
  };

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Accounting integrations</h1>
          <p>Set up the accounting platforms your customers can connect through Link.</p>
        </div>
      </header>
      <div className="stack">
        <DemoCredentialsNote />
        {loading && !data ? <Spinner label="Loading integrations" /> : null}
        <ErrorCallout error={error} title="Could not load integrations" />
        {list.map((i) => (
          <section key={i.key} className="card" aria-labelledby={`int-${i.key}`} data-testid={`integration-${i.key}`}>
            <div className="row row-between">
              <div className="row">
                <IntegrationLogo integration={i} />
                <div>
                  <h2 id={`int-${i.key}`} style={{ margin: 0, fontSize: 'var(--fs-lg)' }}>
                    {i.name}
                  </h2>
                  <div className="row small" style={{ gap: 'var(--sp-2)' }}>
                    <span className="muted">{i.sourceType ?? 'Accounting'}</span>
                    {i.configured ? <Badge tone="success">Configured</Badge> : <Badge>Not set up</Badge>}
                    {i.isBeta ? <Badge tone="info">Beta</Badge> : null}
                  </div>
                </div>
              </div>
              <div className="row">
                {i.configured ? (
                  <>
                    <Switch
                      checked={i.enabled}
                      label={`Enable ${i.name}`}
                      disabled={busyKey === i.key}
                      onChange={(v) => toggle(i, v)}
                    />
                    <Link className="btn" to={`/integrations/${i.key}`}>
                      Manage
                    </Link>
                  </>
                ) : (
                  <Link className="btn btn-primary" to={`/integrations/${i.key}/setup`}>
                    Set up
                  </Link>
                )}
              </div>
            </div>
            {i.datatypeFeatures?.length ? (
              <details style={{ marginTop: 'var(--sp-3)' }}>
                <summary className="small muted">Supported data types ({i.datatypeFeatures.length})</summary>
                <p className="small" style={{ marginTop: 'var(--sp-2)' }}>
                  {i.datatypeFeatures
                    .map((f) => {
                      const writes = f.supportedFeatures
                        .filter((s) => s.featureType !== 'Get' && s.featureState === 'Release')
                        .map((s) => s.featureType.toLowerCase());
                      return writes.length ? `${f.dataType} (read, ${writes.join(', ')})` : f.dataType;
                    })
                    .join(' · ')}
                </p>
              </details>
            ) : null}
          </section>
        ))}
      </div>
    </>
  );
}
