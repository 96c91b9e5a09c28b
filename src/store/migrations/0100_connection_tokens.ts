// Connector/link tables: OAuth tokens per connection (encrypted) and single-use Link flow states.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('connection_tokens')
    .addColumn('connection_id', 'text', (c) => c.primaryKey().references('connections.id').onDelete('cascade'))
    .addColumn('access_token_enc', 'text', (c) => c.notNull())
    .addColumn('refresh_token_enc', 'text', (c) => c.notNull())
    .addColumn('access_token_expires_at', 'text', (c) => c.notNull())
    /** absolute: consent time + the refresh-token lifetime; not moved by refreshes */
    .addColumn('refresh_token_expires_at', 'text')
    .addColumn('consented_at', 'text', (c) => c.notNull())
    /** bumped on every stored token change (link or refresh); lets callers and tests see refreshes */
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('link_states')
    /** hex SHA-256 of the random value sent to the browser; the value itself is never stored */
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    /** encrypted JSON carried to the next step (the picker's tokens and companies) */
    .addColumn('payload_enc', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('link_states_expires').on('link_states').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('link_states').ifExists().execute();
  await db.schema.dropTable('connection_tokens').ifExists().execute();
}
