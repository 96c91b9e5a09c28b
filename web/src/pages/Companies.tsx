import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Company, Page } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { useLoad } from '../lib/useLoad.ts';
import { navigate } from '../router.tsx';
import { StatusBadge } from '../ui/Badge.tsx';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { Field } from '../ui/Field.tsx';
import { CopyButton, EmptyState, ErrorCallout, Pager, Spinner } from '../ui/Misc.tsx';
import { useToast } from '../ui/Toast.tsx';

const PAGE_SIZE = 25;

export function CompaniesPage() {
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [linkFor, setLinkFor] = useState<Company | null>(null);
  const list = useLoad(
    (signal) =>
      api<Page<Company>>('/companies', {
        signal,
        query: { page, pageSize: PAGE_SIZE, orderBy: '-created', query: query ? `name~${query}` : undefined },
      }),
    [page, query],
  );

  return (
    <>
      <header className="page-header">
        <div>
          <h1>Companies</h1>
          <p>Each company is one of your customers. Send them a Link URL to connect their accounting software.</p>
        </div>
        <Button variant="primary" onClick={() => setCreating(true)}>
          New company
        </Button>
      </header>
      <form
        className="row"
        aria-label="Search"
        style={{ marginBottom: 'var(--sp-4)' }}
        onSubmit={(e) => {
          e.preventDefault();
          setPage(1);
          setQuery(search.trim().replace(/[{}&|"]/g, ''));
        }}
      >
        <label className="sr-only" htmlFor="company-search">
          Search companies
        </label>
        <input
          id="company-search"
          className="input"
          style={{ maxWidth: 320 }}
          placeholder="Search by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <Button type="submit">Search</Button>
      </form>
      <ErrorCallout error={list.error} title="Could not load companies" />
      {list.loading && !list.data ? <Spinner label="Loading companies" /> : null}
      {list.data && list.data.results.length === 0 ? (
        <div className="card">
          <EmptyState title={query ? 'No company matches that search' : 'No companies yet'}>
            <p>Create a test company, then request its data to try the Link flow yourself.</p>
            <Button variant="primary" onClick={() => setCreating(true)}>
              Create a test company
            </Button>
          </EmptyState>
        </div>
      ) : null}
      {list.data && list.data.results.length > 0 ? (
        <>
          <div className="table-wrap">
            <table>
              <caption className="sr-only">Companies</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Connection</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.results.map((c) => {
                  const conn = c.dataConnections?.[0];
                  return (
                    <tr key={c.id}>
                      <td>
                        <a
                          href={`/portal/companies/${c.id}`}
                          onClick={(e) => {
                            e.preventDefault();
                            navigate(`/companies/${c.id}`);
                          }}
                        >
                          {c.name}
                        </a>
                        {c.description ? <div className="muted small">{c.description}</div> : null}
                      </td>
                      <td>
                        {conn ? (
                          <>
                            <StatusBadge status={conn.status} />{' '}
                            <span className="small muted">{conn.connectionInfo?.companyName ?? conn.platformName}</span>
                          </>
                        ) : (
                          <span className="muted small">Not connected</span>
                        )}
                      </td>
                      <td className="small">{formatDateTime(c.created)}</td>
                      <td className="small">{formatDateTime(c.lastSync)}</td>
                      <td className="num">
                        <Button onClick={() => setLinkFor(c)} aria-label={`Request data from ${c.name}`}>
                          Request data
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={PAGE_SIZE} total={list.data.totalResults} onPage={setPage} />
        </>
      ) : null}
      {creating ? (
        <CreateCompanyDialog
          onClose={() => setCreating(false)}
          onCreated={(c) => {
            setCreating(false);
            list.reload();
            setLinkFor(c);
          }}
        />
      ) : null}
      {linkFor ? <RequestDataDialog company={linkFor} onClose={() => setLinkFor(null)} /> : null}
    </>
  );
}

function CreateCompanyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (c: Company) => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setErrors({ name: 'Enter a company name.' });
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const c = await api<Company>('/companies', {
        method: 'POST',
        body: { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) },
      });
      toast(`Company “${c.name}” created.`);
      onCreated(c);
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.fieldErrors()).length) setErrors(err.fieldErrors());
      else setFormError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="New company"
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="create-company" busy={busy}>
            Create company
          </Button>
        </>
      }
    >
      <form id="create-company" onSubmit={submit} noValidate>
        <Field
          label="Company name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          hint="Letters, numbers, spaces and - ' , & @ . ? ! are allowed."
          data-autofocus
        />
        <Field
          label="Description (optional)"
          name="description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={errors.description}
        />
        <ErrorCallout error={formError} title="Could not create the company" />
      </form>
    </Dialog>
  );
}

export function RequestDataDialog({ company, onClose }: { company: Company; onClose: () => void }) {
  return (
    <Dialog
      title={`Request data from ${company.name}`}
      onClose={onClose}
      actions={
        <>
          <Button onClick={onClose}>Close</Button>
          <a className="btn btn-primary" href={company.redirect} target="_blank" rel="noreferrer">
            Open Link
          </a>
        </>
      }
    >
      <p>
        Send this Link URL to {company.name}. They open it, choose their accounting software, sign in and authorise
        access; their data then appears here.
      </p>
      <div className="link-box">
        <input
          className="input"
          readOnly
          value={company.redirect}
          aria-label="Link URL"
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={company.redirect} />
      </div>
      <p className="small muted" style={{ marginTop: 'var(--sp-3)' }}>
        Testing? Open the link yourself: in the demo, sign in with the simulator's demo Sage ID user.
      </p>
    </Dialog>
  );
}
