// Runs one dataset through Codat's stages: Fetching (pages staged with their checkpoint in one transaction) ->
// deletion id listing (incremental) -> Mapping -> Validating -> Processing (merge into the visible records,
// status Complete and the outbox event in one transaction). Resumes from the checkpoint after a crash.
import type { Logger } from 'pino';
import { type ConnectionContext, type Connector, ConnectorError, type DataType } from '../connectors/connector.ts';
import { dialectOf } from '../store/json.ts';
import {
  claimDataset,
  type DatasetRow,
  finishDataset,
  getDataset,
  heartbeat,
  LeaseLostError,
  lastComplete,
  lastDeletionCheckAt,
  lastFullAt,
  type OwnedPatch,
  ownedUpdate,
  releaseDataset,
  updateOwned,
} from './datasets.ts';
import { prefetch } from './prefetch.ts';
import {
  clearStage,
  commitPagePg,
  discardDirect,
  isUniqueViolation,
  mergeStage,
  readStage,
  stageIds,
  stageRows,
  toStagedRow,
  writeDirect,
} from './records-store.ts';
import { companySettings, fromDateFor, REPORT_TYPES } from './settings.ts';
import { type DatasetStatus, progressFor, statusForConnectorError } from './statuses.ts';
import type { Db } from './tables.ts';

export interface ValidationItem {
  ruleId: string;
  itemId: string;
  message: string;
  validatorName: string;
}
export interface ValidationOutcome {
  errors: ValidationItem[];
  warnings: ValidationItem[];
}
export type Validate = (
  dataType: DataType,
  records: Record<string, unknown>[],
  ctx: { companyId: string; connectionId: string; dataType: DataType },
) => ValidationOutcome | Promise<ValidationOutcome>;

export interface ResolvedConnection {
  connector: Connector;
  ctx: ConnectionContext;
}

export interface FinishedSummary {
  dataset: DatasetRow;
  recordsModified: boolean;
  validation?: ValidationOutcome;
}

export interface PipelineDeps {
  db: Db;
  logger: Logger;
  clock?: () => Date;
  /** Builds the connector context (credentials, token provider) for a connection. */
  resolveConnection(connectionId: string, signal: AbortSignal): Promise<ResolvedConnection>;
  validate?: Validate;
  /** Called inside the transaction that records the final state (webhooks outbox). */
  onFinished?(trx: Db, summary: FinishedSummary): Promise<void>;
  /** Called after a connector AuthError (the platform marks the connection deauthorized). */
  onAuthError?(connectionId: string, message: string): Promise<void>;
  options?: Partial<PipelineOptions>;
}

export interface PipelineOptions {
  pageSize?: number;
  /** incremental reads start this long before the previous high-water mark (clock skew, late commits) */
  overlapMs: number;
  heartbeatMs: number;
  perConnection: number;
  maxAttempts: number;
  /** base delay before retrying a RateLimitError/FetchError from its checkpoint */
  retryDelayMs: number;
  /**
   * Connectors without `listIds` cannot reconcile ids on an incremental read, so a full read (which detects
   * deletions by absence) runs when the last full one is older than this.
   */
  fullResyncAfterMs: number;
  /**
   * An incremental sync lists the source's ids (deletion check) only when the last check of the type (a full read or
   * an id listing) is older than this: a listing is a pass over every id, which would dominate frequent incrementals
   * of a large ledger. The default (12 h) puts a check into every daily scheduled sync.
   */
  deletionCheckAfterMs: number;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  overlapMs: 10 * 60_000,
  heartbeatMs: 5_000,
  perConnection: 2,
  maxAttempts: 5,
  retryDelayMs: 30_000,
  fullResyncAfterMs: 7 * 86_400_000,
  deletionCheckAfterMs: 12 * 3_600_000,
};

/** Types read whole every time (statements are re-aggregated; company info has one record). */
const ALWAYS_FULL = new Set(['company', ...REPORT_TYPES]);
const MAX_ITEMS = 1000;

export type RunOutcome = DatasetStatus | 'skipped' | 'limit' | 'released' | 'lost' | 'retrying';

function canListIds(connector: Connector, dataType: DataType): boolean {
  return !!connector.listIds && (connector.canListIds?.(dataType) ?? true);
}

