// Table shapes of the webhooks module (migration 0300_webhooks.ts), merged into the store's Database type.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface WebhookConsumersTable {
  id: string;
  tenant_id: string;
  url: string;
  /** the `whsec_...` signing secret, encrypted with the platform keyring */
  secret_enc: string;
  /** JSON array of event types; empty = every event */
  event_types: string;
  /** JSON array of `key:value` company tags, or null */
  company_tags: string | null;
  disabled: number;
  disabled_reason: string | null;
  created: string;
}

export interface WebhookEventsTable {
  id: string;
  tenant_id: string;
  company_id: string | null;
  event_type: string;
  /** the exact JSON body delivered: {id, eventType, generatedDate, payload} */
  body: string;
  generated_date: string;
}

export type DeliveryStatus = 'Pending' | 'Sending' | 'Succeeded' | 'Failed';

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  consumer_id: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_attempt_at: string | null;
  response_status: number | null;
  last_error: string | null;
  created: string;
}

declare module '../store/schema.ts' {
  interface Database {
    webhook_consumers: WebhookConsumersTable;
    webhook_events: WebhookEventsTable;
    webhook_deliveries: WebhookDeliveriesTable;
  }
}

export type Db = Kysely<Database>;
