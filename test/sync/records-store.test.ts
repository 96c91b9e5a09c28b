// The records store writes a page in one statement on PostgreSQL (contents joined by U+001E and split on the
// server) and in chunked inserts on SQLite: every character a record can hold comes back unchanged, including
// quotes, backslashes, U+001E itself (JSON escapes it) and non-ASCII text; a repeated id keeps its last row.
// SQLite, or PostgreSQL with DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { claimDataset, getDataset, ownedUpdate, queueDataset } from '../../src/sync/datasets.ts';
import {
  commitPagePg,
  isUniqueViolation,
  mergeStage,
  pgPage,
  readStage,
  stageRows,
  toStagedRow,
  writeDirect,
} from '../../src/sync/records-store.ts';
import { createTestStore, type TestStore } from '../helpers/store.ts';
import { seedCompany } from './fixtures.ts';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});
afterAll(async () => {
  await store?.close();
});

const tricky = (id: string, n: number) => ({
  id,
  name: `Acme "Quoted" \\ Ltd \u001e rs \u0001 ctl, {braces}, 'single', é ü 漢字 🚀 #${n}`,
  nested: { list: ['"', '\\', '\u001e', '', null], n },
  sourceModifiedDate: n % 2 ? null : '2026-10-01T00:00:00Z',
});

it('a page round-trips through the stage and the direct write unchanged; the last of a repeated id wins', async () => {
  const db = store.db;
  const { companyId, connectionId } = await seedCompany(db);
  const records = Array.from({ length: 50 }, (_, i) => tricky(String(i + 1), i));
  const rows = [...records, tricky('7', 999)].map((r) => toStagedRow(r));
  const datasetId = randomUUID();
  await db.transaction().execute((trx) => stageRows(trx, datasetId, rows));
  const staged: Record<string, unknown>[] = [];
  for await (const page of readStage(db, datasetId)) staged.push(...page);
  const expected = [...records.filter((r) => r.id !== '7'), tricky('7', 999)];
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => Number(a.id) - Number(b.id);
  expect(staged.sort(byId)).toEqual(expected.sort(byId));

  const target = { datasetId, companyId, connectionId, dataType: 'customers', now: new Date().toISOString() };
  await db.transaction().execute((trx) => writeDirect(trx, target, rows));
  const direct: Record<string, unknown>[] = [];
  for await (const page of readStage(db, datasetId, 5000, { companyId, dataType: 'customers' })) direct.push(...page);
  expect(direct.sort(byId)).toEqual(expected);
  const hashes = await db
    .selectFrom('records')
    .select(['record_id', 'content_hash', 'source_modified_date'])
    .where('company_id', '=', companyId)
    .where('record_id', '=', '2')
    .executeTakeFirstOrThrow();
  expect(hashes).toEqual({
    record_id: '2',
    content_hash: toStagedRow(tricky('2', 1)).content_hash,
    source_modified_date: null,
  });
});

it('a content that is not JSON.stringify output (a raw U+001E) is refused, not split apart', () => {
  const row = { ...toStagedRow({ id: '1' }), content: '{"id":"1","x":"\u001e"}' };
  expect(row.content.includes('\u001e')).toBe(true);
  expect(() => pgPage([row])).toThrow(/not JSON.stringify output/);
  const page = pgPage([toStagedRow({ id: '2', x: '\u001e' }), toStagedRow({ id: '3' })]);
  expect(page.contents.toString('utf8').split('\u001e')).toEqual(['{"id":"2","x":"\\u001e"}', '{"id":"3"}']);
});

