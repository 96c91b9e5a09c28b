// pg-boss executor (PostgreSQL): a job per dataset run. Any number of worker processes on any machines share the
// queue; the dataset claim (conditional update) guarantees one runner per dataset even if a job is delivered twice.
import pg from 'pg';
import PgBoss from 'pg-boss';
import { dueQueued, getDataset, sweepStale } from './datasets.ts';
import type { Executor, WorkerOptions } from './executor.ts';
import { type PipelineDeps, runDataset } from './pipeline.ts';

export const SYNC_QUEUE = 'ledgerlink-sync';

export interface PgBossOptions {
  connectionString: string;
  /** pg-boss's own schema (tests isolate it per run) */
  schema: string;
}

export function createPgBossExecutor(
  deps: PipelineDeps,
  boss: PgBossOptions,
  options: WorkerOptions & { role: 'producer' | 'worker' },
): Executor {
  const clock = deps.clock ?? (() => new Date());
  const poolSize = Math.max(2, Math.min(options.concurrency + 1, 6));
  // pg-boss hands its options to pg.Pool: keep its few connections open while idle (pg's default closes them after
  // 10 s), so each sync after a quiet spell does not open them again (a server process, authentication and cold
  // catalog caches, on both sides, for every job fetch and completion of the next sync).
  const keepOpen: object = { min: poolSize };
  const pgboss = new PgBoss({
    ...keepOpen,
    connectionString: boss.connectionString,
    schema: boss.schema,
    application_name: 'ledgerlink pg-boss',
    max: poolSize,
    // Producers only send; workers also run pg-boss maintenance.
    supervise: options.role === 'worker',
    schedule: false,
  });
  pgboss.on('error', (err) => deps.logger.error({ err }, 'pg-boss error'));
  let ready: Promise<void> | null = null;
  const shutdown = new AbortController();
  const active = new Set<Promise<unknown>>();
  let sweeper: NodeJS.Timeout | undefined;
  // pg-boss polls (at least every 0.5 s; workers default to 1 s): a sync queued now would wait out the rest of
  // every idle worker's interval. Producers also NOTIFY this channel, and workers LISTEN on it and fetch at once;
  // polling stays the fallback (a lost notification, a broken listening connection).
  const channel = `ledgerlink_sync:${boss.schema}`;
  const workerIds: string[] = [];
  let listener: pg.Client | undefined;
  let relisten: NodeJS.Timeout | undefined;

  const ensure = () => {
    ready ??= (async () => {
      await pgboss.start();
      await pgboss.createQueue(SYNC_QUEUE);
    })();
    return ready;
  };

  const send = async (datasetId: string, runAfter?: Date) => {
    await ensure();
    await pgboss.send(
      SYNC_QUEUE,
      { datasetId },
      {
        ...(runAfter ? { startAfter: runAfter } : {}),
        // The dataset row is the source of truth; the job only wakes a worker. Long syncs must not expire the job.
        expireInHours: 12,
        retryLimit: 0,
      },
    );
    if (!runAfter || runAfter.getTime() <= clock().getTime())
      await pgboss
        .getDb()
        .executeSql('select pg_notify($1, $2)', [channel, ''])
        .catch((err: unknown) => deps.logger.debug({ err }, 'sync queue notification not sent'));
  };

  const listen = async () => {
    if (shutdown.signal.aborted) return;
    const client = new pg.Client({ connectionString: boss.connectionString });
    listener = client;
    const again = (err?: unknown) => {
      if (listener !== client || shutdown.signal.aborted) return;
      listener = undefined;
      deps.logger.warn({ err }, 'sync queue listener lost; polling until it is back');
      client.end().catch(() => {});
      relisten = setTimeout(() => void listen(), 5000);
      relisten.unref();
    };
    client.on('notification', () => {
      for (const id of workerIds) pgboss.notifyWorker(id);
    });
    client.on('error', again);
    client.on('end', () => again());
    try {
      await client.connect();
      await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    } catch (err) {
      again(err);
    }
  };

  const handle = async (jobs: PgBoss.Job<{ datasetId: string }>[]) => {
    for (const job of jobs) {
      if (shutdown.signal.aborted) {
        await send(job.data.datasetId);
        continue;
      }
      const run = runDataset(deps, job.data.datasetId, options.workerId, shutdown.signal);
      active.add(run);
      try {
        const outcome = await run;
        if (outcome === 'limit') await send(job.data.datasetId, new Date(clock().getTime() + 1000));
        if (outcome === 'released') await send(job.data.datasetId);
        if (outcome === 'retrying') {
          const row = await getDataset(deps.db, job.data.datasetId);
          await send(job.data.datasetId, row?.run_after ? new Date(row.run_after) : undefined);
        }
      } finally {
        active.delete(run);
      }
    }
  };

  // Takes back datasets of crashed workers and re-sends queued datasets whose job was lost (e.g. a producer died
  // between the insert and the send). Duplicate jobs are harmless.
  const sweep = async () => {
    const now = clock();
    const { requeued } = await sweepStale(deps.db, now, options.staleAfterMs, options.maxAttempts);
    for (const id of requeued) await send(id);
    const orphanCutoff = now.getTime() - Math.max(options.staleAfterMs, 10_000);
    for (const d of await dueQueued(deps.db, now, 100)) {
      if (Date.parse(d.run_after ?? d.requested) < orphanCutoff) await send(d.id);
    }
  };

  return {
    kind: 'pg-boss',
    notify: send,
    async start() {
      await ensure();
      for (let i = 0; i < options.concurrency; i++) {
        // pg-boss waits out the rest of its polling interval after a job shorter than it; with work queued that is
        // idle time between small datasets (0.4 s each, most of an incremental sync). After a job, fetch at once:
        // an empty queue then falls back to polling.
        let workerId: string | undefined;
        workerId = await pgboss.work<{ datasetId: string }>(
          SYNC_QUEUE,
          { batchSize: 1, pollingIntervalSeconds: Math.max(0.5, options.pollMs / 1000) },
          (jobs) =>
            handle(jobs).finally(() => {
              if (workerId && !shutdown.signal.aborted) pgboss.notifyWorker(workerId);
            }),
        );
        workerIds.push(workerId);
      }
      await listen();
      sweeper = setInterval(
        () => {
          sweep().catch((err) => deps.logger.warn({ err }, 'sync sweeper failed'));
        },
        Math.max(1000, Math.min(options.staleAfterMs / 2, 15_000)),
      );
      sweeper.unref();
    },
    async stop() {
      if (sweeper) clearInterval(sweeper);
      shutdown.abort();
      clearTimeout(relisten);
      await listener?.end().catch(() => {});
      listener = undefined;
      await Promise.allSettled([...active]);
      if (ready) await pgboss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
    },
  };
}
