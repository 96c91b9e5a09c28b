// The records store: staged pages per dataset, merged into the visible `records` table only when the dataset
// completes (one transaction), so a failed or partial sync never replaces the last good data.
import { hash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { StandardRecord } from '../connectors/connector.ts';
import { dialectOf } from '../store/json.ts';
import type { ownedUpdate } from './datasets.ts';
import type { Db, RecordsTable } from './tables.ts';

const CHUNK = 1000;

export interface StagedRow {
  record_id: string;
  content: string;
  content_hash: string;
  source_modified_date: string | null;
}

/** Serialises a record for storage (without the platform-owned `modifiedDate` and `metadata`) and hashes it;
 * `modifiedDate` changes only when this hash changes. */
export function toStagedRow(record: StandardRecord): StagedRow {
  // rest destructuring copies in one builtin step (a per-key loop was a visible cost at a million records)
  const { modifiedDate: _m, metadata: _md, ...clean } = record as Record<string, unknown>;
  const content = JSON.stringify(clean);
  const smd = record.sourceModifiedDate;
  return {
    record_id: String(record.id),
    content,
    content_hash: hash('sha1', content, 'base64'),
    source_modified_date: typeof smd === 'string' && smd ? smd : null,
  };
}

/** Upserts one page into the stage (idempotent: a page re-read after a crash overwrites itself). */
export async function stageRows(trx: Db, datasetId: string, rows: StagedRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (dialectOf(trx) === 'postgres') {
    await pgStageInsert(datasetId, rows).execute(trx);
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ dataset_id: datasetId, ...r }));
    await trx
      .insertInto('record_stage')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['dataset_id', 'record_id']).doUpdateSet((eb) => ({
          content: eb.ref('excluded.content'),
          content_hash: eb.ref('excluded.content_hash'),
          source_modified_date: eb.ref('excluded.source_modified_date'),
        })),
      )
      .execute();
  }
}

/** JSON.stringify never emits a raw control character (inside strings they are escaped), so U+001E can join them. */
const RS = '\u001e';

/**
 * PostgreSQL: a page as four parameters, one statement (no per-row placeholders to parse). The contents travel as
 * one text joined by U+001E and split by `string_to_array` on the server: as a text[] parameter the driver escaped
 * every quote of every JSON content into an array literal, about 6x the client CPU and 3x the time of a page
 * (docs/performance.md). The joined text is built as bytes (sent in binary format, which for `text` is its UTF-8):
 * a JS string of a whole page would be over V8's 128 KiB large-object threshold (see connectors/json-body.ts).
 * A page never repeats an id, except when a source misbehaves: the last row wins, as with the chunked upsert.
 */
export function pgPage(rows: StagedRow[]) {
  const last = new Map<string, StagedRow>();
  for (const r of rows) last.set(r.record_id, r);
  const page = [...last.values()];
  let size = Math.max(0, page.length - 1);
  for (const r of page) {
    if (r.content.includes(RS)) throw new Error(`Record ${r.record_id}: content is not JSON.stringify output`);
    size += Buffer.byteLength(r.content);
  }
  const contents = Buffer.allocUnsafe(size);
  let at = 0;
  for (const [i, r] of page.entries()) {
    if (i > 0) contents[at++] = 0x1e;
    at += contents.write(r.content, at);
  }
  return {
    ids: page.map((r) => r.record_id),
    contents,
    hashes: page.map((r) => r.content_hash),
    stamps: page.map((r) => r.source_modified_date),
  };
}

/** `u(record_id, content, content_hash, source_modified_date)` of a `pgPage` */
export const pgPageRows = (p: ReturnType<typeof pgPage>) =>
  sql`unnest(${p.ids}::text[], string_to_array(${p.contents}::text, chr(30)), ${p.hashes}::text[], ${p.stamps}::text[])
    as u(record_id, content, content_hash, source_modified_date)`;

