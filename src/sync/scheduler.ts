// Runs what is due: each data type of each linked connection is re-queued `syncSchedule` hours after its last
// sync started; a keep-alive refreshes tokens of connections idle for too long (Sage refresh tokens lapse unused);
// a warning event goes out when a refresh token nears its absolute expiry.
import type { Logger } from 'pino';
import { DatasetInProgressError, queueDataset } from './datasets.ts';
import type { Executor } from './executor.ts';
import { companySettings } from './settings.ts';
import type { Db } from './tables.ts';

export interface SchedulerDeps {
  db: Db;
  executor: Pick<Executor, 'notify'>;
  logger: Logger;
  clock?: () => Date;
  /** does this connection's connector read that type? (unsupported types are not scheduled) */
  supports?(platformKey: string, dataType: string): boolean;
  /** refresh the connection's tokens now (keep-alive); throws on failure */
  keepAlive?(connectionId: string): Promise<void>;
  /** record a `connection.tokenExpiring` warning (once per connection and expiry) */
  warnTokenExpiring?(c: {
    tenantId: string;
    companyId: string;
    connectionId: string;
    expiresAt: string;
  }): Promise<void>;
  tickMs?: number;
  keepAliveAfterDays?: number;
  warnBeforeDays?: number;
}

export interface Scheduler {
  tick(): Promise<{ queued: string[]; keptAlive: string[] }>;
  start(): void;
  stop(): Promise<void>;
}

const DAY = 86_400_000;

export function createScheduler(d: SchedulerDeps): Scheduler {
  const clock = d.clock ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | null = null;

  async function tick() {
    const now = clock();
    const queued: string[] = [];
    const keptAlive: string[] = [];
    const conns = await d.db
      .selectFrom('connections')
      .select(['id', 'tenant_id', 'company_id', 'platform_key'])
      .where('status', '=', 'Linked')
      .execute();
    const byCompany = new Map<string, typeof conns>();
    for (const c of conns) byCompany.set(c.company_id, [...(byCompany.get(c.company_id) ?? []), c]);

    for (const [companyId, list] of byCompany) {
      const settings = await companySettings(d.db, list[0].tenant_id, companyId);
      const last = await d.db
        .selectFrom('datasets')
        .select(['data_type', (eb) => eb.fn.max('requested').as('last')])
        .where('company_id', '=', companyId)
        .groupBy('data_type')
        .execute();
      const lastByType = new Map(last.map((r) => [r.data_type, r.last as string]));
      for (const conn of list) {
        for (const s of settings) {
          if (s.syncSchedule <= 0) continue;
          if (d.supports && !d.supports(conn.platform_key, s.dataType)) continue;
          const prev = lastByType.get(s.dataType);
          // Never-synced types wait for first link / manual queueing unless they are fetched on first link.
          if (!prev && !s.fetchOnFirstLink) continue;
          if (prev && Date.parse(prev) + s.syncSchedule * 3_600_000 > now.getTime()) continue;
          try {
            const row = await queueDataset(d.db, {
              tenantId: conn.tenant_id,
              companyId,
              connectionId: conn.id,
              dataType: s.dataType,
              trigger: 'schedule',
              now,
            });
            queued.push(row.id);
            await d.executor.notify(row.id);
          } catch (err) {
            if (!(err instanceof DatasetInProgressError)) throw err;
          }
        }
      }
    }

    // Keep-alive and expiry warnings, from the token table's timestamps.
    const tokens = await d.db
      .selectFrom('connection_tokens as t')
      .innerJoin('connections as c', 'c.id', 't.connection_id')
      .select(['c.id', 'c.tenant_id', 'c.company_id', 't.updated_at', 't.refresh_token_expires_at'])
      .where('c.status', '=', 'Linked')
      .execute();
    for (const t of tokens) {
      if (d.keepAlive && Date.parse(t.updated_at) + (d.keepAliveAfterDays ?? 30) * DAY < now.getTime()) {
        try {
          await d.keepAlive(t.id);
          keptAlive.push(t.id);
        } catch (err) {
          d.logger.warn({ err, connectionId: t.id }, 'keep-alive refresh failed');
        }
      }
      if (
        d.warnTokenExpiring &&
        t.refresh_token_expires_at &&
        Date.parse(t.refresh_token_expires_at) - (d.warnBeforeDays ?? 7) * DAY < now.getTime()
      ) {
        await d.warnTokenExpiring({
          tenantId: t.tenant_id,
          companyId: t.company_id,
          connectionId: t.id,
          expiresAt: t.refresh_token_expires_at,
        });
      }
    }
    return { queued, keptAlive };
  }

  return {
    tick: () => {
      const p = tick();
      running = p.catch(() => {});
      return p;
    },
    start() {
      timer = setInterval(() => {
        if (running) return;
        running = tick()
          .catch((err) => d.logger.error({ err }, 'scheduler tick failed'))
          .finally(() => {
            running = null;
          });
      }, d.tickMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
