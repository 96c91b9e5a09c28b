import { type JSX, useEffect, useState } from 'react';
import { getApiKey, setApiKey, setUnauthorizedHandler } from './api/client.ts';
import { CompaniesPage } from './pages/Companies.tsx';
import { CompanyPage } from './pages/Company.tsx';
import { IntegrationSettingsPage } from './pages/IntegrationSettings.tsx';
import { IntegrationsPage } from './pages/Integrations.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { SettingsPage } from './pages/Settings.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { ToastProvider } from './ui/Toast.tsx';

const NAV = [
  { to: '/integrations', label: 'Accounting integrations' },
  { to: '/companies', label: 'Companies' },
  { to: '/settings/api-keys', label: 'Settings', prefix: '/settings' },
];

type Render = (p: Record<string, string>) => JSX.Element;
const ROUTES: [string, Render][] = [
  ['/', () => <Redirect to="/integrations" />],
  ['/integrations', () => <IntegrationsPage />],
  ['/integrations/:key/setup', (p) => <IntegrationSettingsPage key="setup" platformKey={p.key} mode="setup" />],
  ['/integrations/:key', (p) => <IntegrationSettingsPage key="manage" platformKey={p.key} mode="manage" />],
  ['/companies', () => <CompaniesPage />],
  ['/companies/:id', (p) => <CompanyPage companyId={p.id} view="overview" />],
  ['/companies/:id/:view', (p) => <CompanyPage companyId={p.id} view={p.view} />],
  ['/companies/:id/data/:dataType', (p) => <CompanyPage companyId={p.id} view="data" dataType={p.dataType} />],
  [
    '/companies/:id/data/:dataType/:recordId',
    (p) => <CompanyPage companyId={p.id} view="data" dataType={p.dataType} recordId={p.recordId} />,
  ],
  ['/settings', () => <Redirect to="/settings/api-keys" />],
  ['/settings/:section', (p) => <SettingsPage section={p.section} />],
];

function Routes({ path }: { path: string }) {
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, path);
    if (params) return render(params);
  }
  return <NotFound />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

export function App() {
  const { path } = useLocation();
  const [signedIn, setSignedIn] = useState(() => Boolean(getApiKey()));
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setApiKey(null);
      setSignedIn(false);
    });
  }, []);
  // Close the phone menu whenever the route changes.
  const [menuPath, setMenuPath] = useState(path);
  if (menuPath !== path) {
    setMenuPath(path);
    setMenuOpen(false);
  }

  if (!signedIn || path === '/sign-in') {
    return (
      <ToastProvider>
        <SignInPage
          onSignedIn={() => {
            setSignedIn(true);
            if (path === '/sign-in') navigate('/integrations', { replace: true });
          }}
        />
      </ToastProvider>
    );
  }

  const signOut = () => {
    setApiKey(null);
    setSignedIn(false);
  };

  return (
    <ToastProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
        <div className="topbar">
          <Link to="/integrations" className="brand">
            <span className="brand-mark" aria-hidden="true">
              L
            </span>
            Ledgerlink
          </Link>
          <button
            type="button"
            className="icon-btn"
            aria-label="Menu"
            aria-expanded={menuOpen}
            aria-controls="sidebar"
            onClick={() => setMenuOpen((o) => !o)}
          >
            ☰
          </button>
        </div>
        <aside className="sidebar" id="sidebar">
          <Link to="/integrations" className="brand">
            <span className="brand-mark" aria-hidden="true">
              L
            </span>
            Ledgerlink
          </Link>
          <nav className="nav" aria-label="Main">
            {NAV.map((n) => {
              const active = path.startsWith(n.prefix ?? n.to);
              return (
                <Link key={n.to} to={n.to} aria-current={active ? 'page' : undefined}>
                  {n.label}
                </Link>
              );
            })}
          </nav>
          <div className="sidebar-footer">
            <button type="button" className="btn" onClick={signOut}>
              Sign out
            </button>
          </div>
        </aside>
        <main className="main" id="main" tabIndex={-1}>
          <Routes path={path} />
        </main>
      </div>
    </ToastProvider>
  );
}