/** PostgreSQL: a page into the stage, upserted (a page re-read after a crash overwrites itself); `where` filters it. */
const pgStageInsert = (datasetId: string, rows: StagedRow[], where: RawBuilder<unknown> = sql``) => sql`
  insert into record_stage (dataset_id, record_id, content, content_hash, source_modified_date)
  select ${datasetId}, u.record_id, u.content::jsonb, u.content_hash, u.source_modified_date
  from ${pgPageRows(pgPage(rows))} ${where}
  on conflict (dataset_id, record_id) do update set content = excluded.content,
    content_hash = excluded.content_hash, source_modified_date = excluded.source_modified_date`;

/** PostgreSQL: a first load's page into `records` (a plain insert; `writeDirect` adds its upsert); `where` filters it. */
const pgDirectInsert = (t: DirectTarget, rows: StagedRow[], where: RawBuilder<unknown> = sql``) => sql`
  insert into records (company_id, data_type, record_id, connection_id, content, content_hash,
                       source_modified_date, modified_date, is_deleted, dataset_id)
  select ${t.companyId}, ${t.dataType}, u.record_id, ${t.connectionId}, u.content::jsonb, u.content_hash,
         u.source_modified_date, ${t.now}, 0, ${t.datasetId}
  from ${pgPageRows(pgPage(rows))} ${where}`;

/**
 * PostgreSQL: a non-empty page and its checkpoint in one statement, so one round trip instead of four (begin, the
 * rows, the checkpoint, commit; at a page of 1,000 records the round trips were a visible share of a sync's CPU:
 * docs/performance.md). The rows are written only if the checkpoint matched (`where exists`); one statement is one
 * transaction, so either both are written or neither. `into`: a first load's target (a plain insert: a unique
 * violation fails the whole statement, as `writeDirect`'s insert mode) or the dataset's stage (upserted). Returns
 * false when the lease was lost (nothing written).
 */
export async function commitPagePg(
  db: Db,
  checkpoint: ReturnType<typeof ownedUpdate>,
  into: { direct: DirectTarget } | { stage: string },
  rows: StagedRow[],
): Promise<boolean> {
  if (rows.length === 0) throw new Error('commitPagePg: an empty page has only its checkpoint to write');
  const owned = sql`where exists (select 1 from own)`;
  const insert = 'direct' in into ? pgDirectInsert(into.direct, rows, owned) : pgStageInsert(into.stage, rows, owned);
  const res = await sql`with own as (${checkpoint.returning('id')}) ${insert}`.execute(db);
  return Number(res.numAffectedRows ?? 0n) > 0;
}

/** Where a first load writes: the visible table, tagged with its dataset (see `writeDirect`). */
export interface DirectTarget {
  datasetId: string;
  companyId: string;
  connectionId: string;
  dataType: string;
  now: string;
}

/**
 * First load of a data type (no dataset of it ever completed for the company): pages go straight into `records`.
 * Nothing is visible yet (the data endpoints answer 409 until a dataset completes), so no last good data needs the
 * stage's protection, and a 1,000,000-row load is written once instead of staged and then copied. A failed load
 * removes its rows (`discardDirect`). Returns how many of the page's records are new to `records`.
 * `insert` (the normal case: no id is written twice) is a plain insert, cheaper than an upsert's speculative
 * insertion; it fails with a unique violation (`isUniqueViolation`) when an id is already there (a page re-read
 * after a crash, a source whose offsets shifted during the read), and the caller runs the page again with
 * `upsert`, which overwrites.
 */
