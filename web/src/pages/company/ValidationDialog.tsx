import { api } from '../../api/client.ts';
import type { ValidationItem, ValidationResult } from '../../api/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useLoad } from '../../lib/useLoad.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { ErrorCallout, Spinner } from '../../ui/Misc.tsx';

function Items({ items, tone }: { items: ValidationItem[]; tone: 'danger' | 'warning' }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Message</th>
            <th scope="col">Item</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: results have no id
            <tr key={i}>
              <td>
                <Badge tone={tone}>{e.ruleId ?? e.validatorName ?? 'rule'}</Badge>
                {e.validatorName && e.ruleId ? <div className="muted small">{e.validatorName}</div> : null}
              </td>
              <td>{e.message}</td>
              <td className="mono small">{e.itemId ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A dataset's validation result: why a ValidationError happened (errors block the data; warnings do not). */
export function ValidationDialog({
  companyId,
  datasetId,
  dataType,
  onClose,
}: {
  companyId: string;
  datasetId: string;
  dataType: string;
  onClose: () => void;
}) {
  const res = useLoad(
    (signal) => api<ValidationResult>(`/companies/${companyId}/sync/${datasetId}/validation`, { signal }),
    [companyId, datasetId],
  );
  const v = res.data;
  return (
    <Dialog
      title={`Validation details: ${dataType}`}
      onClose={onClose}
      wide
      actions={<Button onClick={onClose}>Close</Button>}
    >
      {res.loading && !v ? <Spinner label="Loading validation results" /> : null}
      <ErrorCallout error={res.error} title="Could not load the validation results" />
      {v ? (
        <div className="stack">
          <p className="muted small">
            Dataset <span className="mono">{datasetId}</span>
            {v.dateTime ? ` · validated ${formatDateTime(v.dateTime)}` : ''}. Errors block this data type (the last good
            data stays available); warnings do not.
          </p>
          <h3>Errors ({v.errors?.length ?? 0})</h3>
          {v.errors?.length ? <Items items={v.errors} tone="danger" /> : <p className="muted">No errors.</p>}
          <h3>Warnings ({v.warnings?.length ?? 0})</h3>
          {v.warnings?.length ? <Items items={v.warnings} tone="warning" /> : <p className="muted">No warnings.</p>}
        </div>
      ) : null}
    </Dialog>
  );
}