it('a first load inserts plainly and counts what it added; an id already there fails the insert and is upserted', async () => {
  const db = store.db;
  const { companyId, connectionId } = await seedCompany(db);
  const target = {
    datasetId: randomUUID(),
    companyId,
    connectionId,
    dataType: 'invoices',
    now: new Date().toISOString(),
  };
  const rows = (ids: string[], n: number) => ids.map((id) => toStagedRow(tricky(id, n)));
  expect(await db.transaction().execute((trx) => writeDirect(trx, target, rows(['1', '2', '3'], 1), 'insert'))).toBe(3);
  const failed = await db
    .transaction()
    .execute((trx) => writeDirect(trx, target, rows(['3', '4'], 2), 'insert'))
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  expect(isUniqueViolation(failed)).toBe(true);
  // the failed page left nothing behind; the upsert adds '4' and overwrites '3'
  expect(await db.transaction().execute((trx) => writeDirect(trx, target, rows(['3', '4', '4'], 2), 'upsert'))).toBe(1);
  const stored = await db
    .selectFrom('records')
    .select(['record_id', 'content_hash'])
    .where('company_id', '=', companyId)
    .where('data_type', '=', 'invoices')
    .orderBy('record_id')
    .execute();
  expect(stored).toEqual(
    [toStagedRow(tricky('1', 1)), toStagedRow(tricky('2', 1)), ...rows(['3', '4'], 2)].map((r) => ({
      record_id: r.record_id,
      content_hash: r.content_hash,
    })),
  );
  expect(isUniqueViolation(new Error('other'))).toBe(false);
});

it('a merge inserts new rows, updates changed and returning ones, and leaves unchanged rows untouched', async () => {
  const db = store.db;
  const { companyId, connectionId } = await seedCompany(db);
  const first = {
    datasetId: randomUUID(),
    companyId,
    connectionId,
    dataType: 'invoices',
    now: '2026-11-01T00:00:00.000Z',
  };
  const rows = (ids: string[], n: number) => ids.map((id) => toStagedRow(tricky(id, n)));
  await db.transaction().execute((trx) => writeDirect(trx, first, rows(['1', '2', '3'], 1), 'insert'));
  await db
    .updateTable('records')
    .set({ is_deleted: 1 })
    .where('company_id', '=', companyId)
    .where('record_id', '=', '3')
    .execute();

  // '1' unchanged, '2' changed, '3' back from deletion with the same content, '4' new
  const datasetId = randomUUID();
  await db
    .transaction()
    .execute((trx) =>
      stageRows(trx, datasetId, [...rows(['1'], 1), ...rows(['2'], 2), ...rows(['3'], 1), ...rows(['4'], 4)]),
    );
  const now = '2026-11-02T00:00:00.000Z';
  const res = await db
    .transaction()
    .execute((trx) =>
      mergeStage(trx, { datasetId, companyId, connectionId, dataType: 'invoices', now, deletions: 'none' }),
    );
  expect(res.modified).toBe(3);
  const stored = await db
    .selectFrom('records')
    .select(['record_id', 'content_hash', 'modified_date', 'is_deleted', 'dataset_id'])
    .where('company_id', '=', companyId)
    .orderBy('record_id')
    .execute();
  const expected = (id: string, n: number, modified_date: string, dataset_id: string) => ({
    record_id: id,
    content_hash: toStagedRow(tricky(id, n)).content_hash,
    modified_date,
    is_deleted: 0,
    dataset_id,
  });
  expect(stored).toEqual([
    expected('1', 1, first.now, first.datasetId),
    expected('2', 2, now, datasetId),
    expected('3', 1, now, datasetId),
    expected('4', 4, now, datasetId),
  ]);
  expect(await db.selectFrom('record_stage').select('record_id').where('dataset_id', '=', datasetId).execute()).toEqual(
    [],
  );
});

