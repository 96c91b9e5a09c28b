// Webhook consumers (Codat WebhookConsumer): per tenant, filtered by event types and company tags. The signing
// secret is returned once, at creation, and stored encrypted.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Keyring } from '../platform/secrets.ts';
import { generateSecret } from './signing.ts';
import type { Db, WebhookConsumersTable } from './tables.ts';

export const EVENT_TYPES = [
  'read.completed',
  'read.completed.initial',
  'connection.created',
  'connection.connected',
  'connection.disconnected',
  'connection.reconnected',
  'connection.deleted',
  'connection.failed',
  'connection.tokenExpiring',
  'company.created',
  'company.deleted',
] as const;

/** Known event types plus `{dataType}.write.successful|unsuccessful`. */
export function isKnownEventType(t: string): boolean {
  return (EVENT_TYPES as readonly string[]).includes(t) || /^[a-zA-Z]+\.write\.(successful|unsuccessful)$/.test(t);
}

export const ConsumerInputSchema = z.object({
  url: z
    .string()
    .url('url must be an absolute http(s) URL')
    .refine((u) => /^https?:\/\//.test(u), 'url must use http or https'),
  disabled: z.boolean().optional(),
  eventTypes: z
    .array(z.string().refine(isKnownEventType, { message: `unknown event type; known: ${EVENT_TYPES.join(', ')}` }))
    .default([]),
  companyTags: z.array(z.string().max(128)).max(10).nullish(),
});
export type ConsumerInput = z.infer<typeof ConsumerInputSchema>;

export interface WebhookConsumer {
  id: string;
  url: string;
  disabled: boolean;
  eventTypes: string[];
  companyTags: string[] | null;
  disabledReason?: string;
}

export function toConsumer(r: WebhookConsumersTable): WebhookConsumer {
  return {
    id: r.id,
    url: r.url,
    disabled: r.disabled === 1,
    eventTypes: JSON.parse(r.event_types),
    companyTags: r.company_tags ? JSON.parse(r.company_tags) : null,
    ...(r.disabled_reason ? { disabledReason: r.disabled_reason } : {}),
  };
}

export async function createConsumer(
  db: Db,
  keyring: Keyring,
  tenantId: string,
  input: ConsumerInput,
  now: Date,
): Promise<WebhookConsumer & { secret: string }> {
  const secret = generateSecret();
  const row: WebhookConsumersTable = {
    id: randomUUID(),
    tenant_id: tenantId,
    url: input.url,
    secret_enc: keyring.encrypt(secret),
    event_types: JSON.stringify(input.eventTypes),
    company_tags: input.companyTags ? JSON.stringify(input.companyTags) : null,
    disabled: input.disabled ? 1 : 0,
    disabled_reason: null,
    created: now.toISOString(),
  };
  await db.insertInto('webhook_consumers').values(row).execute();
  return { ...toConsumer(row), secret };
}

export async function listConsumers(db: Db, tenantId: string): Promise<WebhookConsumer[]> {
  const rows = await db
    .selectFrom('webhook_consumers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('created')
    .execute();
  return rows.map(toConsumer);
}

export async function getConsumer(db: Db, tenantId: string, id: string) {
  return db
    .selectFrom('webhook_consumers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function deleteConsumer(db: Db, tenantId: string, id: string): Promise<boolean> {
  const res = await db
    .deleteFrom('webhook_consumers')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

export async function setConsumerDisabled(db: Db, id: string, disabled: boolean, reason: string | null): Promise<void> {
  await db
    .updateTable('webhook_consumers')
    .set({ disabled: disabled ? 1 : 0, disabled_reason: disabled ? reason : null })
    .where('id', '=', id)
    .execute();
}

/** Does a consumer want this event (event type filter, then company tags `key:value`)? */
export function wants(
  c: WebhookConsumersTable,
  eventType: string,
  companyTags: Record<string, string> | null,
): boolean {
  const types: string[] = JSON.parse(c.event_types);
  if (types.length > 0 && !types.includes(eventType)) return false;
  const tags: string[] | null = c.company_tags ? JSON.parse(c.company_tags) : null;
  if (tags && tags.length > 0) {
    if (!companyTags) return false;
    return tags.some((t) => {
      const i = t.indexOf(':');
      return i > 0 && companyTags[t.slice(0, i)] === t.slice(i + 1);
    });
  }
  return true;
}
