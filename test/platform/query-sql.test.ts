// The query language against a real database (SQLite, or PostgreSQL when DATABASE_URL is set).
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOrderBy, compileQuery, parseQuery, runPagedQuery } from '../../src/query/index.ts';
import { jsonType, toJson } from '../../src/store/index.ts';
import { createTestStore, type TestStore } from '../helpers/index.ts';

interface Doc {
  id: string;
  company_id: string;
  amount: number;
  data: string;
}

const records = [
  {
    id: '1',
    amount: 150,
    data: {
      status: 'Paid',
      totalAmount: 150,
      currency: 'GBP',
      customerRef: { id: '61', companyName: "O'Brien & Sons" },
      issueDate: '2024-01-10T00:00:00',
      isDeleted: false,
    },
  },
  {
    id: '2',
    amount: 40,
    data: {
      status: 'Submitted',
      totalAmount: 40,
      currency: 'EUR',
      customerRef: { id: '62', companyName: 'Bank of Dave' },
      issueDate: '2024-03-05T00:00:00',
      isDeleted: false,
    },
  },
  {
    id: '3',
    amount: 75.5,
    data: {
      status: 'PartiallyPaid',
      totalAmount: 75.5,
      currency: 'GBP',
      customerRef: { id: '61', companyName: "O'Brien & Sons" },
      issueDate: '2024-02-01T00:00:00',
      isDeleted: true,
    },
  },
  {
    id: '4',
    amount: 1000,
    data: {
      status: 'Void',
      totalAmount: 1000,
      currency: 'USD',
      customerRef: { id: '70', companyName: 'Zed Ltd' },
      issueDate: '2023-12-31T00:00:00',
    },
  },
];

describe('query language over SQL', () => {
  let store: TestStore;
  let db: Kysely<{ docs: Doc }>;
  beforeAll(async () => {
    store = await createTestStore();
    db = store.db as unknown as Kysely<{ docs: Doc }>;
    await db.schema
      .createTable('docs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('amount', 'numeric', (c) => c.notNull())
      .addColumn('data', jsonType(db), (c) => c.notNull())
      .execute();
    await db
      .insertInto('docs')
      .values(records.map((r) => ({ id: r.id, company_id: 'c1', amount: r.amount, data: toJson(r.data) })))
      .execute();
  });
  afterAll(() => store?.close());

  const ids = async (query: string) => {
    const where = compileQuery(parseQuery(query), {
      dialect: store.dialect,
      columns: { id: 'id', amount: { expr: sql.ref('amount'), type: 'number' } },
      jsonColumn: 'data',
    });
    const rows = await db.selectFrom('docs').select('id').where(where).orderBy('id').execute();
    return rows.map((r) => r.id);
  };

  it('filters on JSON paths with every operator', async () => {
    expect(await ids('status=paid')).toEqual(['1']);
    expect(await ids('status!=Paid')).toEqual(['2', '3', '4']);
    expect(await ids('currency=GBP')).toEqual(['1', '3']);
    expect(await ids('customerRef.id=61')).toEqual(['1', '3']);
    expect(await ids('customerRef.companyName~bank')).toEqual(['2']);
    expect(await ids('totalAmount>75.5')).toEqual(['1', '4']);
    expect(await ids('totalAmount>=75.5')).toEqual(['1', '3', '4']);
    expect(await ids('totalAmount<75.5')).toEqual(['2']);
    expect(await ids('totalAmount<=40')).toEqual(['2']);
    expect(await ids('totalAmount=75.50')).toEqual(['3']);
    expect(await ids('issueDate>=2024-02-01')).toEqual(['2', '3']);
    expect(await ids('isDeleted=true')).toEqual(['3']);
  });

  it('combines conditions with && || and {} groups', async () => {
    expect(await ids('{totalAmount > 100 || totalAmount < 50} && status != paid')).toEqual(['2', '4']);
    expect(await ids('currency=GBP && totalAmount>100 || currency=USD')).toEqual(['1', '4']);
    expect(await ids('currency=GBP && {totalAmount>100 || currency=USD}')).toEqual(['1']);
  });

  it('uses real columns before the JSON document', async () => {
    expect(await ids('amount>100')).toEqual(['1', '4']);
    expect(await ids('id=2')).toEqual(['2']);
  });

  it('keeps injection attempts as plain values', async () => {
    expect(await ids(`status="x' or 1=1 --"`)).toEqual([]);
    expect(await ids(`customerRef.companyName="O'Brien & Sons"`)).toEqual(['1', '3']);
    expect(await ids(`status="'); drop table docs; --"`)).toEqual([]);
    expect(() => parseQuery(`status') or 1=1 --=x`)).toThrow(/Unexpected character/);
    const count = await db.selectFrom('docs').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(4);
  });

  it('rejects unknown properties when there is no JSON column', () => {
    expect(() => compileQuery(parseQuery('nope=1'), { dialect: store.dialect, columns: { name: 'name' } })).toThrow(
      /Unknown property "nope"; you can query: name \(at position 1\)/,
    );
  });

  it('orders by JSON paths and pages', async () => {
    const opts = { dialect: store.dialect, columns: { id: 'id' }, jsonColumn: 'data' };
    const order = compileOrderBy('-totalAmount', opts);
    let qb = db.selectFrom('docs').select('id');
    for (const t of order) qb = qb.orderBy(t.expr, t.direction);
    expect((await qb.execute()).map((r) => r.id)).toEqual(['4', '1', '3', '2']);

    const page = await runPagedQuery(
      db.selectFrom('docs').select('id'),
      { page: 2, pageSize: 1, query: 'currency!=EUR', orderBy: 'issueDate' },
      {
        ...opts,
        defaultOrder: compileOrderBy('id', opts),
      },
    );
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual(['1']);
  });
});
