// `direct`: a company's first load of a data type is written straight into `records` (nothing visible to protect yet:
// the data endpoints answer 409 until a dataset completes), instead of staging every row and copying it at the end.
// `after_token`/`sync_token`: incremental reads of append-only sources without update stamps (Sage's nominal
// transactions): where this read started, and where the next one starts.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed Database exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('datasets')
    .addColumn('direct', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('datasets').addColumn('after_token', 'text').execute();
  await db.schema.alterTable('datasets').addColumn('sync_token', 'text').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('datasets').dropColumn('sync_token').execute();
  await db.schema.alterTable('datasets').dropColumn('after_token').execute();
  await db.schema.alterTable('datasets').dropColumn('direct').execute();
}
