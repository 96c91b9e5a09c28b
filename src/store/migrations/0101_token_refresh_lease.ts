// A refresh lease on connection_tokens: the one process refreshing a connection's tokens holds it (owner + expiry)
// while it calls Sage ID, so no database lock is held across a network call.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('connection_tokens').addColumn('refresh_lease_owner', 'text').execute();
  await db.schema.alterTable('connection_tokens').addColumn('refresh_lease_until', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('connection_tokens').dropColumn('refresh_lease_until').execute();
  await db.schema.alterTable('connection_tokens').dropColumn('refresh_lease_owner').execute();
}
