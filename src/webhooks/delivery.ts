// Delivers outbox events to consumers: signed POSTs, retries with backoff over about 28 hours (Codat/Svix
// schedule), then the delivery fails and the consumer is disabled. Deliveries are leased, so several processes
// can run this loop and a crash mid-send only delays (never loses) a delivery.
import type { Logger } from 'pino';
import type { Keyring } from '../platform/secrets.ts';
import { setConsumerDisabled } from './consumers.ts';
import { signatureHeaders } from './signing.ts';
import type { Db } from './tables.ts';

/** Delay before attempt n+1 after attempt n failed: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 28 h). */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

export interface DeliveryOptions {
  db: Db;
  keyring: Keyring;
  logger: Logger;
  clock?: () => Date;
  retryScheduleMs?: number[];
  timeoutMs?: number;
  pollMs?: number;
  batch?: number;
}

export interface DeliveryWorker {
  /** one pass over due deliveries; resolves when they were attempted */
  tick(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
  /** wakes the loop now (after an event was recorded) */
  kick(): void;
}

export function createDeliveryWorker(o: DeliveryOptions): DeliveryWorker {
  const clock = o.clock ?? (() => new Date());
  const schedule = o.retryScheduleMs ?? RETRY_SCHEDULE_MS;
  const timeoutMs = o.timeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let stopped = false;

  async function attempt(deliveryId: string): Promise<void> {
    const now = clock();
    // Claim: Pending and due, or Sending with an expired lease (the sender crashed).
    const claim = await o.db
      .updateTable('webhook_deliveries')
      .set({ status: 'Sending', lease_until: new Date(now.getTime() + timeoutMs + 30_000).toISOString() })
      .where('id', '=', deliveryId)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'Pending'), eb('next_attempt_at', '<=', now.toISOString())]),
          eb.and([eb('status', '=', 'Sending'), eb('lease_until', '<', now.toISOString())]),
        ]),
      )
      .executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) return;
    const d = await o.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .innerJoin('webhook_consumers as c', 'c.id', 'd.consumer_id')
      .select([
        'd.id',
        'd.attempts',
        'd.consumer_id',
        'e.id as event_id',
        'e.body',
        'c.url',
        'c.secret_enc',
        'c.disabled',
      ])
      .where('d.id', '=', deliveryId)
      .executeTakeFirst();
    if (!d) return;
    if (d.disabled === 1) {
      await o.db
        .updateTable('webhook_deliveries')
        .set({ status: 'Failed', lease_until: null, last_error: 'Consumer is disabled' })
        .where('id', '=', deliveryId)
        .execute();
      return;
    }
    const ts = Math.floor(clock().getTime() / 1000);
    const headers = signatureHeaders(o.keyring.decrypt(d.secret_enc), d.event_id, ts, d.body);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(d.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Ledgerlink-Webhooks/1', ...headers },
        body: d.body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      status = res.status;
      await res.body?.cancel().catch(() => {});
      if (status < 200 || status >= 300) error = `Receiver answered HTTP ${status}`;
    } catch (err) {
      const e = err as Error;
      error = e.name === 'TimeoutError' ? `No answer within ${timeoutMs} ms` : `Could not reach receiver: ${e.message}`;
    }
    const attempts = d.attempts + 1;
    const done = clock();
    if (!error) {
      await o.db
        .updateTable('webhook_deliveries')
        .set({
          status: 'Succeeded',
          attempts,
          lease_until: null,
          last_attempt_at: done.toISOString(),
          response_status: status,
          last_error: null,
        })
        .where('id', '=', deliveryId)
        .execute();
      return;
    }
    const delay = schedule[attempts - 1];
    if (delay === undefined) {
      await o.db
        .updateTable('webhook_deliveries')
        .set({
          status: 'Failed',
          attempts,
          lease_until: null,
          last_attempt_at: done.toISOString(),
          response_status: status,
          last_error: error,
        })
        .where('id', '=', deliveryId)
        .execute();
      await setConsumerDisabled(
        o.db,
        d.consumer_id,
        true,
        `Disabled after ${attempts} failed attempts to deliver event ${d.event_id} (last: ${error}). Fix the endpoint, then enable it with POST /webhooks/${d.consumer_id}/enable and replay missed events.`,
      );
      o.logger.warn({ consumerId: d.consumer_id, eventId: d.event_id }, 'webhook consumer disabled');
      return;
    }
    await o.db
      .updateTable('webhook_deliveries')
      .set({
        status: 'Pending',
        attempts,
        lease_until: null,
        next_attempt_at: new Date(done.getTime() + delay).toISOString(),
        last_attempt_at: done.toISOString(),
        response_status: status,
        last_error: error,
      })
      .where('id', '=', deliveryId)
      .execute();
  }

  async function tickOnce(): Promise<number> {
    const now = clock().toISOString();
    const due = await o.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'Pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'Sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(o.batch ?? 20)
      .execute();
    await Promise.all(
      due.map((r) =>
        attempt(r.id).catch((err) => o.logger.error({ err, deliveryId: r.id }, 'webhook delivery failed')),
      ),
    );
    return due.length;
  }

  const tick = () => {
    running ??= tickOnce().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    tick,
    kick() {
      if (!stopped) void tick().catch((err) => o.logger.error({ err }, 'webhook tick failed'));
    },
    start() {
      stopped = false;
      timer = setInterval(() => {
        void tick().catch((err) => o.logger.error({ err }, 'webhook tick failed'));
      }, o.pollMs ?? 1000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
