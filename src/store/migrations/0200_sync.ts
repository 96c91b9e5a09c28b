// Sync engine tables: the records store (one table for all data types), the per-dataset staging tables, the
// datasets (pull operations) themselves with their checkpoints, and sync settings.
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed Database exists.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const json = pg ? sql`jsonb` : sql`text`;

  await db.schema
    .createTable('records')
    .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('content', json, (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('source_modified_date', 'text')
    .addColumn('modified_date', 'text', (c) => c.notNull())
    .addColumn('is_deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('records_company_type_record')
    .on('records')
    .columns(['company_id', 'data_type', 'record_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('records_company_type_modified')
    .on('records')
    .columns(['company_id', 'data_type', 'modified_date'])
    .execute();

  await db.schema
    .createTable('record_stage')
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('content', json, (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('source_modified_date', 'text')
    .execute();
  await db.schema
    .createIndex('record_stage_dataset_record')
    .on('record_stage')
    .columns(['dataset_id', 'record_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('record_id_stage')
    .addColumn('dataset_id', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('record_id_stage_dataset_record')
    .on('record_id_stage')
    .columns(['dataset_id', 'record_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) => c.notNull())
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('status_description', 'text')
    .addColumn('error_message', 'text')
    .addColumn('requested', 'text', (c) => c.notNull())
    .addColumn('started', 'text')
    .addColumn('completed', 'text')
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('running_key', 'text')
    .addColumn('is_full', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('modified_since', 'text')
    .addColumn('from_date', 'text')
    .addColumn('cursor', 'text')
    .addColumn('ids_done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('records_fetched', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('records_modified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('records_deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('high_water', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('worker_id', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('run_after', 'text')
    .addColumn('validation', 'text')
    .addColumn('trigger', 'text', (c) => c.notNull().defaultTo('manual'))
    .execute();
  // At most one queued or running sync per company and data type, enforced by the database.
  await db.schema.createIndex('datasets_running_key').on('datasets').column('running_key').unique().execute();
  await db.schema
    .createIndex('datasets_company_type_requested')
    .on('datasets')
    .columns(['company_id', 'data_type', 'requested'])
    .execute();
  await db.schema.createIndex('datasets_status').on('datasets').columns(['status', 'run_after']).execute();

  await db.schema
    .createTable('sync_settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('data_type', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('overrides_defaults', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_settings_pk', ['tenant_id', 'company_id', 'data_type'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['sync_settings', 'datasets', 'record_id_stage', 'record_stage', 'records']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
