import { useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Company } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { useLoad } from '../lib/useLoad.ts';
import { Link, navigate } from '../router.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { ErrorCallout, Spinner, Tabs } from '../ui/Misc.tsx';
import { useToast } from '../ui/Toast.tsx';
import { RequestDataDialog } from './Companies.tsx';
import { DataViewer } from './company/DataViewer.tsx';
import { Financials } from './company/Financials.tsx';
import { PushHistory, ReadHistory } from './company/History.tsx';
import { Overview } from './company/Overview.tsx';

type View = 'overview' | 'data' | 'financials' | 'history' | 'push';
const VIEWS: { id: View; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'data', label: 'Data' },
  { id: 'financials', label: 'Financials' },
  { id: 'history', label: 'Read history' },
  { id: 'push', label: 'Push history' },
];

export function CompanyPage({
  companyId,
  view,
  dataType,
  recordId,
}: {
  companyId: string;
  view: string;
  dataType?: string;
  recordId?: string;
}) {
  const toast = useToast();
  const company = useLoad((signal) => api<Company>(`/companies/${companyId}`, { signal }), [companyId]);
  const [requesting, setRequesting] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const c = company.data;
  const current = (VIEWS.find((v) => v.id === view)?.id ?? 'overview') as View;

  const remove = async () => {
    setDeleting(true);
    try {
      await api(`/companies/${companyId}`, { method: 'DELETE' });
      toast(`Company “${c?.name}” deleted.`);
      navigate('/companies');
    } catch (e) {
      toast(e instanceof ApiError ? e.message : 'Could not delete the company.', 'error');
      setDeleting(false);
    }
  };

  if (company.loading && !c) return <Spinner label="Loading company" />;
  if (!c) return <ErrorCallout error={company.error} title="Could not load the company" />;

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link to="/companies">Companies</Link> / {c.name}
      </nav>
      <header className="page-header">
        <div>
          <h1>{c.name}</h1>
          <p>
            {c.description ? `${c.description} · ` : ''}Created {formatDateTime(c.created)}
            {c.lastSync ? ` · last sync ${formatDateTime(c.lastSync)}` : ''}
          </p>
        </div>
        <div className="row">
          <Button onClick={() => setRequesting(true)}>Request data</Button>
          <Button variant="danger" onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
        </div>
      </header>
      <Tabs
        label="Company sections"
        tabs={VIEWS}
        value={current}
        onChange={(v) => navigate(v === 'overview' ? `/companies/${companyId}` : `/companies/${companyId}/${v}`)}
      />
      <div role="tabpanel" aria-labelledby={`tab-${current}`}>
        {current === 'overview' ? <Overview company={c} onChange={company.reload} /> : null}
        {current === 'data' ? <DataViewer companyId={companyId} dataType={dataType} recordId={recordId} /> : null}
        {current === 'financials' ? <Financials companyId={companyId} /> : null}
        {current === 'history' ? <ReadHistory companyId={companyId} /> : null}
        {current === 'push' ? <PushHistory companyId={companyId} /> : null}
      </div>
      {requesting ? <RequestDataDialog company={c} onClose={() => setRequesting(false)} /> : null}
      {confirmDelete ? (
        <Dialog
          title={`Delete ${c.name}?`}
          onClose={() => setConfirmDelete(false)}
          actions={
            <>
              <Button onClick={() => setConfirmDelete(false)}>Cancel</Button>
              <Button variant="danger" busy={deleting} onClick={remove}>
                Delete company
              </Button>
            </>
          }
        >
          <p>
            This removes the company, its connection and all of its synced data from Ledgerlink. It cannot be undone.
          </p>
        </Dialog>
      ) : null}
    </>
  );
}
