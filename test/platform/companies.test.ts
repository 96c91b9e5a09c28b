import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/index.ts';

describe('companies', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ secondTenant: true });
  });
  afterAll(() => s?.close());

  const create = async (body: unknown, apiKey?: string) => {
    const res = await s.fetch('/companies', { method: 'POST', body: JSON.stringify(body), apiKey });
    return { status: res.status, body: await res.json() };
  };

  it('creates a company in the Codat shape, stripping forbidden characters', async () => {
    const { status, body } = await create({
      name: 'Acme <Widgets> Ltd!',
      description: 'first',
      tags: { region: 'uk' },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      name: 'Acme Widgets Ltd!',
      description: 'first',
      redirect: `${s.url}/link/company/${body.id}`,
      lastSync: null,
      createdByUserName: 'test',
      products: [],
      tags: { region: 'uk' },
      dataConnections: [],
    });
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(body.created).toISOString()).toBe(body.created);
  });

  it('validates names and tags', async () => {
    expect((await create({ name: '<<>>' })).status).toBe(400);
    expect((await create({ name: '' })).body.validation.errors[0].itemId).toBe('name');
    expect((await create({})).status).toBe(400);
    const tooMany = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v']));
    expect((await create({ name: 'A', tags: tooMany })).body.error).toMatch(/at most 10 tags/);
    expect((await create({ name: 'A', tags: { ['k'.repeat(28)]: 'v' } })).status).toBe(400);
    expect((await create({ name: 'A', tags: { k: 'v'.repeat(101) } })).body.error).toMatch(/at most 100/);
    expect((await create({ name: 'A', bogus: true })).body.validation.errors[0]).toMatchObject({
      itemId: 'bogus',
      validatorName: 'UnknownField',
    });
  });

  it('gets, replaces and patches a company', async () => {
    const { body: c } = await create({ name: 'Patch Me', description: 'd', tags: { a: '1' } });
    const got = await (await s.fetch(`/companies/${c.id}`)).json();
    expect(got).toEqual(c);
    const patched = await (
      await s.fetch(`/companies/${c.id}`, { method: 'PATCH', body: JSON.stringify({ description: 'new' }) })
    ).json();
    expect(patched).toMatchObject({ name: 'Patch Me', description: 'new', tags: { a: '1' } });
    const put = await (
      await s.fetch(`/companies/${c.id}`, { method: 'PUT', body: JSON.stringify({ name: 'Put Co' }) })
    ).json();
    expect(put).toMatchObject({ name: 'Put Co', description: null, tags: {} });
    const badName = await s.fetch(`/companies/${c.id}`, { method: 'PUT', body: JSON.stringify({ name: 'Bad<>' }) });
    expect(badName.status).toBe(400);
    expect((await badName.json()).validation.errors[0].itemId).toBe('name');
  });

  it('pages with the Codat envelope and links', async () => {
    for (const n of ['Page A', 'Page B', 'Page C']) await create({ name: n, tags: { batch: 'paging' } });
    const res = await s.fetch('/companies?page=2&pageSize=1&tags=batch%3Dpaging&orderBy=name');
    const body = await res.json();
    expect(body.pageNumber).toBe(2);
    expect(body.pageSize).toBe(1);
    expect(body.totalResults).toBe(3);
    expect(body.results.map((c: { name: string }) => c.name)).toEqual(['Page B']);
    expect(body._links.self.href).toBe('/companies');
    expect(body._links.current.href).toBe('/companies?page=2&pageSize=1&orderBy=name&tags=batch%3Dpaging');
    expect(body._links.next.href).toContain('page=3');
    expect(body._links.previous.href).toContain('page=1');
    const last = await (await s.fetch('/companies?page=3&pageSize=1&tags=batch%3Dpaging')).json();
    expect(last._links.next).toBeUndefined();
    expect((await s.fetch('/companies?pageSize=5001')).status).toBe(400);
    expect((await s.fetch('/companies?page=0')).status).toBe(400);
  });

  it('filters with query and tags, orders descending, and names the position of a bad query', async () => {
    await create({ name: 'Query Alpha', tags: { region: 'uk', team: 'finance' } });
    await create({ name: 'Query Beta', tags: { region: 'ie', team: 'finance' } });
    const q = encodeURIComponent('name~query && {tags.region=uk || tags.region=ie}');
    const body = await (await s.fetch(`/companies?query=${q}&orderBy=-name`)).json();
    expect(body.results.map((c: { name: string }) => c.name)).toEqual(['Query Beta', 'Query Alpha']);
    const tags = await (await s.fetch(`/companies?tags=${encodeURIComponent('region!=uk && team=finance')}`)).json();
    expect(tags.results.map((c: { name: string }) => c.name)).toEqual(['Query Beta']);
    const bad = await s.fetch(`/companies?query=${encodeURIComponent('name~x &&')}`);
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.error).toMatch(/Invalid query: .*position 10/);
    expect(err.validation.errors[0].itemId).toBe('query');
    const unknown = await s.fetch('/companies?query=secret%3D1');
    expect((await unknown.json()).error).toMatch(/Unknown property "secret"/);
    expect((await s.fetch('/companies?orderBy=nope')).status).toBe(400);
  });

  it('keeps tenants apart: 404 for another tenant, and lists only its own', async () => {
    const { body: mine } = await create({ name: 'Tenant One Co' });
    const other = await s.fetch(`/companies/${mine.id}`, { apiKey: s.second!.apiKey });
    expect(other.status).toBe(404);
    const del = await s.fetch(`/companies/${mine.id}`, { method: 'DELETE', apiKey: s.second!.apiKey });
    expect(del.status).toBe(404);
    const patch = await s.fetch(`/companies/${mine.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ name: 'Hijack' }),
      apiKey: s.second!.apiKey,
    });
    expect(patch.status).toBe(404);
    const list = await (await s.fetch('/companies', { apiKey: s.second!.apiKey })).json();
    expect(list.totalResults).toBe(0);
  });

  it('deletes a company with its connections', async () => {
    const { body: c } = await create({ name: 'Delete Me' });
    const now = new Date().toISOString();
    await s.store.db
      .insertInto('connections')
      .values({
        id: '00000000-0000-4000-8000-000000000001',
        tenant_id: s.tenantId,
        company_id: c.id,
        platform_key: 'jcrp',
        integration_id: 'i',
        source_id: 's',
        source_type: 'Accounting',
        platform_name: 'Sage 200cloud',
        status: 'Linked',
        created: now,
        last_sync: null,
        connection_info: null,
        updated_at: now,
      })
      .execute();
    const res = await s.fetch(`/companies/${c.id}`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await s.fetch(`/companies/${c.id}`)).status).toBe(404);
    const left = await s.store.db.selectFrom('connections').selectAll().where('company_id', '=', c.id).execute();
    expect(left).toEqual([]);
    expect((await s.fetch(`/companies/${c.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});
