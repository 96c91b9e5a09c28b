import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { EnvironmentName, Integration, IntegrationSettings } from '../api/types.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link, navigate } from '../router.tsx';
import { Badge } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { Callout, CopyButton, ErrorCallout, Spinner, Switch, Tabs } from '../ui/Misc.tsx';
import { useToast } from '../ui/Toast.tsx';
import { DemoCredentialsNote } from './DemoCredentialsNote.tsx';

const ENVS: { id: EnvironmentName; label: string }[] = [
  { id: 'production', label: 'Production' },
  { id: 'sandbox', label: 'Sandbox' },
];

type FieldName = 'clientId' | 'clientSecret' | 'subscriptionKey';
const LABELS: Record<FieldName, string> = {
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  subscriptionKey: 'Subscription key',
};

/** The same rules the server applies, checked first so the user gets instant feedback. */
export function checkCredentials(
  values: Record<FieldName, string>,
  required: Record<FieldName, boolean>,
): Partial<Record<FieldName, string>> {
  const errors: Partial<Record<FieldName, string>> = {};
  for (const k of Object.keys(LABELS) as FieldName[]) {
    const v = values[k];
    if (!v && required[k]) errors[k] = `${LABELS[k]} is required.`;
    else if (/\s/.test(v)) errors[k] = `${LABELS[k]} must not contain spaces`;
  }
  return errors;
}

export function IntegrationSettingsPage({ platformKey, mode }: { platformKey: string; mode: 'setup' | 'manage' }) {
  const toast = useToast();
  const integ = useLoad((signal) => api<Integration>(`/integrations/${platformKey}`, { signal }), [platformKey]);
  const settings = useLoad(
    (signal) => api<IntegrationSettings>(`/integrations/${platformKey}/settings`, { signal }),
    [platformKey],
  );
  const s = settings.data;
  const name = integ.data?.name ?? (platformKey === 'jcrp' ? 'Sage 200cloud' : platformKey);
  const [env, setEnv] = useState<EnvironmentName>('production');
  const [editing, setEditing] = useState(mode === 'setup');
  const [askEnable, setAskEnable] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [toggling, setToggling] = useState(false);

  useEffect(() => {
    if (s?.activeEnvironment) setEnv(s.activeEnvironment);
  }, [s?.activeEnvironment]);

  const setEnabled = async (enabled: boolean) => {
    setToggling(true);
    try {
      await api(`/integrations/${platformKey}`, { method: 'PATCH', body: { enabled } });
      settings.setData(s ? { ...s, enabled } : s);
      toast(`${name} ${enabled ? 'enabled' : 'disabled'}.`);
      return true;
    } catch (e) {
      toast(e instanceof ApiError ? e.message : `Could not change ${name}.`, 'error');
      return false;
    } finally {
      setToggling(false);
    }
  };

  const setActiveEnvironment = async (activeEnvironment: EnvironmentName) => {
    try {
      await api(`/integrations/${platformKey}`, { method: 'PATCH', body: { activeEnvironment } });
      settings.reload();
      toast(`${name} now uses the ${activeEnvironment} credentials.`);
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not change the environment.', 'error');
    }
  };

  const onSaved = (next: IntegrationSettings, firstSave: boolean) => {
    settings.setData(next);
    const msg = `${name} ${ENVS.find((e) => e.id === env)?.label.toLowerCase()} settings saved.`;
    setSaved(msg);
    setEditing(mode === 'setup');
    if (firstSave && !next.enabled) setAskEnable(true);
  };

  const current = s?.environments?.[env];

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/integrations">Accounting integrations</Link> / {name}
      </nav>
      <header className="page-header">
        <div>
          <h1>{mode === 'setup' ? `Set up ${name}` : name}</h1>
          <p>Integration settings: the credentials Ledgerlink uses to reach {name} for your customers.</p>
        </div>
        {s ? (
          <div className="row">
            <Switch
              checked={s.enabled}
              label={`Enable ${name}`}
              disabled={toggling || !Object.values(s.environments ?? {}).some((e) => e?.configured)}
              onChange={setEnabled}
            />
          </div>
        ) : null}
      </header>
      <div className="stack">
        <DemoCredentialsNote />
        {settings.loading && !s ? <Spinner label="Loading settings" /> : null}
        <ErrorCallout error={settings.error} title="Could not load the settings" />
        {saved ? (
          <Callout tone="success" title="Saved">
            <p role="status">{saved}</p>
          </Callout>
        ) : null}
        {s ? (
          <section className="card" aria-labelledby="settings-heading">
            <div className="card-header">
              <h2 id="settings-heading">Integration settings</h2>
              {mode === 'manage' && !editing ? <Button onClick={() => setEditing(true)}>Edit</Button> : null}
            </div>
            <Tabs tabs={ENVS} value={env} onChange={setEnv} label="Environment" />
            <div role="tabpanel" aria-labelledby={`tab-${env}`}>
              <p className="row small">
                {current?.configured ? <Badge tone="success">Configured</Badge> : <Badge>Not configured</Badge>}
                {s.activeEnvironment === env ? (
                  <Badge tone="info">Active environment</Badge>
                ) : current?.configured ? (
                  <Button variant="ghost" onClick={() => setActiveEnvironment(env)}>
                    Use {env} credentials
                  </Button>
                ) : null}
              </p>
              {editing ? (
                <CredentialsForm
                  key={env}
                  platformKey={platformKey}
                  env={env}
                  current={current}
                  onSaved={(next) => onSaved(next, !current?.configured)}
                  onCancel={mode === 'manage' ? () => setEditing(false) : undefined}
                />
              ) : (
                <dl className="kv">
                  <dt>Client ID</dt>
                  <dd className="mono">{current?.clientId ?? '—'}</dd>
                  <dt>Client secret</dt>
                  <dd className="mono">{current?.clientSecret ?? '—'}</dd>
                  <dt>Subscription key</dt>
                  <dd className="mono">{current?.subscriptionKey ?? '—'}</dd>
                  {current?.authBaseUrl ? (
                    <>
                      <dt>Sage ID URL</dt>
                      <dd className="mono">{current.authBaseUrl}</dd>
                    </>
                  ) : null}
                  {current?.apiBaseUrl ? (
                    <>
                      <dt>API URL</dt>
                      <dd className="mono">{current.apiBaseUrl}</dd>
                    </>
                  ) : null}
                </dl>
              )}
            </div>
          </section>
        ) : null}
        {s ? (
          <section className="card" aria-labelledby="redirect-heading">
            <h2 id="redirect-heading" style={{ fontSize: 'var(--fs-lg)' }}>
              Redirect URL
            </h2>
            <p className="muted small">
              Register this URL as the redirect (callback) URL of your Sage ID “Web” application, with the refresh-token
              expiry at the 90-day maximum.
            </p>
            <div className="link-box">
              <input className="input" readOnly value={s.redirectUri} aria-label="Redirect URL" />
              <CopyButton text={s.redirectUri} />
            </div>
          </section>
        ) : null}
        {mode === 'setup' && s?.environments && Object.values(s.environments).some((e) => e?.configured) ? (
          <p>
            <Link to={`/integrations/${platformKey}`}>Go to {name} settings</Link> ·{' '}
            <Link to="/companies">Create a test company</Link>
          </p>
        ) : null}
      </div>
      {askEnable ? (
        <Dialog
          title={`Enable ${name}`}
          onClose={() => setAskEnable(false)}
          actions={
            <>
              <Button onClick={() => setAskEnable(false)}>Later</Button>
              <Button
                variant="primary"
                data-autofocus
                busy={toggling}
                onClick={async () => {
                  if (await setEnabled(true)) {
                    setAskEnable(false);
                    if (mode === 'setup') navigate(`/integrations/${platformKey}`, { replace: true });
                  }
                }}
              >
                Enable now
              </Button>
            </>
          }
        >
          <p>
            Your {name} settings are saved. Enable the integration now so your customers can connect {name} through
            Link, or later from the Accounting integrations page.
          </p>
        </Dialog>
      ) : null}
    </>
  );
}

