// Wires the sync engine for a process: pipeline + executor (embedded or pg-boss), the queueing service, the
// scheduler, fetch on first link, and the webhook delivery loop. `serve` and `worker` create one; routes find it as
// `app.deps.services.sync` (SyncEngine) and fall back to a queue-only service when it is absent.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DataType } from '../connectors/connector.ts';
import { getConnector, getDescriptor } from '../connectors/registry.ts';
import type { EventBus } from '../platform/events.ts';
import type { Keyring } from '../platform/secrets.ts';
import { readTokens } from '../platform/tokens.ts';
import type { Dialect } from '../store/json.ts';
import { createDeliveryWorker, type DeliveryWorker } from '../webhooks/delivery.ts';
import { subscribeConnectionEvents, warnTokenExpiring } from '../webhooks/platform-events.ts';
import { readCompletedRecorder } from '../webhooks/sync-events.ts';
import { createConnectionResolver } from './connection-context.ts';
import { DEFAULT_WORKER_OPTIONS, type Executor, type WorkerOptions } from './executor.ts';
import { createEmbeddedExecutor } from './executor-embedded.ts';
import { createPgBossExecutor } from './executor-pgboss.ts';
import type { FinishedSummary, PipelineDeps, PipelineOptions, Validate } from './pipeline.ts';
import { parseContent } from './records-store.ts';
import { createScheduler, type Scheduler } from './scheduler.ts';
import { createSyncService, type SyncService } from './service.ts';
import type { Db } from './tables.ts';

export interface SyncEngineOptions {
  config: Pick<Config, 'sage' | 'publicUrl' | 'database'>;
  db: Db;
  dialect: Dialect;
  keyring: Keyring;
  logger: Logger;
  events?: EventBus;
  clock?: () => Date;
  /**
   * embedded: run datasets, scheduler and webhooks in this process (SQLite, or a single PostgreSQL process);
   * worker: the same through pg-boss (PostgreSQL); producer: only queue (an API server beside separate workers).
   */
  role: 'embedded' | 'worker' | 'producer';
  worker?: Partial<WorkerOptions>;
  pipeline?: Partial<PipelineOptions>;
  webhooks?: { retryScheduleMs?: number[]; timeoutMs?: number; pollMs?: number };
  schedulerTickMs?: number;
  /** test seam: replaces the platform connection resolver */
  resolveConnection?: PipelineDeps['resolveConnection'];
  /** defaults to src/validation's validateDataset when that module is present */
  validate?: Validate | null;
}

