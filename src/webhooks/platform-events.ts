// Connection events from the platform bus -> webhook events (connection.connected/reconnected/disconnected), and
// the refresh-token expiry warning. Other modules announce company.* / connection.created|deleted / *.write.* by
// calling recordEvent() inside their own transaction.
import type { EventBus } from '../platform/events.ts';
import { fromJson } from '../store/json.ts';
import { recordEvent } from './outbox.ts';
import { toApiCompanyRef } from './payloads.ts';
import type { Db } from './tables.ts';

async function connectionPayload(db: Db, connectionId: string, publicUrl: string) {
  const c = await db.selectFrom('connections').selectAll().where('id', '=', connectionId).executeTakeFirst();
  if (!c) return null;
  return {
    referenceCompany: await toApiCompanyRef(db, c.company_id, publicUrl),
    connection: {
      id: c.id,
      integrationId: c.integration_id,
      integrationKey: c.platform_key,
      sourceId: c.source_id,
      sourceType: c.source_type,
      platformName: c.platform_name,
      linkUrl: `${publicUrl}/link/companies/${c.company_id}/connections/${c.id}/start`,
      status: c.status,
      lastSync: c.last_sync ?? undefined,
      created: c.created,
      connectionInfo: fromJson<Record<string, unknown> | null>(c.connection_info, null),
    },
  };
}

/** Records a connection webhook event now (after the platform committed the change). */
export async function recordConnectionEvent(
  db: Db,
  e: { tenantId: string; companyId: string; connectionId: string },
  eventType: string,
  publicUrl: string,
  now: Date,
): Promise<void> {
  const payload = await connectionPayload(db, e.connectionId, publicUrl);
  if (!payload) return;
  await db
    .transaction()
    .execute((trx) => recordEvent(trx, { tenantId: e.tenantId, companyId: e.companyId, eventType, payload, now }));
}

export function subscribeConnectionEvents(
  bus: EventBus,
  deps: { db: Db; publicUrl: string; clock?: () => Date; onRecorded?: () => void },
): () => void {
  const clock = deps.clock ?? (() => new Date());
  const offs = [
    bus.on('connectionLinked', async (e) => {
      await recordConnectionEvent(
        deps.db,
        e,
        e.relinked ? 'connection.reconnected' : 'connection.connected',
        deps.publicUrl,
        clock(),
      );
      deps.onRecorded?.();
    }),
    bus.on('connectionDeauthorized', async (e) => {
      await recordConnectionEvent(deps.db, e, 'connection.disconnected', deps.publicUrl, clock());
      deps.onRecorded?.();
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** `connection.tokenExpiring`, once per connection and expiry date. */
export async function warnTokenExpiring(
  db: Db,
  c: { tenantId: string; companyId: string; connectionId: string; expiresAt: string },
  publicUrl: string,
  now: Date,
): Promise<boolean> {
  const marker = `"refreshTokenExpiresAt":"${c.expiresAt}","connectionId":"${c.connectionId}"`;
  const seen = await db
    .selectFrom('webhook_events')
    .select('id')
    .where('event_type', '=', 'connection.tokenExpiring')
    .where('company_id', '=', c.companyId)
    .where('body', 'like', `%${marker}%`)
    .executeTakeFirst();
  if (seen) return false;
  const base = await connectionPayload(db, c.connectionId, publicUrl);
  await db.transaction().execute((trx) =>
    recordEvent(trx, {
      tenantId: c.tenantId,
      companyId: c.companyId,
      eventType: 'connection.tokenExpiring',
      payload: {
        refreshTokenExpiresAt: c.expiresAt,
        connectionId: c.connectionId,
        referenceCompany: base?.referenceCompany ?? null,
        message: `The Sage authorisation of connection ${c.connectionId} expires at ${c.expiresAt}; ask the user to link again via ${base?.connection.linkUrl ?? 'its Link URL'} before then.`,
      },
      now,
    }),
  );
  return true;
}

export interface LifecycleEvent {
  tenantId: string;
  companyId: string;
  connectionId?: string;
  eventType: 'company.created' | 'company.deleted' | 'connection.created' | 'connection.deleted';
}

/**
 * company.created/deleted and connection.created/deleted, for the routes that make those changes. The payload is
 * captured now (so a delete can be announced after the row is gone); `record()` writes it to the outbox and never
 * throws (a failure is logged, the API call it follows has already succeeded).
 */
export async function lifecycleEvent(
  db: Db,
  publicUrl: string,
  e: LifecycleEvent,
  logger?: { error(obj: unknown, msg: string): void },
): Promise<{ record(now: Date): Promise<boolean> }> {
  let payload: Record<string, unknown> | null = null;
  try {
    if (e.connectionId) {
      payload = await connectionPayload(db, e.connectionId, publicUrl);
    } else {
      const c = await db
        .selectFrom('companies')
        .selectAll()
        .where('id', '=', e.companyId)
        .where('tenant_id', '=', e.tenantId)
        .executeTakeFirst();
      if (c) {
        payload = {
          id: c.id,
          name: c.name,
          description: c.description ?? undefined,
          redirect: `${publicUrl}/link/company/${c.id}`,
          lastSync: c.last_sync ?? undefined,
          created: c.created,
          tags: fromJson<Record<string, string>>(c.tags, {}),
        };
      }
    }
  } catch (err) {
    logger?.error({ err, eventType: e.eventType }, 'webhook event payload could not be read');
  }
  return {
    async record(now) {
      if (!payload) return false;
      try {
        await db.transaction().execute((trx) =>
          recordEvent(trx, {
            tenantId: e.tenantId,
            companyId: e.companyId,
            eventType: e.eventType,
            payload: payload!,
            now,
          }),
        );
        return true;
      } catch (err) {
        logger?.error({ err, eventType: e.eventType }, 'webhook event could not be recorded');
        return false;
      }
    },
  };
}
