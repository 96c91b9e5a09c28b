// Datasets (Codat pull operations): queueing with one in flight per company and data type, claiming by a worker,
// checkpoints and heartbeats, final states, and the API views (PullOperation, DataStatus).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DataType } from '../connectors/connector.ts';
import { dialectOf } from '../store/json.ts';
import { type DatasetStatus, IN_FLIGHT, isErrored, progressFor, RUNNING } from './statuses.ts';
import type { DatasetsTable, Db } from './tables.ts';

export type DatasetRow = DatasetsTable;

/** Raised when a sync for the same company and data type is already queued or running (Codat's wording). */
export class DatasetInProgressError extends Error {
  constructor(
    readonly dataType: string,
    readonly companyId: string,
    readonly datasetId: string,
  ) {
    super(
      `Cannot queue ${dataType} sync for ${companyId} as previous sync ${datasetId} is still in progress. ` +
        'Wait for it to finish (GET /companies/{companyId}/data/history) and queue again.',
    );
    this.name = 'DatasetInProgressError';
  }
}

/** The worker no longer owns the dataset (the sweeper gave it to another worker); stop without writing. */
export class LeaseLostError extends Error {
  constructor(datasetId: string) {
    super(`Dataset ${datasetId} was taken over by another worker`);
    this.name = 'LeaseLostError';
  }
}

export interface QueueInput {
  tenantId: string;
  companyId: string;
  connectionId: string;
  dataType: DataType | string;
  /** force a full read even when an incremental one is possible */
  full?: boolean;
  /** manual | schedule | firstLink | all */
  trigger?: string;
  now: Date;
}

export const runningKey = (companyId: string, dataType: string) => `${companyId}|${dataType}`;

export async function queueDataset(db: Db, q: QueueInput): Promise<DatasetRow> {
  const key = runningKey(q.companyId, q.dataType);
  const row: DatasetRow = {
    id: randomUUID(),
    tenant_id: q.tenantId,
    company_id: q.companyId,
    connection_id: q.connectionId,
    data_type: q.dataType,
    status: 'Queued',
    status_description: null,
    error_message: null,
    requested: q.now.toISOString(),
    started: null,
    completed: null,
    progress: 0,
    running_key: key,
    is_full: q.full ? 1 : 0,
    direct: 0,
    direct_written: 0,
    after_token: null,
    sync_token: null,
    modified_since: null,
    from_date: null,
    cursor: null,
    ids_done: 0,
    pages: 0,
    records_fetched: 0,
    records_modified: 0,
    records_deleted: 0,
    high_water: null,
    attempts: 0,
    worker_id: null,
    heartbeat_at: null,
    run_after: null,
    validation: null,
    trigger: q.trigger ?? 'manual',
  };
  const res = await db
    .insertInto('datasets')
    .values(row)
    .onConflict((oc) => oc.column('running_key').doNothing())
    .executeTakeFirst();
  if (Number(res.numInsertedOrUpdatedRows ?? 0n) === 0) {
    const existing = await db.selectFrom('datasets').select('id').where('running_key', '=', key).executeTakeFirst();
    throw new DatasetInProgressError(q.dataType, q.companyId, existing?.id ?? 'unknown');
  }
  return row;
}