/** Parses a source timestamp; Sage gives local times without a zone, read here as UTC (see docs/sync.md). */
export function parseSourceDate(s: string): Date {
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`);
}

export async function runDataset(
  deps: PipelineDeps,
  datasetId: string,
  workerId: string,
  shutdown?: AbortSignal,
): Promise<RunOutcome> {
  const { db, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const opt = { ...DEFAULT_PIPELINE_OPTIONS, ...deps.options };

  const t0 = performance.now();
  /** milliseconds from the start of the run at each phase (logged with the outcome, for operators and benchmarks) */
  const at: Record<string, number> = {};
  const mark = (phase: string) => {
    at[phase] = Math.round(performance.now() - t0);
  };
  const claim = await claimDataset(db, datasetId, workerId, clock(), opt.perConnection);
  mark('claimed');
  if (!claim.claimed) return claim.reason === 'limit' ? 'limit' : 'skipped';
  let ds = claim.row;
  const dataType = ds.data_type as DataType;
  const log = logger.child({ datasetId, dataType, companyId: ds.company_id, workerId });

  // The lease: lost when another worker takes the dataset over; aborted on shutdown.
  const lease = new AbortController();
  const onShutdown = () => lease.abort(new Error('shutdown'));
  shutdown?.addEventListener('abort', onShutdown, { once: true });
  const beat = setInterval(() => {
    heartbeat(db, datasetId, workerId, clock()).then(
      (ok) => {
        if (!ok) lease.abort(new LeaseLostError(datasetId));
      },
      (err) => log.warn({ err }, 'heartbeat failed'),
    );
  }, opt.heartbeatMs);
  beat.unref();

  const fail = async (status: DatasetStatus, message: string, validation?: ValidationOutcome) => {
    await clearStage(db, datasetId);
    if (ds.direct) await discardDirect(db, ds.company_id, dataType);
    await db.transaction().execute(async (trx) => {
      const ok = await finishDataset(trx, datasetId, workerId, {
        status,
        now: clock(),
        errorMessage: message,
        ...(validation ? { validation } : {}),
      });
      if (!ok) throw new LeaseLostError(datasetId);
      const row = await getDataset(trx, datasetId);
      if (row) await deps.onFinished?.(trx, { dataset: row, recordsModified: false, validation });
    });
    return status;
  };

  try {
    const { connector, ctx } = await deps.resolveConnection(ds.connection_id, lease.signal);
    mark('resolved');
    ctx.signal = lease.signal;
    if (!connector.dataTypes.some((d) => d.dataType === dataType && d.read)) {
      return await fail('NotSupported', `${connector.name} does not support reading ${dataType}.`);
    }

    // First start: decide full or incremental and the sync window, and persist the decision with the dataset.
    if (ds.pages === 0 && ds.cursor === null) {
      const now = clock();
      const settings = await companySettings(db, ds.tenant_id, ds.company_id);
      const from = fromDateFor(
        settings.find((s) => s.dataType === dataType),
        now,
      );
      const everComplete = await lastComplete(db, ds.company_id, dataType);
      const prev = ds.is_full || ALWAYS_FULL.has(dataType) ? undefined : everComplete;
      let since = prev?.high_water ? new Date(parseSourceDate(prev.high_water).getTime() - opt.overlapMs) : null;
      // Append-only sources without update stamps continue after the last read's token instead.
      let after = !since && prev?.sync_token ? prev.sync_token : null;
      // Without an id listing only a full read detects deletions: run one when the last is too old.
      if (
        (since || after) &&
        !canListIds(connector, dataType) &&
        (await lastFullAt(db, ds.company_id, dataType)) < now.getTime() - opt.fullResyncAfterMs
      ) {
        since = null;
        after = null;
      }
      // First load: nothing visible to protect, so pages go straight into `records` (rows an abandoned first load
      // left behind are removed first; they were never visible).
      const direct = !since && !after && !everComplete ? 1 : 0;
      if (direct) await discardDirect(db, ds.company_id, dataType);
      const patch = {
        is_full: since || after ? 0 : 1,
        direct,
        after_token: after,
        sync_token: after,
        modified_since: since ? since.toISOString() : null,
        from_date: from ? from.toISOString() : null,
      };
      await updateOwned(db, datasetId, workerId, patch);
      ds = { ...ds, ...patch };
    }

    // Record-level rules run on each page as it is mapped (no read-back of a million stored records); their findings
    // are committed with the page's checkpoint, so a resumed sync keeps them. Statements and company info are
    // validated whole, after fetching (cross-month rules).
    const vctx = { companyId: ds.company_id, connectionId: ds.connection_id, dataType };
    const wholeValidation = REPORT_TYPES.has(dataType) || dataType === 'company';
    const found: ValidationOutcome = ds.validation
      ? (JSON.parse(ds.validation) as ValidationOutcome)
      : { errors: [], warnings: [] };

    // Fetching: each page and its cursor are committed together (the checkpoint).
    if (ds.cursor !== 'done') {
      const pages = connector.read(ctx, dataType, {
        ...(ds.modified_since ? { modifiedSince: new Date(ds.modified_since) } : {}),
        ...(ds.from_date ? { from: new Date(ds.from_date) } : {}),
        ...(ds.cursor ? { cursor: ds.cursor } : {}),
        ...(ds.after_token ? { after: ds.after_token } : {}),
        ...(opt.pageSize ? { pageSize: opt.pageSize } : {}),
      });
      let pageCount = ds.pages;
      // a first load keeps its high-water mark with each checkpoint (there is no stage to take it from)
      let highWater = ds.high_water;
      const target = {
        datasetId,
        companyId: ds.company_id,
        connectionId: ds.connection_id,
        dataType,
        now: clock().toISOString(),
      };
      const onPostgres = dialectOf(db) === 'postgres';
      mark('reading');
      for await (const page of prefetch(pages)) {
        if (at.firstPage === undefined) mark('firstPage');
        if (lease.signal.aborted) break;
        let foundMore = false;
        if (deps.validate && !wholeValidation && page.records.length > 0) {
          const r = await deps.validate(dataType, page.records, vctx);
          foundMore = r.errors.length + r.warnings.length > 0;
          found.errors.push(...r.errors.slice(0, MAX_ITEMS - found.errors.length));
          found.warnings.push(...r.warnings.slice(0, MAX_ITEMS - found.warnings.length));
        }
        const rows = page.records.map(toStagedRow);
        pageCount++;
        const token = page.nextSync && page.nextSync !== ds.sync_token ? page.nextSync : undefined;
        if (ds.direct)
          for (const r of rows)
            if (r.source_modified_date && (!highWater || r.source_modified_date > highWater))
              highWater = r.source_modified_date;
        const checkpoint = (written: number): OwnedPatch => ({
          cursor: page.cursor,
          pagesInc: 1,
          fetchedInc: rows.length,
          writtenInc: written,
          heartbeat_at: clock().toISOString(),
          progress: progressFor('Fetching', pageCount),
          ...(ds.direct ? { high_water: highWater } : {}),
          ...(foundMore ? { validation: JSON.stringify(found) } : {}),
          ...(token ? { sync_token: token } : {}),
        });
        const commitPage = async (mode: 'insert' | 'upsert') => {
          if (onPostgres && rows.length > 0 && (mode === 'insert' || !ds.direct)) {
            // one statement (see commitPagePg); an insert writes every row of the page, so they are all new
            const into = ds.direct ? { direct: target } : { stage: datasetId };
            const written = ds.direct ? rows.length : 0;
            const own = ownedUpdate(db, datasetId, workerId, checkpoint(written));
            if (!(await commitPagePg(db, own, into, rows))) throw new LeaseLostError(datasetId);
            return;
          }
          await db.transaction().execute(async (trx) => {
            const written = ds.direct ? await writeDirect(trx, target, rows, mode) : 0;
            if (!ds.direct) await stageRows(trx, datasetId, rows);
            await updateOwned(trx, datasetId, workerId, checkpoint(written));
          });
        };
        // a first load inserts; a page holding an id already written (re-read after a crash) is upserted instead
        await commitPage('insert').catch((err: unknown) => {
          if (ds.direct && isUniqueViolation(err)) return commitPage('upsert');
          throw err;
        });
        if (token) ds = { ...ds, sync_token: token };
      }
      if (lease.signal.aborted) throw lease.signal.reason;
      await updateOwned(db, datasetId, workerId, { cursor: 'done' });
    }

    // Deletions: a full read stages every record; an incremental one lists the source's ids (if it can).
    let deletions: 'all' | 'ids' | 'none' = ds.is_full ? 'all' : 'none';
    const warnings: ValidationItem[] = [];
    const checkDue = async () =>
      ds.ids_done === 1 ||
      (await lastDeletionCheckAt(db, ds.company_id, dataType)) <= clock().getTime() - opt.deletionCheckAfterMs;
    if (!ds.is_full && connector.listIds && canListIds(connector, dataType) && (await checkDue())) {
      if (!ds.ids_done) {
        try {
          await db.deleteFrom('record_id_stage').where('dataset_id', '=', datasetId).execute();
          const window = ds.from_date ? { from: new Date(ds.from_date) } : {};
          for await (const ids of connector.listIds(ctx, dataType, window)) {
            if (lease.signal.aborted) throw lease.signal.reason;
            await db.transaction().execute(async (trx) => {
              await stageIds(trx, datasetId, ids);
              await updateOwned(trx, datasetId, workerId, { heartbeat_at: clock().toISOString() });
            });
          }
          await updateOwned(db, datasetId, workerId, { ids_done: 1 });
          deletions = 'ids';
        } catch (err) {
          if (!(err instanceof ConnectorError)) throw err;
          // A reconciliation that fails deletes nothing.
          warnings.push({
            ruleId: 'sync-deletions-skipped',
            itemId: dataType,
            message: `Deleted records were not detected this time: listing ids failed (${err.message}).`,
            validatorName: 'SyncEngine',
          });
        }
      } else deletions = 'ids';
    }

    mark('fetched');
    await updateOwned(db, datasetId, workerId, { status: 'Mapping', progress: progressFor('Mapping') });

    // Validating: whole statements at once (cross-month rules), other types chunk by chunk.
    await updateOwned(db, datasetId, workerId, { status: 'Validating', progress: progressFor('Validating') });
    const outcome: ValidationOutcome = {
      errors: found.errors,
      warnings: [...found.warnings, ...warnings].slice(0, MAX_ITEMS),
    };
    if (deps.validate && wholeValidation) {
      const direct = ds.direct ? { companyId: ds.company_id, dataType } : undefined;
      for await (const records of readStage(db, datasetId, 1_000_000, direct)) {
        const r = await deps.validate(dataType, records, vctx);
        outcome.errors.push(...r.errors.slice(0, MAX_ITEMS - outcome.errors.length));
        outcome.warnings.push(...r.warnings.slice(0, MAX_ITEMS - outcome.warnings.length));
        if (lease.signal.aborted) throw lease.signal.reason;
      }
    }
    if (outcome.errors.length > 0) {
      const first = outcome.errors[0];
      return await fail(
        'ValidationError',
        `${outcome.errors.length} validation error(s); the previous data is kept. First: ${first.message}`,
        outcome,
      );
    }

    // Processing: merge, final state and outbox event commit together.
    mark('validated');
    await updateOwned(db, datasetId, workerId, { status: 'Processing', progress: progressFor('Processing') });
    const result = await db.transaction().execute(async (trx) => {
      const now = clock();
      const current = ds.direct ? await getDataset(trx, datasetId) : undefined;
      const merged = current
        ? { modified: current.direct_written, deleted: 0, highWater: current.high_water ?? null }
        : await mergeStage(trx, {
            datasetId,
            companyId: ds.company_id,
            connectionId: ds.connection_id,
            dataType,
            now: now.toISOString(),
            deletions,
          });
      const prev = await lastComplete(trx, ds.company_id, dataType);
      const hw = [prev?.high_water, merged.highWater].filter((x): x is string => !!x).sort();
      const ok = await finishDataset(trx, datasetId, workerId, {
        status: 'Complete',
        now,
        validation: outcome,
        recordsModified: merged.modified,
        recordsDeleted: merged.deleted,
        highWater: hw.length ? hw[hw.length - 1] : null,
      });
      if (!ok) throw new LeaseLostError(datasetId);
      const row = await getDataset(trx, datasetId);
      if (row) {
        await deps.onFinished?.(trx, {
          dataset: row,
          recordsModified: merged.modified + merged.deleted > 0,
          validation: outcome,
        });
      }
      return merged;
    });
    mark('complete');
    log.info({ modified: result.modified, deleted: result.deleted, ms: at }, 'dataset complete');
    return 'Complete';
  } catch (err) {
    if (err instanceof LeaseLostError || lease.signal.reason instanceof LeaseLostError) {
      log.warn('dataset taken over by another worker; stopping');
      return 'lost';
    }
    if (lease.signal.aborted) {
      await releaseDataset(db, datasetId, workerId);
      log.info('shutdown: dataset released at its checkpoint');
      return 'released';
    }
    if (err instanceof ConnectorError) {
      const status = statusForConnectorError(err.kind);
      const current = await getDataset(db, datasetId);
      const attempts = current?.attempts ?? opt.maxAttempts;
      if ((status === 'RateLimitError' || status === 'FetchError') && attempts < opt.maxAttempts) {
        const delay = Math.max((err.details.retryAfterSeconds ?? 0) * 1000, opt.retryDelayMs * 2 ** (attempts - 1));
        await db
          .updateTable('datasets')
          .set({
            status: 'Queued',
            worker_id: null,
            run_after: new Date(clock().getTime() + delay).toISOString(),
            status_description: `Retrying from the last checkpoint after: ${err.message}`,
          })
          .where('id', '=', datasetId)
          .where('worker_id', '=', workerId)
          .execute();
        log.warn({ kind: err.kind, delay }, 'transient source error; retrying from checkpoint');
        return 'retrying';
      }
      if (status === 'AuthError') await deps.onAuthError?.(ds.connection_id, err.message).catch(() => {});
      log.warn({ kind: err.kind, msg: err.message }, 'dataset failed');
      return await fail(status, err.message).catch(() => 'lost' as const);
    }
    log.error({ err }, 'dataset failed with an internal error');
    const msg = err instanceof Error ? err.message : String(err);
    return await fail('InternalError', `Internal error while syncing ${dataType}: ${msg}`).catch(() => 'lost' as const);
  } finally {
    clearInterval(beat);
    shutdown?.removeEventListener('abort', onShutdown);
  }
}