function CredentialsForm({
  platformKey,
  env,
  current,
  onSaved,
  onCancel,
}: {
  platformKey: string;
  env: EnvironmentName;
  current?: IntegrationSettings['environments'][EnvironmentName];
  onSaved: (s: IntegrationSettings) => void;
  onCancel?: () => void;
}) {
  const configured = Boolean(current?.configured);
  const [values, setValues] = useState<Record<FieldName, string>>({
    clientId: current?.clientId ?? '',
    clientSecret: '',
    subscriptionKey: '',
  });
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const set = (k: FieldName) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [k]: e.target.value }));
    if (errors[k]) setErrors((x) => ({ ...x, [k]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const local = checkCredentials(values, { clientId: true, clientSecret: !configured, subscriptionKey: !configured });
    if (Object.keys(local).length) {
      setErrors(local);
      return;
    }
    setBusy(true);
    try {
      const body: Record<string, string> = { clientId: values.clientId };
      if (values.clientSecret) body.clientSecret = values.clientSecret;
      if (values.subscriptionKey) body.subscriptionKey = values.subscriptionKey;
      const next = await api<IntegrationSettings>(`/integrations/${platformKey}/settings/${env}`, {
        method: 'PUT',
        body,
      });
      setErrors({});
      // Secrets never stay in the page once saved; the masked tails come back from the server.
      setValues((v) => ({ ...v, clientSecret: '', subscriptionKey: '' }));
      onSaved(next);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors()).length) {
        setErrors(err.fieldErrors());
      } else {
        setFormError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const keep = configured ? 'Leave blank to keep the saved value' : undefined;
  return (
    <form onSubmit={submit} noValidate aria-label={`${env} credentials`}>
      <Field
        label="Client ID"
        name="clientId"
        autoComplete="off"
        spellCheck={false}
        value={values.clientId}
        onChange={set('clientId')}
        error={errors.clientId}
        hint="From your Sage ID application (Sage Developer self-service)."
      />
      <Field
        label="Client secret"
        name="clientSecret"
        type="password"
        autoComplete="new-password"
        value={values.clientSecret}
        onChange={set('clientSecret')}
        error={errors.clientSecret}
        placeholder={current?.clientSecret ?? undefined}
        hint={keep ?? 'Shown once by Sage when you create the application.'}
      />
      <Field
        label="Subscription key"
        name="subscriptionKey"
        type="password"
        autoComplete="new-password"
        value={values.subscriptionKey}
        onChange={set('subscriptionKey')}
        error={errors.subscriptionKey}
        placeholder={current?.subscriptionKey ?? undefined}
        hint={keep ?? 'The Primary key of your “Sage 200 Unlimited” API subscription.'}
      />
      {Object.entries(errors)
        .filter(([k, v]) => v && !(k in LABELS))
        .map(([k, v]) => (
          <p key={k} className="field-error" role="alert">
            {v}
          </p>
        ))}
      <ErrorCallout error={formError} title="Could not save the settings" />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>
          Save
        </Button>
        {onCancel ? (
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
