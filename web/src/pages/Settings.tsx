import { Link } from '../router.tsx';
import { ApiKeysSettings } from './settings/ApiKeys.tsx';
import { SyncSettingsPanel } from './settings/SyncSettings.tsx';
import { WebhooksSettings } from './settings/Webhooks.tsx';

const SECTIONS = [
  { id: 'api-keys', label: 'API keys' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'sync', label: 'Sync settings' },
];

export function SettingsPage({ section }: { section: string }) {
  const current = SECTIONS.find((s) => s.id === section)?.id ?? 'api-keys';
  return (
    <>
      <header className="page-header">
        <div>
          <h1>Settings</h1>
          <p>API keys, webhooks and how often company data is refreshed.</p>
        </div>
      </header>
      <nav className="tabs" aria-label="Settings sections">
        {SECTIONS.map((s) => (
          <Link
            key={s.id}
            to={`/settings/${s.id}`}
            className="tab"
            aria-current={s.id === current ? 'page' : undefined}
          >
            {s.label}
          </Link>
        ))}
      </nav>
      {current === 'api-keys' ? <ApiKeysSettings /> : null}
      {current === 'webhooks' ? <WebhooksSettings /> : null}
      {current === 'sync' ? <SyncSettingsPanel /> : null}
    </>
  );
}