export async function getDataset(db: Db, id: string): Promise<DatasetRow | undefined> {
  return db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Serialises claims per connection across processes (PostgreSQL advisory lock; SQLite has one writer anyway). */
async function lockConnection(trx: Db, connectionId: string): Promise<void> {
  if (dialectOf(trx) === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`sync-conn:${connectionId}`}, 0))`.execute(trx);
  }
}

export type ClaimResult = { claimed: true; row: DatasetRow } | { claimed: false; reason: 'gone' | 'busy' | 'limit' };

/**
 * Takes a queued dataset for this worker (Queued -> Fetching), unless the connection already runs `perConnection`
 * syncs. Exactly one of several competing workers wins (conditional update).
 */
export async function claimDataset(
  db: Db,
  id: string,
  workerId: string,
  now: Date,
  perConnection: number,
): Promise<ClaimResult> {
  return db.transaction().execute(async (trx) => {
    const ds = await trx.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
    if (ds?.status !== 'Queued') return { claimed: false, reason: ds ? 'busy' : 'gone' };
    await lockConnection(trx, ds.connection_id);
    const running = await trx
      .selectFrom('datasets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('connection_id', '=', ds.connection_id)
      .where('status', 'in', RUNNING)
      .executeTakeFirst();
    if (Number(running?.n ?? 0) >= perConnection) return { claimed: false, reason: 'limit' };
    const iso = now.toISOString();
    const upd = await trx
      .updateTable('datasets')
      .set((eb) => ({
        status: 'Fetching',
        worker_id: workerId,
        heartbeat_at: iso,
        started: eb.fn.coalesce('started', sql<string>`${iso}`),
        attempts: eb('attempts', '+', 1),
        progress: progressFor('Fetching', ds.pages),
        status_description: null,
      }))
      .where('id', '=', id)
      .where('status', '=', 'Queued')
      .executeTakeFirst();
    if (Number(upd.numUpdatedRows) !== 1) return { claimed: false, reason: 'busy' };
    const row = await trx.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { claimed: true, row };
  });
}

export type OwnedPatch = Partial<Omit<DatasetRow, 'id'>> & {
  pagesInc?: number;
  fetchedInc?: number;
  writtenInc?: number;
};

/** The update of `updateOwned`, not yet run: it matches no row once this worker no longer owns the dataset. */
export function ownedUpdate(db: Db, id: string, workerId: string, patch: OwnedPatch) {
  const { pagesInc, fetchedInc, writtenInc, ...rest } = patch;
  return db
    .updateTable('datasets')
    .set((eb) => ({
      ...rest,
      ...(pagesInc ? { pages: eb('pages', '+', pagesInc) } : {}),
      ...(fetchedInc ? { records_fetched: eb('records_fetched', '+', fetchedInc) } : {}),
      ...(writtenInc ? { direct_written: eb('direct_written', '+', writtenInc) } : {}),
    }))
    .where('id', '=', id)
    .where('worker_id', '=', workerId)
    .where('status', 'in', RUNNING);
}

/** Updates fields only while this worker still owns the dataset; throws LeaseLostError otherwise. */
export async function updateOwned(db: Db, id: string, workerId: string, patch: OwnedPatch): Promise<void> {
  const res = await ownedUpdate(db, id, workerId, patch).executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new LeaseLostError(id);
}

export async function heartbeat(db: Db, id: string, workerId: string, now: Date): Promise<boolean> {
  const res = await db
    .updateTable('datasets')
    .set({ heartbeat_at: now.toISOString() })
    .where('id', '=', id)
    .where('worker_id', '=', workerId)
    .where('status', 'in', RUNNING)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Graceful shutdown: hand the dataset back (checkpoint kept) so the next worker resumes it. */
export async function releaseDataset(db: Db, id: string, workerId: string): Promise<void> {
  await db
    .updateTable('datasets')
    .set({ status: 'Queued', worker_id: null, status_description: 'Resuming from checkpoint after worker shutdown' })
    .where('id', '=', id)
    .where('worker_id', '=', workerId)
    .where('status', 'in', RUNNING)
    .execute();
}

/** Puts a claimed dataset back in the queue to run later (e.g. the per-connection limit was reached). */
export async function deferDataset(db: Db, id: string, runAfter: Date): Promise<void> {
  await db
    .updateTable('datasets')
    .set({ run_after: runAfter.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'Queued')
    .execute();
}

export interface FinishInput {
  status: DatasetStatus;
  now: Date;
  errorMessage?: string | null;
  statusDescription?: string | null;
  validation?: unknown;
  recordsModified?: number;
  recordsDeleted?: number;
  highWater?: string | null;
}

/** Final state; frees the company+dataType slot. `workerId` null = administrative (sweeper, cancel). */
export async function finishDataset(db: Db, id: string, workerId: string | null, f: FinishInput): Promise<boolean> {
  let q = db
    .updateTable('datasets')
    .set({
      status: f.status,
      completed: f.now.toISOString(),
      progress: 100,
      running_key: null,
      // worker_id stays: which worker finished the dataset (operations, tests); leases only apply while running
      error_message: f.errorMessage ?? null,
      status_description: f.statusDescription ?? null,
      ...(f.validation !== undefined ? { validation: JSON.stringify(f.validation) } : {}),
      ...(f.recordsModified !== undefined ? { records_modified: f.recordsModified } : {}),
      ...(f.recordsDeleted !== undefined ? { records_deleted: f.recordsDeleted } : {}),
      ...(f.highWater !== undefined ? { high_water: f.highWater } : {}),
    })
    .where('id', '=', id)
    .where('status', 'in', IN_FLIGHT);
  if (workerId) q = q.where('worker_id', '=', workerId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export interface SweepResult {
  requeued: string[];
  failed: string[];
}

/**
 * Finds running datasets whose worker stopped heartbeating (crashed, killed, stuck): they go back to Queued and
 * resume from their checkpoint, or, after `maxAttempts`, end in InternalError with a message saying so.
 */
export async function sweepStale(db: Db, now: Date, staleAfterMs: number, maxAttempts: number): Promise<SweepResult> {
  const cutoff = new Date(now.getTime() - staleAfterMs).toISOString();
  const stale = await db
    .selectFrom('datasets')
    .select(['id', 'attempts'])
    .where('status', 'in', RUNNING)
    .where('heartbeat_at', '<', cutoff)
    .execute();
  const out: SweepResult = { requeued: [], failed: [] };
  for (const s of stale) {
    if (s.attempts >= maxAttempts) {
      const ok = await db
        .updateTable('datasets')
        .set({
          status: 'InternalError',
          completed: now.toISOString(),
          progress: 100,
          running_key: null,
          worker_id: null,
          error_message: `The sync stopped responding ${s.attempts} times (no heartbeat for ${Math.round(staleAfterMs / 1000)} s) and was abandoned. Queue it again; if it keeps failing, check the worker logs.`,
        })
        .where('id', '=', s.id)
        .where('status', 'in', RUNNING)
        .where('heartbeat_at', '<', cutoff)
        .executeTakeFirst();
      if (Number(ok.numUpdatedRows) === 1) {
        await db.deleteFrom('record_stage').where('dataset_id', '=', s.id).execute();
        await db.deleteFrom('record_id_stage').where('dataset_id', '=', s.id).execute();
        out.failed.push(s.id);
      }
    } else {
      const ok = await db
        .updateTable('datasets')
        .set({
          status: 'Queued',
          worker_id: null,
          status_description: 'Worker stopped responding; resuming from the last checkpoint',
        })
        .where('id', '=', s.id)
        .where('status', 'in', RUNNING)
        .where('heartbeat_at', '<', cutoff)
        .executeTakeFirst();
      if (Number(ok.numUpdatedRows) === 1) out.requeued.push(s.id);
    }
  }
  return out;
}

/** Queued datasets ready to run, oldest first. */
export async function dueQueued(db: Db, now: Date, limit: number): Promise<DatasetRow[]> {
  return db
    .selectFrom('datasets')
    .selectAll()
    .where('status', '=', 'Queued')
    .where((eb) => eb.or([eb('run_after', 'is', null), eb('run_after', '<=', now.toISOString())]))
    .orderBy('requested')
    .limit(limit)
    .execute();
}

/** The last Complete dataset of a company and data type (for incremental starts and data status). */
export async function lastComplete(db: Db, companyId: string, dataType: string): Promise<DatasetRow | undefined> {
  return db
    .selectFrom('datasets')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('data_type', '=', dataType)
    .where('status', '=', 'Complete')
    .orderBy('completed', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** When the last complete full read of a company's data type finished (epoch ms; 0 = never). */
export async function lastFullAt(db: Db, companyId: string, dataType: string): Promise<number> {
  const row = await db
    .selectFrom('datasets')
    .select('completed')
    .where('company_id', '=', companyId)
    .where('data_type', '=', dataType)
    .where('status', '=', 'Complete')
    .where('is_full', '=', 1)
    .orderBy('completed', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.completed ? Date.parse(row.completed) : 0;
}

/** When a complete dataset last checked the type for deletions (a full read, or an id listing); epoch ms, 0 = never. */
export async function lastDeletionCheckAt(db: Db, companyId: string, dataType: string): Promise<number> {
  const row = await db
    .selectFrom('datasets')
    .select('completed')
    .where('company_id', '=', companyId)
    .where('data_type', '=', dataType)
    .where('status', '=', 'Complete')
    .where((eb) => eb.or([eb('is_full', '=', 1), eb('ids_done', '=', 1)]))
    .orderBy('completed', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.completed ? Date.parse(row.completed) : 0;
}

/** Codat `PullOperation` view of a row. */
export function toPullOperation(r: DatasetRow) {
  return {
    id: r.id,
    companyId: r.company_id,
    connectionId: r.connection_id,
    dataType: r.data_type,
    status: r.status as DatasetStatus,
    statusDescription: r.status_description,
    errorMessage: r.error_message,
    requested: r.requested,
    ...(r.completed ? { completed: r.completed } : {}),
    progress: r.progress,
    isCompleted: r.status === 'Complete',
    isErrored: isErrored(r.status),
  };
}
export type PullOperation = ReturnType<typeof toPullOperation>;

/** Codat `DataStatuses`: per data type, the latest sync and the latest successful one. */
export async function dataStatus(db: Db, companyId: string): Promise<Record<string, unknown>> {
  const rows = await db
    .selectFrom('datasets')
    .select(['id', 'data_type', 'status', 'requested', 'completed'])
    .where('company_id', '=', companyId)
    .orderBy('requested')
    .execute();
  const out: Record<
    string,
    {
      dataType: string;
      currentStatus: string;
      latestSyncId: string;
      lastSuccessfulSync?: string;
      latestSuccessfulSyncId?: string;
    }
  > = {};
  for (const r of rows) {
    const prev = out[r.data_type];
    out[r.data_type] = {
      ...(prev ?? {}),
      dataType: r.data_type,
      currentStatus: r.status,
      latestSyncId: r.id,
    };
    if (r.status === 'Complete') {
      out[r.data_type].lastSuccessfulSync = r.completed ?? r.requested;
      out[r.data_type].latestSuccessfulSyncId = r.id;
    }
  }
  return out;
}
