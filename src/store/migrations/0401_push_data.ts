// The written record in the standard model (as the read mapper gives it), returned as the deprecated `data` field of
// Codat's Create/Update responses.
import type { Kysely } from 'kysely';
import { jsonType } from '../json.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_operations').addColumn('data', jsonType(db)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('push_operations').dropColumn('data').execute();
}
