// Embedded executor: runs datasets in this process, polling the datasets table (no extra infrastructure).
import { deferDataset, dueQueued, sweepStale } from './datasets.ts';
import type { Executor, WorkerOptions } from './executor.ts';
import { type PipelineDeps, runDataset } from './pipeline.ts';

export function createEmbeddedExecutor(deps: PipelineDeps, options: WorkerOptions): Executor {
  const clock = deps.clock ?? (() => new Date());
  const active = new Map<string, Promise<unknown>>();
  const shutdown = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let ticking: Promise<void> | null = null;
  let again = false;

  const tick = async (): Promise<void> => {
    if (!started || shutdown.signal.aborted) return;
    const now = clock();
    await sweepStale(deps.db, now, options.staleAfterMs, options.maxAttempts);
    const free = options.concurrency - active.size;
    if (free <= 0) return;
    const due = (await dueQueued(deps.db, now, options.concurrency * 4)).filter((d) => !active.has(d.id));
    for (const d of due.slice(0, free)) {
      const run = runDataset(deps, d.id, options.workerId, shutdown.signal)
        .then(async (outcome) => {
          if (outcome === 'limit') await deferDataset(deps.db, d.id, new Date(clock().getTime() + 1000));
        })
        .catch((err) => deps.logger.error({ err, datasetId: d.id }, 'dataset run crashed'))
        .finally(() => {
          active.delete(d.id);
          kick();
        });
      active.set(d.id, run);
    }
  };

  // One tick at a time; a kick during a tick schedules another right after.
  const kick = () => {
    if (ticking) {
      again = true;
      return;
    }
    ticking = tick()
      .catch((err) => deps.logger.error({ err }, 'sync executor tick failed'))
      .finally(() => {
        ticking = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };

  return {
    kind: 'embedded',
    async notify() {
      kick();
    },
    async start() {
      if (started) return;
      started = true;
      timer = setInterval(kick, options.pollMs);
      timer.unref();
      kick();
    },
    async stop() {
      started = false;
      if (timer) clearInterval(timer);
      shutdown.abort();
      await ticking;
      await Promise.allSettled([...active.values()]);
    },
  };
}
