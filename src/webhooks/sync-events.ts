// read.completed (per dataset) and read.completed.initial (once every data type queued on first link has
// finished), recorded in the same transaction as the dataset's final state.

import type { DatasetRow } from '../sync/datasets.ts';
import type { FinishedSummary } from '../sync/pipeline.ts';
import { recordEvent } from './outbox.ts';
import { toApiCompanyRef } from './payloads.ts';
import type { Db } from './tables.ts';

function summaryOf(ds: DatasetRow, recordsModified: boolean, publicUrl: string) {
  const v = ds.validation ? (JSON.parse(ds.validation) as { errors?: unknown[]; warnings?: unknown[] }) : null;
  const logs = { href: `${publicUrl}/companies/${ds.company_id}/sync/${ds.id}/validation` };
  const issues = [
    ...(v?.errors?.length
      ? [{ type: 'error.validation', message: `${v.errors.length} validation error(s)`, links: { logs } }]
      : []),
    ...(v?.warnings?.length
      ? [{ type: 'warning.validation', message: `${v.warnings.length} validation warning(s)`, links: { logs } }]
      : []),
    ...(ds.error_message && !v?.errors?.length
      ? [{ type: `error.${ds.status}`, message: ds.error_message, links: { logs } }]
      : []),
  ];
  return {
    connectionId: ds.connection_id,
    dataType: ds.data_type,
    recordsModified,
    status: ds.status,
    issues,
  };
}

export function readCompletedRecorder(options: { publicUrl: string; onRecorded?: () => void }) {
  return async (trx: Db, s: FinishedSummary): Promise<void> => {
    const ds = s.dataset;
    const referenceCompany = await toApiCompanyRef(trx, ds.company_id, options.publicUrl);
    const now = new Date(ds.completed ?? Date.now());
    await recordEvent(trx, {
      tenantId: ds.tenant_id,
      companyId: ds.company_id,
      eventType: 'read.completed',
      payload: {
        referenceCompany,
        modifiedFromDate: ds.modified_since,
        dataTypes: [summaryOf(ds, s.recordsModified, options.publicUrl)],
      },
      now,
    });
    if (ds.trigger === 'firstLink') {
      const firstLink = await trx
        .selectFrom('datasets')
        .selectAll()
        .where('company_id', '=', ds.company_id)
        .where('trigger', '=', 'firstLink')
        .execute();
      const pending = firstLink.some((d) => d.running_key !== null);
      // Only the first complete round of first-link datasets counts: emit once.
      const already = await trx
        .selectFrom('webhook_events')
        .select('id')
        .where('company_id', '=', ds.company_id)
        .where('event_type', '=', 'read.completed.initial')
        .executeTakeFirst();
      if (!pending && !already) {
        await recordEvent(trx, {
          tenantId: ds.tenant_id,
          companyId: ds.company_id,
          eventType: 'read.completed.initial',
          payload: {
            referenceCompany,
            modifiedFromDate: null,
            dataTypes: firstLink.map((d) =>
              summaryOf(d, d.records_modified + d.records_deleted > 0, options.publicUrl),
            ),
          },
          now,
        });
      }
    }
    if (options.onRecorded) setTimeout(options.onRecorded, 50).unref();
  };
}
