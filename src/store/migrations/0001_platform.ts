// Platform tables: tenants, API keys, integration settings, companies, connections and their errors.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_keys_tenant').on('api_keys').column('tenant_id').execute();

  await db.schema
    .createTable('integration_settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('platform_key', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active_environment', 'text', (c) => c.notNull().defaultTo('production'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('integration_settings_pk', ['tenant_id', 'platform_key'])
    .execute();

  await db.schema
    .createTable('integration_environments')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('platform_key', 'text', (c) => c.notNull())
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_enc', 'text', (c) => c.notNull())
    .addColumn('subscription_key_enc', 'text')
    .addColumn('auth_base_url', 'text')
    .addColumn('api_base_url', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('integration_environments_pk', ['tenant_id', 'platform_key', 'environment'])
    .execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('created_by_user_name', 'text')
    .addColumn('last_sync', 'text')
    .addColumn('products', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('companies_tenant').on('companies').columns(['tenant_id', 'created']).execute();

  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('platform_key', 'text', (c) => c.notNull())
    .addColumn('integration_id', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('source_type', 'text', (c) => c.notNull())
    .addColumn('platform_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('last_sync', 'text')
    .addColumn('connection_info', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('connections_company').on('connections').columns(['company_id', 'created']).execute();

  await db.schema
    .createTable('connection_errors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('status_code', 'text')
    .addColumn('status_text', 'text')
    .addColumn('error_message', 'text')
    .addColumn('errored_on_utc', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('resolved_on_utc', 'text')
    .execute();
  await db.schema.createIndex('connection_errors_conn').on('connection_errors').column('connection_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'connection_errors',
    'connections',
    'companies',
    'integration_environments',
    'integration_settings',
    'api_keys',
    'tenants',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
