// Push (write-back) tables: push operations (the durable workflow record) and Idempotency-Key entries.
import type { Kysely } from 'kysely';
import { jsonType } from '../json.ts';

export async function up(db: Kysely<any>): Promise<void> {
  const json = jsonType(db);
  await db.schema
    .createTable('push_operations')
    .addColumn('push_operation_key', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('error_message', 'text')
    .addColumn('requested_on_utc', 'text', (c) => c.notNull())
    .addColumn('completed_on_utc', 'text')
    .addColumn('timeout_in_minutes', 'integer')
    .addColumn('expires_at', 'text')
    .addColumn('validation', json)
    .addColumn('changes', json)
    .addColumn('body', json)
    .addColumn('force_update', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expected_source_modified', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_attempt_at', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('progress', json)
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('push_operations_company')
    .on('push_operations')
    .columns(['company_id', 'requested_on_utc'])
    .execute();
  await db.schema
    .createIndex('push_operations_status')
    .on('push_operations')
    .columns(['status', 'expires_at'])
    .execute();

  await db.schema
    .createTable('push_idempotency_keys')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('push_operation_key', 'text', (c) => c.notNull())
    .addColumn('in_flight', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_idempotency_keys_pk', ['tenant_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('push_idempotency_expiry').on('push_idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_idempotency_keys').ifExists().execute();
  await db.schema.dropTable('push_operations').ifExists().execute();
}
