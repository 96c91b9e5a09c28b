// The in-process services beside the API server: the platform event bus and, when its module is present, the sync
// engine (datasets, scheduler, webhook delivery). `serve` and the test server both start them through here, so a
// test server behaves like production.
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createEventBus, type EventBus } from '../platform/events.ts';
import type { Clock } from '../platform/ids.ts';
import type { Keyring } from '../platform/secrets.ts';
import type { Store } from '../store/index.ts';

export interface RuntimeOptions {
  config: Config;
  store: Store;
  logger: Logger;
  keyring: Keyring;
  clock?: Clock;
  /**
   * embedded: run syncs, scheduler and webhooks in this process; producer: only queue work for separate
   * `ledgerlink worker` processes (PostgreSQL); none: no sync engine (tests of the API alone).
   */
  role: 'embedded' | 'producer' | 'none';
}

export interface Runtime {
  /** passed to buildServer as `services`: `events` (EventBus) and, unless role none, `sync` (SyncEngine) */
  services: Record<string, unknown>;
  /** starts background loops (call after the server listens) */
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface EngineLike {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createRuntime(o: RuntimeOptions): Promise<Runtime> {
  const events: EventBus = createEventBus(o.logger);
  const services: Record<string, unknown> = { events };
  let engine: EngineLike | undefined;
  if (o.role !== 'none') {
    const { createSyncEngine } = await import('../sync/engine.ts');
    const sync = await createSyncEngine({
      config: o.config,
      db: o.store.db,
      dialect: o.store.dialect,
      keyring: o.keyring,
      logger: o.logger,
      events,
      clock: o.clock,
      role: o.role,
    });
    services.sync = sync;
    engine = sync;
  }
  let started = false;
  return {
    services,
    async start() {
      if (engine && !started) await engine.start();
      started = true;
    },
    async stop() {
      if (engine && started) await engine.stop();
      started = false;
    },
  };
}