it.runIf(process.env.DATABASE_URL?.startsWith('postgres'))(
  'PostgreSQL: a page and its checkpoint commit in one statement, and neither is written without the lease',
  async () => {
    const db = store.db;
    const { companyId, connectionId } = await seedCompany(db);
    const tenantId = (
      await db.selectFrom('companies').select('tenant_id').where('id', '=', companyId).executeTakeFirstOrThrow()
    ).tenant_id;
    const now = new Date();
    const ds = await queueDataset(db, { tenantId, companyId, connectionId, dataType: 'invoices', now });
    expect((await claimDataset(db, ds.id, 'worker-a', now, 3)).claimed).toBe(true);
    const target = { datasetId: ds.id, companyId, connectionId, dataType: 'invoices', now: now.toISOString() };
    const rows = (ids: string[], n: number) => ids.map((id) => toStagedRow(tricky(id, n)));
    const stored = () =>
      db
        .selectFrom('records')
        .select(['record_id', 'content_hash'])
        .where('company_id', '=', companyId)
        .orderBy('record_id')
        .execute();
    const check = (cursor: string, n: number) => ({ cursor, pagesInc: 1, fetchedInc: n, writtenInc: n });

    // owned: the rows and the checkpoint
    expect(
      await commitPagePg(
        db,
        ownedUpdate(db, ds.id, 'worker-a', check('c1', 2)),
        { direct: target },
        rows(['1', '2'], 1),
      ),
    ).toBe(true);
    expect((await stored()).map((r) => r.record_id)).toEqual(['1', '2']);
    expect(await getDataset(db, ds.id)).toMatchObject({
      cursor: 'c1',
      pages: 1,
      records_fetched: 2,
      direct_written: 2,
    });

    // a page holding an id already written fails whole: no row, no checkpoint
    const dup = await commitPagePg(
      db,
      ownedUpdate(db, ds.id, 'worker-a', check('c2', 2)),
      { direct: target },
      rows(['2', '3'], 2),
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isUniqueViolation(dup)).toBe(true);
    expect((await stored()).map((r) => r.record_id)).toEqual(['1', '2']);
    expect(await getDataset(db, ds.id)).toMatchObject({ cursor: 'c1', pages: 1, records_fetched: 2 });

    // the stage is upserted with its checkpoint
    expect(
      await commitPagePg(
        db,
        ownedUpdate(db, ds.id, 'worker-a', check('c3', 2)),
        { stage: ds.id },
        rows(['5', '5', '6'], 3),
      ),
    ).toBe(true);
    const staged: Record<string, unknown>[] = [];
    for await (const page of readStage(db, ds.id)) staged.push(...page);
    expect(staged.map((r) => r.id).sort()).toEqual(['5', '6']);
    expect(await getDataset(db, ds.id)).toMatchObject({ cursor: 'c3', pages: 2 });

    // another worker's lease: nothing written, and the caller is told
    expect(
      await commitPagePg(db, ownedUpdate(db, ds.id, 'worker-b', check('c4', 1)), { direct: target }, rows(['9'], 4)),
    ).toBe(false);
    expect(
      await commitPagePg(db, ownedUpdate(db, ds.id, 'worker-b', check('c4', 1)), { stage: ds.id }, rows(['9'], 4)),
    ).toBe(false);
    expect((await stored()).map((r) => r.record_id)).toEqual(['1', '2']);
    const after: Record<string, unknown>[] = [];
    for await (const page of readStage(db, ds.id)) after.push(...page);
    expect(after.map((r) => r.id).sort()).toEqual(['5', '6']);
    expect(await getDataset(db, ds.id)).toMatchObject({ cursor: 'c3', pages: 2, records_fetched: 4 });
  },
);

it.runIf(process.env.DATABASE_URL?.startsWith('postgres'))(
  'PostgreSQL: record contents are compressed with lz4 where the server has it (migration 0204)',
  async () => {
    const { rows } = await sql<{ table: string; method: string; lz4: boolean }>`
      select c.relname as table, a.attcompression as method,
             exists (select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)) as lz4
      from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.oid in ('records'::regclass, 'record_stage'::regclass) and a.attname = 'content'
      order by c.relname`.execute(store.db);
    expect(rows.map((r) => r.table)).toEqual(['record_stage', 'records']);
    for (const r of rows) expect(r.method).toBe(r.lz4 ? 'l' : '');
  },
);
