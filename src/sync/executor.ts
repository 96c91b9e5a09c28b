// How datasets get run. Two adapters behind one interface: embedded (in-process, polls the datasets table; SQLite
// or a single process) and pg-boss (PostgreSQL; any number of `ledgerlink worker` processes share the work).
export interface Executor {
  readonly kind: 'embedded' | 'pg-boss';
  /** A dataset was queued (or re-queued): make sure some worker picks it up. */
  notify(datasetId: string, runAfter?: Date): Promise<void>;
  /** Starts processing in this process (workers). Producers (API servers on PostgreSQL) never call it. */
  start(): Promise<void>;
  /** Graceful: the current page is checkpointed and running datasets are handed back to the queue. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** datasets this process runs at once */
  concurrency: number;
  pollMs: number;
  /** a running dataset without a heartbeat for this long is taken back (crashed or stuck worker) */
  staleAfterMs: number;
  /** after this many attempts a stuck dataset fails with InternalError */
  maxAttempts: number;
  workerId: string;
}

export const DEFAULT_WORKER_OPTIONS: Omit<WorkerOptions, 'workerId'> = {
  concurrency: 4,
  pollMs: 1000,
  staleAfterMs: 60_000,
  maxAttempts: 5,
};
