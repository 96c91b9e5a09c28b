// The durable outbox: an event and its deliveries are written in the caller's transaction, together with the state
// change they announce, so an event survives a crash and is never sent for a change that rolled back.
import { randomUUID } from 'node:crypto';
import { wants } from './consumers.ts';
import { toApiCompanyRef } from './payloads.ts';
import type { Db } from './tables.ts';

export interface NewEvent {
  tenantId: string;
  companyId?: string | null;
  eventType: string;
  payload: Record<string, unknown>;
  now: Date;
}

export interface RecordedEvent {
  id: string;
  deliveries: number;
}

export async function recordEvent(trx: Db, e: NewEvent): Promise<RecordedEvent> {
  const id = randomUUID();
  const generatedDate = e.now.toISOString();
  const body = JSON.stringify({ id, eventType: e.eventType, generatedDate, payload: e.payload });
  await trx
    .insertInto('webhook_events')
    .values({
      id,
      tenant_id: e.tenantId,
      company_id: e.companyId ?? null,
      event_type: e.eventType,
      body,
      generated_date: generatedDate,
    })
    .execute();
  const consumers = await trx
    .selectFrom('webhook_consumers')
    .selectAll()
    .where('tenant_id', '=', e.tenantId)
    .where('disabled', '=', 0)
    .execute();
  let tags: Record<string, string> | null = null;
  if (e.companyId && consumers.some((c) => c.company_tags))
    tags = (await toApiCompanyRef(trx, e.companyId))?.tags ?? null;
  const targets = consumers.filter((c) => wants(c, e.eventType, tags));
  if (targets.length > 0) {
    await trx
      .insertInto('webhook_deliveries')
      .values(
        targets.map((c) => ({
          id: randomUUID(),
          event_id: id,
          consumer_id: c.id,
          status: 'Pending' as const,
          attempts: 0,
          next_attempt_at: generatedDate,
          lease_until: null,
          last_attempt_at: null,
          response_status: null,
          last_error: null,
          created: generatedDate,
        })),
      )
      .execute();
  }
  return { id, deliveries: targets.length };
}

/**
 * Replays a stored event: a fresh delivery to each given consumer (default: every enabled consumer of the tenant
 * that wants it). Returns the delivery ids; empty when the event is unknown to this tenant.
 */
export async function replayEvent(
  db: Db,
  tenantId: string,
  eventId: string,
  now: Date,
  consumerId?: string,
): Promise<string[] | null> {
  const ev = await db
    .selectFrom('webhook_events')
    .selectAll()
    .where('id', '=', eventId)
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  if (!ev) return null;
  let q = db.selectFrom('webhook_consumers').selectAll().where('tenant_id', '=', tenantId).where('disabled', '=', 0);
  if (consumerId) q = q.where('id', '=', consumerId);
  const consumers = (await q.execute()).filter((c) => consumerId || wants(c, ev.event_type, null));
  const ids: string[] = [];
  for (const c of consumers) {
    const id = randomUUID();
    ids.push(id);
    await db
      .insertInto('webhook_deliveries')
      .values({
        id,
        event_id: ev.id,
        consumer_id: c.id,
        status: 'Pending',
        attempts: 0,
        next_attempt_at: now.toISOString(),
        lease_until: null,
        last_attempt_at: null,
        response_status: null,
        last_error: null,
        created: now.toISOString(),
      })
      .execute();
  }
  return ids;
}