export async function writeDirect(
  trx: Db,
  t: DirectTarget,
  rows: StagedRow[],
  mode: 'insert' | 'upsert' = 'upsert',
): Promise<number> {
  if (rows.length === 0) return 0;
  const upsert = mode === 'upsert';
  const added = upsert ? await newIds(trx, t, rows) : rows.length;
  if (dialectOf(trx) === 'postgres') {
    const into = pgDirectInsert(t, rows);
    if (!upsert) {
      await into.execute(trx);
      return added;
    }
    await sql`${into}
      on conflict (company_id, data_type, record_id) do update set content = excluded.content,
        content_hash = excluded.content_hash, source_modified_date = excluded.source_modified_date,
        dataset_id = excluded.dataset_id, is_deleted = 0`.execute(trx);
    return added;
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({
      company_id: t.companyId,
      data_type: t.dataType,
      record_id: r.record_id,
      connection_id: t.connectionId,
      content: r.content,
      content_hash: r.content_hash,
      source_modified_date: r.source_modified_date,
      modified_date: t.now,
      is_deleted: 0,
      dataset_id: t.datasetId,
    }));
    const insert = trx.insertInto('records').values(chunk);
    if (!upsert) await insert.execute();
    else
      await insert
        .onConflict((oc) =>
          oc.columns(['company_id', 'data_type', 'record_id']).doUpdateSet((eb) => ({
            content: eb.ref('excluded.content'),
            content_hash: eb.ref('excluded.content_hash'),
            source_modified_date: eb.ref('excluded.source_modified_date'),
            dataset_id: eb.ref('excluded.dataset_id'),
            is_deleted: 0,
          })),
        )
        .execute();
  }
  return added;
}

/** How many distinct ids of a page are not yet in `records` (the upsert path of a first load). */
async function newIds(trx: Db, t: DirectTarget, rows: StagedRow[]): Promise<number> {
  const ids = [...new Set(rows.map((r) => r.record_id))];
  let existing = 0;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const r = await trx
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', t.companyId)
      .where('data_type', '=', t.dataType)
      .where('record_id', 'in', ids.slice(i, i + CHUNK))
      .executeTakeFirst();
    existing += Number(r?.n ?? 0);
  }
  return ids.length - existing;
}

/** A unique-index violation (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Removes a first load's rows: on failure, and before a first load starts (rows left by an earlier first load that
 * was abandoned). Only ever called while no dataset of the type has completed, so none of these rows was visible.
 */
export async function discardDirect(db: Db, companyId: string, dataType: string): Promise<void> {
  await db.deleteFrom('records').where('company_id', '=', companyId).where('data_type', '=', dataType).execute();
}

export async function stageIds(trx: Db, datasetId: string, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  if (dialectOf(trx) === 'postgres') {
    await sql`insert into record_id_stage (dataset_id, record_id)
      select ${datasetId}, u.id from unnest(${unique}::text[]) as u(id)
      on conflict (dataset_id, record_id) do nothing`.execute(trx);
    return;
  }
  for (let i = 0; i < unique.length; i += CHUNK) {
    await trx
      .insertInto('record_id_stage')
      .values(unique.slice(i, i + CHUNK).map((record_id) => ({ dataset_id: datasetId, record_id })))
      .onConflict((oc) => oc.columns(['dataset_id', 'record_id']).doNothing())
      .execute();
  }
}

export async function clearStage(db: Db, datasetId: string): Promise<void> {
  await db.deleteFrom('record_stage').where('dataset_id', '=', datasetId).execute();
  await db.deleteFrom('record_id_stage').where('dataset_id', '=', datasetId).execute();
}

export interface MergeInput {
  datasetId: string;
  companyId: string;
  connectionId: string;
  dataType: string;
  now: string;
  /** 'all' = the stage holds every source record; 'ids' = use record_id_stage; 'none' = delete nothing */
  deletions: 'all' | 'ids' | 'none';
}

export interface MergeResult {
  modified: number;
  deleted: number;
  highWater: string | null;
}

