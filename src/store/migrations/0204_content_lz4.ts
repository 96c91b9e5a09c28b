// PostgreSQL: record contents (jsonb, TOAST-compressed when over about 2 KB: invoices with their lines, customers
// with their contacts) are compressed with lz4 instead of pglz, which costs less CPU to write and to read back,
// on the first load, the stage and the merge. Needs PostgreSQL 14+ built with lz4 (Debian's and the official images
// are); otherwise pglz stays. Rows already stored keep their compression until rewritten.
import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../json.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed Database exists.
async function lz4Available(db: Kysely<any>): Promise<boolean> {
  if (dialectOf(db) !== 'postgres') return false;
  const { rows } = await sql<{ ok: boolean }>`
    select exists (select 1 from pg_settings
                   where name = 'default_toast_compression' and 'lz4' = any(enumvals)) as ok`.execute(db);
  return rows[0]?.ok === true;
}

// biome-ignore lint/suspicious/noExplicitAny: see lz4Available()
export async function up(db: Kysely<any>): Promise<void> {
  if (!(await lz4Available(db))) return;
  await sql`alter table records alter column content set compression lz4`.execute(db);
  await sql`alter table record_stage alter column content set compression lz4`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see lz4Available()
export async function down(db: Kysely<any>): Promise<void> {
  if (!(await lz4Available(db))) return;
  await sql`alter table records alter column content set compression default`.execute(db);
  await sql`alter table record_stage alter column content set compression default`.execute(db);
}
