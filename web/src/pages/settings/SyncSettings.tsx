import { useEffect, useState } from 'react';
import { api } from '../../api/client.ts';
import type { SyncSetting, SyncSettings } from '../../api/types.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorCallout, Spinner } from '../../ui/Misc.tsx';
import { useToast } from '../../ui/Toast.tsx';

// Codat's portal offers None / Monthly / Weekly / Daily / Hourly; syncSchedule is in hours.
const SCHEDULES = [
  { hours: 0, label: 'None' },
  { hours: 720, label: 'Monthly' },
  { hours: 168, label: 'Weekly' },
  { hours: 24, label: 'Daily' },
  { hours: 1, label: 'Hourly' },
];

export function SyncSettingsPanel() {
  const toast = useToast();
  const res = useLoad((signal) => api<SyncSettings>('/profile/syncSettings', { signal }), []);
  const [rows, setRows] = useState<SyncSetting[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (res.data?.settings) setRows(res.data.settings);
  }, [res.data]);
  const update = (i: number, patch: Partial<SyncSetting>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      // Codat's verb for this resource is POST (it replaces every setting).
      await api('/profile/syncSettings', {
        method: 'POST',
        body: { settings: rows, overridesDefaults: res.data?.overridesDefaults ?? true },
      });
      toast('Sync settings saved.');
      res.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="sync-heading">
      <div className="card-header">
        <div>
          <h2 id="sync-heading" style={{ fontSize: 'var(--fs-lg)' }}>
            Sync settings
          </h2>
          <p className="muted small" style={{ margin: 0 }}>
            Defaults for every company: how often each data type refreshes and whether it is fetched when a company
            first connects. Sync at least monthly so Sage access (90-day refresh tokens) stays alive.
          </p>
        </div>
        <Button variant="primary" busy={busy} onClick={save} disabled={!rows.length}>
          Save
        </Button>
      </div>
      {res.loading && !res.data ? <Spinner label="Loading sync settings" /> : null}
      <ErrorCallout error={res.error ?? error} title="Sync settings" />
      {rows.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Data type</th>
                <th scope="col">Fetch on first link</th>
                <th scope="col">Frequency</th>
                <th scope="col">Months to sync</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.dataType}>
                  <td>{r.dataType}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Fetch ${r.dataType} on first link`}
                      checked={r.fetchOnFirstLink}
                      disabled={Boolean(r.isLocked)}
                      onChange={(e) => update(i, { fetchOnFirstLink: e.target.checked })}
                    />
                  </td>
                  <td>
                    <select
                      aria-label={`Sync frequency for ${r.dataType}`}
                      value={SCHEDULES.some((s) => s.hours === r.syncSchedule) ? r.syncSchedule : 'custom'}
                      disabled={Boolean(r.isLocked)}
                      onChange={(e) => update(i, { syncSchedule: Number(e.target.value) })}
                    >
                      {SCHEDULES.map((s) => (
                        <option key={s.hours} value={s.hours}>
                          {s.label}
                        </option>
                      ))}
                      {SCHEDULES.some((s) => s.hours === r.syncSchedule) ? null : (
                        <option value="custom">Every {r.syncSchedule} h</option>
                      )}
                    </select>
                  </td>
                  <td>
                    {r.dataType === 'balanceSheet' || r.dataType === 'profitAndLoss' ? (
                      <input
                        type="number"
                        min={1}
                        max={120}
                        className="input"
                        style={{ width: 90 }}
                        aria-label={`Months of ${r.dataType} to sync`}
                        value={r.monthsToSync ?? 24}
                        onChange={(e) => update(i, { monthsToSync: Number(e.target.value) })}
                      />
                    ) : (
                      <span className="muted">—</span>
                    )}
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
