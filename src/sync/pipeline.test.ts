import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../test/helpers/store.ts';
import { seedCompany, testDeps } from '../../test/sync/fixtures.ts';
import { ConnectorError, type StandardRecord } from '../connectors/connector.ts';
import {
  DatasetInProgressError,
  dataStatus,
  getDataset,
  lastComplete,
  queueDataset,
  sweepStale,
  toPullOperation,
} from './datasets.ts';
import { type MemorySource, memoryConnector } from './memory-connector.ts';
import { runDataset } from './pipeline.ts';
import { toApiRecord } from './records-store.ts';

const customer = (id: string, name: string, modified = '2026-01-01T10:00:00'): StandardRecord => ({
  id,
  customerName: name,
  status: 'Active',
  sourceModifiedDate: modified,
});

let store: TestStore;
let ids: Awaited<ReturnType<typeof seedCompany>>;
let source: MemorySource;

beforeEach(async () => {
  store = await createTestStore();
  ids = await seedCompany(store.db);
  source = {
    records: new Map([
      ['customers', ['1', '2', '3', '4', '5'].map((i) => customer(i, `Customer ${i}`, `2026-01-0${i}T10:00:00`))],
    ]),
    pagesServed: new Map(),
  };
});
afterEach(async () => {
  await store.close();
});

async function sync(opts: { full?: boolean; deps?: Parameters<typeof testDeps>[2]; shutdown?: AbortSignal } = {}) {
  const row = await queueDataset(store.db, {
    tenantId: ids.tenantId,
    companyId: ids.companyId,
    connectionId: ids.connectionId,
    dataType: 'customers',
    full: opts.full,
    now: new Date(),
  });
  const outcome = await runDataset(testDeps(store.db, memoryConnector(source), opts.deps), row.id, 'w1', opts.shutdown);
  return { id: row.id, outcome };
}

async function visible() {
  const rows = await store.db
    .selectFrom('records')
    .selectAll()
    .where('company_id', '=', ids.companyId)
    .where('data_type', '=', 'customers')
    .orderBy('record_id')
    .execute();
  return rows.map((r) => ({ ...toApiRecord(r), _modified: r.modified_date }) as Record<string, unknown>);
}

