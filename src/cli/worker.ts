// `ledgerlink worker`: runs syncs, the scheduler and webhook deliveries. On PostgreSQL any number of workers on any
// number of machines share the pg-boss queue; on SQLite it polls the datasets table. SIGTERM/SIGINT checkpoint the
// current page and hand running datasets back to the queue before exiting.
import { defaultEventBus } from '../platform/events.ts';
import { createSyncEngine } from '../sync/engine.ts';
import { intFlag, openProcess, parseFlags } from '../sync/process.ts';

const HELP = `Usage: ledgerlink worker [--concurrency N] [--page-size N] [--poll-ms N] [--stale-after-ms N]
                         [--heartbeat-ms N] [--per-connection N] [--deletion-check-hours N] [--db-schema NAME]
Runs queued syncs, scheduled syncs and webhook deliveries until stopped (Ctrl-C or SIGTERM).`;

export async function run(args: string[]): Promise<number> {
  const { flags } = parseFlags(args);
  if (flags.has('help')) {
    console.log(HELP);
    return 0;
  }
  const ctx = await openProcess(flags);
  const { config, store, logger, keyring } = ctx;
  const engine = await createSyncEngine({
    config,
    db: store.db,
    dialect: store.dialect,
    keyring,
    logger,
    events: defaultEventBus,
    role: store.dialect === 'postgres' ? 'worker' : 'embedded',
    worker: {
      concurrency: intFlag(flags, 'concurrency', 2),
      pollMs: intFlag(flags, 'poll-ms', 1000),
      staleAfterMs: intFlag(flags, 'stale-after-ms', 60_000),
    },
    pipeline: {
      pageSize: intFlag(flags, 'page-size'),
      heartbeatMs: intFlag(flags, 'heartbeat-ms', 5000),
      perConnection: intFlag(flags, 'per-connection', 2),
      deletionCheckAfterMs: (intFlag(flags, 'deletion-check-hours', 12) ?? 12) * 3_600_000,
    },
  });
  await engine.start();
  logger.info({ workerId: engine.workerId, executor: engine.executor.kind, dialect: store.dialect }, 'worker started');

  // The engine's timers are unref'd (they must not hold other processes open); this one keeps the worker alive.
  const keepAlive = setInterval(() => {}, 1 << 30);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'worker stopping: checkpointing running syncs');
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  clearInterval(keepAlive);
  await engine.stop();
  await store.close();
  logger.info('worker stopped');
  return 0;
}
