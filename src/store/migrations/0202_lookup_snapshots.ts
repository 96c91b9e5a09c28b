// Snapshots of a connection's large lookups (URN maps, SOP lines, parties), written by the connector after a load
// or a patch, so another worker or a restarted process starts from them instead of re-reading whole ledgers
// (src/sync/lookup-snapshots.ts). A cache: deleting rows only costs a reload.
import type { Kysely } from 'kysely';
import { dialectOf } from '../json.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed Database exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('lookup_snapshots')
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id').onDelete('cascade'))
    .addColumn('piece', 'text', (c) => c.notNull())
    .addColumn('stamp', 'text')
    .addColumn('payload', dialectOf(db) === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lookup_snapshots_pk', ['connection_id', 'piece'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('lookup_snapshots').execute();
}