describe('sync pipeline', () => {
  it('full sync stages pages and completes with exactly the source records', async () => {
    const { id, outcome } = await sync();
    expect(outcome).toBe('Complete');
    const ds = (await getDataset(store.db, id))!;
    expect(toPullOperation(ds)).toMatchObject({
      status: 'Complete',
      progress: 100,
      isCompleted: true,
      isErrored: false,
    });
    expect(ds.pages).toBe(3);
    expect(ds.records_fetched).toBe(5);
    expect(ds.records_modified).toBe(5);
    const recs = await visible();
    expect(recs.map((r) => r.customerName)).toEqual([
      'Customer 1',
      'Customer 2',
      'Customer 3',
      'Customer 4',
      'Customer 5',
    ]);
    expect(recs[0].metadata).toEqual({ isDeleted: false });
    const status = await dataStatus(store.db, ids.companyId);
    expect(status.customers).toMatchObject({ currentStatus: 'Complete', latestSyncId: id, latestSuccessfulSyncId: id });
    expect(await store.db.selectFrom('record_stage').selectAll().execute()).toHaveLength(0);
  });

  it('a first load whose source serves an id on two pages (offsets shifted) overwrites it and counts it once', async () => {
    source.records.set('customers', [
      customer('1', 'Customer 1'),
      customer('2', 'Customer 2'),
      customer('2', 'Customer 2, again'),
      customer('3', 'Customer 3'),
      customer('4', 'Customer 4'),
    ]);
    const { id, outcome } = await sync();
    expect(outcome).toBe('Complete');
    const ds = (await getDataset(store.db, id))!;
    expect(ds.direct).toBe(1);
    expect(ds.pages).toBe(3);
    expect(ds.records_fetched).toBe(5);
    expect(ds.records_modified).toBe(4);
    expect((await visible()).map((r) => r.customerName)).toEqual([
      'Customer 1',
      'Customer 2, again',
      'Customer 3',
      'Customer 4',
    ]);
  });

  it('a first load writes records directly; a failed one leaves none; later full syncs go through the stage', async () => {
    source.failAt = {
      dataType: 'customers',
      page: 1,
      error: new ConnectorError('PermissionsError', 'access withdrawn'),
    };
    const failed = await sync();
    expect(failed.outcome).toBe('PermissionsError');
    expect((await getDataset(store.db, failed.id))!.direct).toBe(1);
    expect(await visible()).toHaveLength(0);

    // an abandoned first load (worker gone, rows left behind) is replaced by the next first load
    await store.db
      .insertInto('records')
      .values({
        company_id: ids.companyId,
        data_type: 'customers',
        record_id: '99',
        connection_id: ids.connectionId,
        content: JSON.stringify(customer('99', 'Left behind')),
        content_hash: 'x',
        source_modified_date: null,
        modified_date: new Date().toISOString(),
        is_deleted: 0,
        dataset_id: 'abandoned',
      })
      .execute();
    source.failAt = null;
    const first = await sync();
    expect(first.outcome).toBe('Complete');
    const ds = (await getDataset(store.db, first.id))!;
    expect(ds.direct).toBe(1);
    expect(ds.records_modified).toBe(5);
    expect(ds.high_water).toBe('2026-01-05T10:00:00');
    expect((await visible()).map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);

    // a later full sync must protect the visible data: it stages, and a failure keeps the last good data
    source.records.get('customers')![0] = customer('1', 'Changed', '2026-03-01T10:00:00');
    source.failAt = {
      dataType: 'customers',
      page: 2,
      error: new ConnectorError('PermissionsError', 'access withdrawn'),
    };
    const again = await sync({ full: true });
    expect(again.outcome).toBe('PermissionsError');
    expect((await getDataset(store.db, again.id))!.direct).toBe(0);
    expect((await visible()).map((r) => r.customerName)).toEqual([
      'Customer 1',
      'Customer 2',
      'Customer 3',
      'Customer 4',
      'Customer 5',
    ]);
  });

  it('modifiedDate changes only for records whose content changed; incremental reads only changed ones', async () => {
    await sync();
    const before = await visible();
    await new Promise((r) => setTimeout(r, 5));
    source.records.get('customers')![1] = customer('2', 'Customer 2 renamed', '2026-02-01T10:00:00');
    source.pagesServed.clear();
    const { id } = await sync();
    const ds = (await getDataset(store.db, id))!;
    expect(ds.is_full).toBe(0);
    // the changed record plus the one at the previous high-water mark (inclusive overlap), unchanged so not modified
    expect(ds.records_fetched).toBe(2);
    expect(ds.records_modified).toBe(1);
    const after = await visible();
    expect(after[1].customerName).toBe('Customer 2 renamed');
    expect(after[1]._modified).not.toBe(before[1]._modified);
    for (const i of [0, 2, 3, 4]) expect(after[i]._modified).toBe(before[i]._modified);
  });

  it('marks records gone from the source as deleted (incremental id reconciliation), never hard-deletes', async () => {
    await sync();
    source.records.set(
      'customers',
      source.records.get('customers')!.filter((r) => r.id !== '3'),
    );
    const { id } = await sync();
    expect((await getDataset(store.db, id))!.records_deleted).toBe(1);
    const recs = await visible();
    expect(recs).toHaveLength(5);
    expect(recs.find((r) => r.id === '3')!.metadata).toEqual({ isDeleted: true });
    expect(recs.filter((r) => (r.metadata as { isDeleted: boolean }).isDeleted)).toHaveLength(1);
  });

  it('checks for deletions on an incremental only when the last check is older than deletionCheckAfterMs', async () => {
    const options = {
      heartbeatMs: 200,
      retryDelayMs: 50,
      maxAttempts: 1,
      overlapMs: 0,
      deletionCheckAfterMs: 3_600_000,
    };
    await sync({ deps: { options } });
    source.records.set(
      'customers',
      source.records.get('customers')!.filter((r) => r.id !== '3'),
    );
    let listed = 0;
    source.listIdsError = null;
    const counting = memoryConnector(source);
    const list = counting.listIds!.bind(counting);
    counting.listIds = (ctx, dt, o) => {
      listed++;
      return list(ctx, dt, o);
    };
    // the full read a moment ago checked everything, so this incremental lists nothing
    const row = await queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() });
    expect(await runDataset(testDeps(store.db, counting, { options }), row.id, 'w1')).toBe('Complete');
    expect(listed).toBe(0);
    expect((await getDataset(store.db, row.id))!.records_deleted).toBe(0);
    // once the last check is older than the interval, the next incremental lists ids and finds the deletion
    await store.db
      .updateTable('datasets')
      .set({ completed: new Date(Date.now() - 2 * 3_600_000).toISOString() })
      .where('company_id', '=', ids.companyId)
      .execute();
    const again = await queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() });
    expect(await runDataset(testDeps(store.db, counting, { options }), again.id, 'w1')).toBe('Complete');
    expect(listed).toBe(1);
    expect((await getDataset(store.db, again.id))!.records_deleted).toBe(1);
  });

  it('a failed id reconciliation deletes nothing and says so in the warnings', async () => {
    await sync();
    source.records.set('customers', []);
    source.listIdsError = new ConnectorError('FetchError', 'Sage answered 503');
    const { id, outcome } = await sync();
    expect(outcome).toBe('Complete');
    const ds = (await getDataset(store.db, id))!;
    expect(ds.records_deleted).toBe(0);
    expect(JSON.parse(ds.validation!).warnings[0].ruleId).toBe('sync-deletions-skipped');
    expect((await visible()).every((r) => (r.metadata as { isDeleted: boolean }).isDeleted === false)).toBe(true);
  });

  it('a failed sync keeps the last good data and reports the error status', async () => {
    await sync();
    source.records.get('customers')![0] = customer('1', 'Changed', '2026-03-01T00:00:00');
    source.failAt = {
      dataType: 'customers',
      page: 0,
      error: new ConnectorError('FetchError', 'Sage answered 500 three times'),
    };
    const { id, outcome } = await sync({ full: true });
    expect(outcome).toBe('FetchError');
    const ds = (await getDataset(store.db, id))!;
    expect(toPullOperation(ds)).toMatchObject({ status: 'FetchError', isErrored: true });
    expect(ds.error_message).toContain('500');
    expect((await visible())[0].customerName).toBe('Customer 1');
    const st = await dataStatus(store.db, ids.companyId);
    expect(st.customers).toMatchObject({ currentStatus: 'FetchError', latestSyncId: id });
    expect((st.customers as { latestSuccessfulSyncId: string }).latestSuccessfulSyncId).not.toBe(id);
  });

  it('validation errors end in ValidationError and keep the previous data', async () => {
    await sync();
    source.records.get('customers')![0] = customer('1', '', '2026-03-01T00:00:00');
    const { id, outcome } = await sync({
      deps: {
        validate: (_t, records) => ({
          errors: records
            .filter((r) => r.customerName === '')
            .map((r) => ({ ruleId: 'test-001', itemId: String(r.id), message: 'name empty', validatorName: 'Test' })),
          warnings: [],
        }),
      },
    });
    expect(outcome).toBe('ValidationError');
    expect(JSON.parse((await getDataset(store.db, id))!.validation!).errors[0]).toMatchObject({ itemId: '1' });
    expect((await visible())[0].customerName).toBe('Customer 1');
  });

  it('one sync in flight per company and data type', async () => {
    const first = await queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() });
    await expect(queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() })).rejects.toThrow(
      DatasetInProgressError,
    );
    await expect(queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() })).rejects.toThrow(first.id);
  });

  it('shutdown checkpoints and the next run resumes from the cursor, not from scratch', async () => {
    const stop = new AbortController();
    let pages = 0;
    const connector = memoryConnector(source);
    const read = connector.read.bind(connector);
    connector.read = async function* (ctx, dt, o) {
      for await (const p of read(ctx, dt, o)) {
        yield p;
        if (++pages === 2) stop.abort();
      }
    };
    const row = await queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() });
    expect(await runDataset(testDeps(store.db, connector), row.id, 'w1', stop.signal)).toBe('released');
    const mid = (await getDataset(store.db, row.id))!;
    expect(mid.status).toBe('Queued');
    expect(mid.cursor).not.toBeNull();
    // A first load writes into `records` directly, but nothing is served until a dataset of the type completes.
    expect(mid.direct).toBe(1);
    expect(await lastComplete(store.db, ids.companyId, 'customers')).toBeUndefined();
    const servedBefore = source.pagesServed.get('customers')!;
    expect(await runDataset(testDeps(store.db, memoryConnector(source)), row.id, 'w2')).toBe('Complete');
    // 3 pages in all: the resumed run reads only what was not checkpointed.
    expect(source.pagesServed.get('customers')! - servedBefore).toBeLessThan(3);
    expect((await visible()).map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('validates each page as it is mapped and keeps the findings across a resume', async () => {
    source.records.get('customers')![0] = customer('1', 'BAD name');
    source.records.get('customers')![3] = customer('4', 'odd name');
    const seen: string[] = [];
    const validate: Parameters<typeof testDeps>[2] = {
      validate: (_t, records) => {
        seen.push(...records.map((r) => String(r.id)));
        const item = (r: Record<string, unknown>, msg: string) => ({
          ruleId: 'test-name',
          itemId: String(r.id),
          message: msg,
          validatorName: 'Test',
        });
        return {
          errors: records.filter((r) => String(r.customerName).startsWith('BAD')).map((r) => item(r, 'bad name')),
          warnings: records.filter((r) => String(r.customerName).startsWith('odd')).map((r) => item(r, 'odd name')),
        };
      },
    };
    const stop = new AbortController();
    const connector = memoryConnector(source);
    const read = connector.read.bind(connector);
    let pages = 0;
    connector.read = async function* (ctx, dt, o) {
      for await (const p of read(ctx, dt, o)) {
        yield p;
        if (++pages === 2) stop.abort();
      }
    };
    const row = await queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() });
    expect(await runDataset(testDeps(store.db, connector, validate), row.id, 'w1', stop.signal)).toBe('released');
    // the first page's error is committed with its checkpoint
    expect(JSON.parse((await getDataset(store.db, row.id))!.validation!).errors).toHaveLength(1);
    expect(await runDataset(testDeps(store.db, memoryConnector(source), validate), row.id, 'w2')).toBe(
      'ValidationError',
    );
    const ds = (await getDataset(store.db, row.id))!;
    const v = JSON.parse(ds.validation!);
    expect(v.errors.map((e: { itemId: string }) => e.itemId)).toEqual(['1']);
    expect(v.warnings.map((e: { itemId: string }) => e.itemId)).toEqual(['4']);
    expect(ds.error_message).toContain('bad name');
    // every record validated once: the resumed run did not re-read the checkpointed page
    expect(seen.sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(await visible()).toHaveLength(0);
  });

  it('stale running datasets are re-queued, then failed with a clear message past the attempt limit', async () => {
    const row = await queueDataset(store.db, { ...ids, dataType: 'customers', now: new Date() });
    await store.db
      .updateTable('datasets')
      .set({ status: 'Fetching', worker_id: 'dead', heartbeat_at: '2020-01-01T00:00:00.000Z', attempts: 1 })
      .where('id', '=', row.id)
      .execute();
    expect((await sweepStale(store.db, new Date(), 1000, 3)).requeued).toEqual([row.id]);
    expect((await getDataset(store.db, row.id))!.status).toBe('Queued');
    await store.db
      .updateTable('datasets')
      .set({ status: 'Fetching', worker_id: 'dead', heartbeat_at: '2020-01-01T00:00:00.000Z', attempts: 3 })
      .where('id', '=', row.id)
      .execute();
    expect((await sweepStale(store.db, new Date(), 1000, 3)).failed).toEqual([row.id]);
    const ds = (await getDataset(store.db, row.id))!;
    expect(ds.status).toBe('InternalError');
    expect(ds.error_message).toMatch(/stopped responding 3 times/);
    expect(ds.running_key).toBeNull();
  });
});