/** Merges a complete dataset's stage into `records`. Run inside the transaction that marks the dataset Complete. */
export async function mergeStage(trx: Db, m: MergeInput): Promise<MergeResult> {
  // Insert new rows; update only rows whose content changed (or that come back from deletion). Unchanged rows are
  // left out before the upsert: on PostgreSQL `on conflict do update ... where` false still locks the row it skips,
  // and that lock is written to the WAL, with a full image of its page after each checkpoint (a full resync stages
  // every row, mostly unchanged; an incremental re-reads its overlap).
  const upsert = await sql`
    insert into records (company_id, data_type, record_id, connection_id, content, content_hash,
                         source_modified_date, modified_date, is_deleted, dataset_id)
    select cast(${m.companyId} as text), cast(${m.dataType} as text), s.record_id, cast(${m.connectionId} as text),
           s.content, s.content_hash, s.source_modified_date, cast(${m.now} as text), 0, s.dataset_id
    from record_stage s where s.dataset_id = ${m.datasetId}
      and not exists (select 1 from records r where r.company_id = ${m.companyId} and r.data_type = ${m.dataType}
                        and r.record_id = s.record_id and r.content_hash = s.content_hash and r.is_deleted = 0)
    on conflict (company_id, data_type, record_id) do update set
      content = excluded.content, content_hash = excluded.content_hash,
      source_modified_date = excluded.source_modified_date, modified_date = excluded.modified_date,
      is_deleted = 0, dataset_id = excluded.dataset_id, connection_id = excluded.connection_id
    where records.content_hash <> excluded.content_hash or records.is_deleted = 1`.execute(trx);
  const modified = Number(upsert.numAffectedRows ?? 0n);

  let deleted = 0;
  if (m.deletions !== 'none') {
    const present =
      m.deletions === 'all'
        ? sql`select 1 from record_stage s where s.dataset_id = ${m.datasetId} and s.record_id = records.record_id`
        : sql`select 1 from record_id_stage s where s.dataset_id = ${m.datasetId} and s.record_id = records.record_id
              union all
              select 1 from record_stage s where s.dataset_id = ${m.datasetId} and s.record_id = records.record_id`;
    const del = await sql`
      update records set is_deleted = 1, modified_date = ${m.now}, dataset_id = ${m.datasetId}
      where company_id = ${m.companyId} and data_type = ${m.dataType} and is_deleted = 0
        and not exists (${present})`.execute(trx);
    deleted = Number(del.numAffectedRows ?? 0n);
  }

  const hw = await trx
    .selectFrom('record_stage')
    .select((eb) => eb.fn.max('source_modified_date').as('hw'))
    .where('dataset_id', '=', m.datasetId)
    .executeTakeFirst();
  await clearStage(trx, m.datasetId);
  return { modified, deleted, highWater: (hw?.hw as string | null) ?? null };
}

/** Parses the stored JSON (text on SQLite, already parsed jsonb on PostgreSQL). */
export function parseContent(content: unknown): Record<string, unknown> {
  return typeof content === 'string' ? JSON.parse(content) : (content as Record<string, unknown>);
}

/** A stored row as the API shows it: the record plus the platform's `modifiedDate` and `metadata.isDeleted`. */
export function toApiRecord(
  row: Pick<RecordsTable, 'content' | 'modified_date' | 'is_deleted'>,
): Record<string, unknown> {
  const c = parseContent(row.content);
  return { ...c, modifiedDate: row.modified_date, metadata: { isDeleted: row.is_deleted === 1 } };
}

/** Reads staged records in chunks (validation), in a stable order; a first load's records from `records`. */
export async function* readStage(
  db: Db,
  datasetId: string,
  chunk = 5000,
  direct?: { companyId: string; dataType: string },
): AsyncIterable<StandardRecord[]> {
  let after = '';
  for (;;) {
    const rows = direct
      ? await db
          .selectFrom('records')
          .select(['record_id', 'content'])
          .where('company_id', '=', direct.companyId)
          .where('data_type', '=', direct.dataType)
          .where('record_id', '>', after)
          .orderBy('record_id')
          .limit(chunk)
          .execute()
      : await db
          .selectFrom('record_stage')
          .select(['record_id', 'content'])
          .where('dataset_id', '=', datasetId)
          .where('record_id', '>', after)
          .orderBy('record_id')
          .limit(chunk)
          .execute();
    if (rows.length === 0) return;
    yield rows.map((r) => parseContent(r.content) as StandardRecord);
    after = rows[rows.length - 1].record_id;
    if (rows.length < chunk) return;
  }
}
