// Queueing syncs for the API, the scheduler and first-link: picks the company's linked connection(s), enforces
// one in-flight dataset per company and data type, and wakes the executor.
import type { DataType } from '../connectors/connector.ts';
import { DatasetInProgressError, type DatasetRow, queueDataset } from './datasets.ts';
import type { Executor } from './executor.ts';
import { companySettings, SYNCABLE_TYPES } from './settings.ts';
import type { Db } from './tables.ts';

export class SyncRequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'SyncRequestError';
  }
}

export interface SyncService {
  queue(
    tenantId: string,
    companyId: string,
    dataType: string,
    opts?: { connectionId?: string; full?: boolean; trigger?: DatasetRow['trigger'] },
  ): Promise<DatasetRow>;
  /** Every data type with fetchOnFirstLink on every linked connection; types already in flight are skipped. */
  queueAll(
    tenantId: string,
    companyId: string,
    opts?: { connectionId?: string; trigger?: 'all' | 'firstLink' },
  ): Promise<DatasetRow[]>;
}

export interface SyncServiceDeps {
  db: Db;
  executor: Pick<Executor, 'notify'>;
  clock?: () => Date;
}

async function linkedConnections(db: Db, companyId: string, connectionId?: string) {
  let q = db
    .selectFrom('connections')
    .select(['id', 'platform_key', 'status'])
    .where('company_id', '=', companyId)
    .orderBy('created');
  if (connectionId) q = q.where('id', '=', connectionId);
  const rows = await q.execute();
  if (connectionId && rows.length === 0)
    throw new SyncRequestError(404, `Connection ${connectionId} does not belong to company ${companyId}.`);
  const linked = rows.filter((r) => r.status === 'Linked');
  if (linked.length === 0) {
    throw new SyncRequestError(
      400,
      connectionId
        ? `Connection ${connectionId} is not Linked (status ${rows[0]?.status}); the user must complete or redo Link first.`
        : `Company ${companyId} has no Linked connection; send the user its Link URL and queue the sync once they have authorised access.`,
    );
  }
  return linked;
}

export function createSyncService(deps: SyncServiceDeps): SyncService {
  const clock = deps.clock ?? (() => new Date());
  return {
    async queue(tenantId, companyId, dataType, opts = {}) {
      if (!(SYNCABLE_TYPES as readonly string[]).includes(dataType)) {
        throw new SyncRequestError(404, `Datatype ${dataType} not supported. Supported: ${SYNCABLE_TYPES.join(', ')}.`);
      }
      const [conn] = await linkedConnections(deps.db, companyId, opts.connectionId);
      const row = await queueDataset(deps.db, {
        tenantId,
        companyId,
        connectionId: conn.id,
        dataType: dataType as DataType,
        full: opts.full,
        trigger: opts.trigger ?? 'manual',
        now: clock(),
      });
      await deps.executor.notify(row.id);
      return row;
    },
    async queueAll(tenantId, companyId, opts = {}) {
      const conns = await linkedConnections(deps.db, companyId, opts.connectionId);
      const settings = (await companySettings(deps.db, tenantId, companyId))
        .filter((s) => s.fetchOnFirstLink)
        .sort((a, b) => a.syncOrder - b.syncOrder);
      const out: DatasetRow[] = [];
      for (const conn of conns) {
        const base = clock().getTime();
        for (const [i, s] of settings.entries()) {
          try {
            const row = await queueDataset(deps.db, {
              tenantId,
              companyId,
              connectionId: conn.id,
              dataType: s.dataType,
              trigger: opts.trigger ?? 'all',
              // in syncOrder, one millisecond apart: executors take queued datasets oldest first
              now: new Date(base + i),
            });
            out.push(row);
          } catch (err) {
            if (!(err instanceof DatasetInProgressError)) throw err;
          }
        }
      }
      for (const r of out) await deps.executor.notify(r.id);
      return out;
    },
  };
}
