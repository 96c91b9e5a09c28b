// withLock excludes concurrent holders across separate connections/pools (as separate processes would be).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store, withLock } from '../../src/store/index.ts';
import { createTestStore, type TestStore } from '../helpers/index.ts';

describe('withLock', () => {
  let a: TestStore;
  let b: Store;
  beforeAll(async () => {
    a = await createTestStore();
    b = createStore({ database: a.database });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('runs one holder at a time across two independent database handles, and commits its writes', async () => {
    const events: string[] = [];
    const hold = (store: Store, who: string) =>
      withLock(store.db, 'token-refresh:test', async (trx) => {
        events.push(`${who}:in`);
        await new Promise((r) => setTimeout(r, 150));
        await trx.insertInto('tenants').values({ id: who, name: who, created_at: new Date().toISOString() }).execute();
        events.push(`${who}:out`);
        return who;
      });
    const results = await Promise.all([hold(a, 'A'), hold(b, 'B')]);
    expect(results.sort()).toEqual(['A', 'B']);
    // no interleaving: each holder leaves before the other enters
    expect([events.slice(0, 2), events.slice(2)].map((p) => p[0].split(':')[0] === p[1].split(':')[0])).toEqual([
      true,
      true,
    ]);
    const rows = await a.db.selectFrom('tenants').select('id').where('id', 'in', ['A', 'B']).execute();
    expect(rows).toHaveLength(2);
  });

  it('rolls back and releases when the holder throws', async () => {
    await expect(
      withLock(a.db, 'x', async (trx) => {
        await trx.insertInto('tenants').values({ id: 'C', name: 'C', created_at: 'now' }).execute();
        throw new Error('nope');
      }),
    ).rejects.toThrow('nope');
    expect(await a.db.selectFrom('tenants').select('id').where('id', '=', 'C').execute()).toEqual([]);
    expect(await withLock(b.db, 'x', async () => 'again')).toBe('again');
  });
});
