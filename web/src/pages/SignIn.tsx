import { type FormEvent, useState } from 'react';
import { ApiError, api, setApiKey } from '../api/client.ts';
import { Button } from '../ui/Button.tsx';
import { Field } from '../ui/Field.tsx';
import { Callout } from '../ui/Misc.tsx';

export function SignInPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = key.trim();
    if (!value) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // Any authenticated read proves the key; integrations is cheap and always there.
      await api('/integrations', { apiKey: value });
      setApiKey(value);
      onSignedIn();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That API key was not accepted. Check it, or create a new one with `npx ledgerlink keys create --name portal`.'
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <div className="card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" style={{ color: '#fff' }}>
            L
          </span>
          Ledgerlink
        </div>
        <h1>Sign in to the portal</h1>
        <p className="muted">Use an API key of this Ledgerlink server.</p>
        <form onSubmit={submit} noValidate>
          <Field
            label="API key"
            name="apiKey"
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            error={error}
            hint="The key is kept only for this browser tab (sessionStorage)."
          />
          <Button type="submit" variant="primary" busy={busy} style={{ width: '100%', justifyContent: 'center' }}>
            Sign in
          </Button>
        </form>
        <div style={{ marginTop: 'var(--sp-5)' }}>
          <Callout title="Where is my key?">
            <p>
              The server prints an API key the first time it starts (<code>npm start</code>). Lost it? Run{' '}
              <code>npx ledgerlink keys create --name portal</code>: the new key is the last line of its output.
            </p>
          </Callout>
        </div>
      </div>
    </main>
  );
}