export interface SyncEngine {
  service: SyncService;
  executor: Executor;
  scheduler: Scheduler;
  delivery: DeliveryWorker;
  workerId: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The company's base currency from its synced company info (validation needs it for currency rules). */
async function baseCurrencyOf(db: Db, companyId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('records')
    .select('content')
    .where('company_id', '=', companyId)
    .where('data_type', '=', 'company')
    .executeTakeFirst();
  if (!row) return undefined;
  const c = parseContent(row.content) as { baseCurrency?: string };
  return typeof c.baseCurrency === 'string' ? c.baseCurrency : undefined;
}

async function loadValidator(db: Db, logger: Logger): Promise<Validate | undefined> {
  try {
    const mod = (await import(new URL('../validation/index.ts', import.meta.url).href)) as {
      validateDataset?: (t: DataType, r: unknown[], ctx: unknown) => unknown;
    };
    const fn = mod.validateDataset;
    if (typeof fn !== 'function') return undefined;
    // once per dataset run (its context object), not per page: a round trip per page added up at 1,000 pages
    const baseCurrencies = new WeakMap<object, Promise<string | undefined>>();
    return async (dataType, records, ctx) => {
      let pending = baseCurrencies.get(ctx);
      if (!pending) {
        pending = baseCurrencyOf(db, ctx.companyId);
        baseCurrencies.set(ctx, pending);
      }
      const baseCurrency = await pending;
      const r = (await fn(dataType, records, baseCurrency ? { baseCurrency } : {})) as {
        errors?: unknown[];
        warnings?: unknown[];
      };
      return { errors: (r.errors ?? []) as never[], warnings: (r.warnings ?? []) as never[] };
    };
  } catch (err) {
    logger.debug({ err }, 'no validation module; datasets are not validated');
    return undefined;
  }
}

export async function createSyncEngine(o: SyncEngineOptions): Promise<SyncEngine> {
  const clock = o.clock ?? (() => new Date());
  const workerId = o.worker?.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const workerOptions: WorkerOptions = { ...DEFAULT_WORKER_OPTIONS, ...o.worker, workerId };
  const delivery = createDeliveryWorker({ db: o.db, keyring: o.keyring, logger: o.logger, clock, ...o.webhooks });
  const recordReadCompleted = readCompletedRecorder({
    publicUrl: o.config.publicUrl,
    onRecorded: () => delivery.kick(),
  });
  const validate = o.validate === null ? undefined : (o.validate ?? (await loadValidator(o.db, o.logger)));

  const pipelineDeps: PipelineDeps = {
    db: o.db,
    logger: o.logger,
    clock,
    resolveConnection:
      o.resolveConnection ??
      createConnectionResolver({
        db: o.db,
        keyring: o.keyring,
        config: o.config,
        logger: o.logger,
        events: o.events,
        clock,
      }),
    validate,
    async onFinished(trx, s: FinishedSummary) {
      if (s.dataset.status === 'Complete') {
        const at = s.dataset.completed ?? clock().toISOString();
        await trx.updateTable('companies').set({ last_sync: at }).where('id', '=', s.dataset.company_id).execute();
        await trx.updateTable('connections').set({ last_sync: at }).where('id', '=', s.dataset.connection_id).execute();
      }
      await recordReadCompleted(trx, s);
    },
    options: o.pipeline,
  };

  let executor: Executor;
  if (o.dialect === 'postgres' && o.role !== 'embedded' && o.config.database.dialect === 'postgres') {
    const schema = o.config.database.schema ? `${o.config.database.schema}_boss` : 'pgboss';
    executor = createPgBossExecutor(
      pipelineDeps,
      { connectionString: o.config.database.url, schema },
      { ...workerOptions, role: o.role === 'worker' ? 'worker' : 'producer' },
    );
  } else {
    executor = createEmbeddedExecutor(pipelineDeps, workerOptions);
  }

  const service = createSyncService({ db: o.db, executor, clock });
  const supportCache = new Map<string, Set<string>>();
  const scheduler = createScheduler({
    db: o.db,
    executor,
    logger: o.logger,
    clock,
    tickMs: o.schedulerTickMs,
    supports: (platformKey, dataType) => supportCache.get(platformKey)?.has(dataType) ?? true,
    async keepAlive(connectionId) {
      const resolved = await pipelineDeps.resolveConnection(connectionId, new AbortController().signal);
      const current = await readTokens(o.db, o.keyring, connectionId);
      if (current) await resolved.ctx.tokens.refreshAfterUnauthorized(current.accessToken);
    },
    warnTokenExpiring: async (c) => {
      if (await warnTokenExpiring(o.db, c, o.config.publicUrl, clock())) delivery.kick();
    },
  });

  let unsubscribe: (() => void) | undefined;
  const runs = o.role !== 'producer';
  return {
    service,
    executor,
    scheduler,
    delivery,
    workerId,
    async start() {
      if (getDescriptor('jcrp')) {
        const c = await getConnector('jcrp').catch(() => undefined);
        if (c) supportCache.set('jcrp', new Set(c.dataTypes.filter((d) => d.read).map((d) => d.dataType)));
      }
      if (o.events) {
        const offWebhooks = subscribeConnectionEvents(o.events, {
          db: o.db,
          publicUrl: o.config.publicUrl,
          clock,
          onRecorded: () => delivery.kick(),
        });
        // Fetch on first link: every data type whose setting says so.
        const offFirstLink = o.events.on('connectionLinked', async (e) => {
          if (e.relinked) return;
          const rows = await service.queueAll(e.tenantId, e.companyId, {
            connectionId: e.connectionId,
            trigger: 'firstLink',
          });
          o.logger.info({ companyId: e.companyId, datasets: rows.length }, 'first link: syncs queued');
        });
        unsubscribe = () => {
          offWebhooks();
          offFirstLink();
        };
      }
      if (runs) {
        await executor.start();
        scheduler.start();
        delivery.start();
      }
    },
    async stop() {
      unsubscribe?.();
      await scheduler.stop();
      await delivery.stop();
      await executor.stop();
    },
  };
}
