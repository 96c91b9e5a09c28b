// `direct_written`: how many records a first load has added to `records` so far, counted with each page's checkpoint
// (the dataset's recordsModified when it completes), instead of counting the company's rows of the type at the end:
// at 400,000 journal entries that count was about a second at the end of the longest dataset.
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed Database exists.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('datasets')
    .addColumn('direct_written', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('datasets').dropColumn('direct_written').execute();
}
