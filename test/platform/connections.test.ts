import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addError, getConnection, markDeauthorized, markLinked } from '../../src/platform/connections.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

describe('connections', () => {
  let s: TestServer;
  let companyId: string;
  beforeAll(async () => {
    s = await startTestServer({ secondTenant: true });
    companyId = (
      await (await s.fetch('/companies', { method: 'POST', body: JSON.stringify({ name: 'Conn Co' }) })).json()
    ).id;
  });
  afterAll(() => s?.close());

  const post = (body: unknown, apiKey?: string, cid = companyId) =>
    s.fetch(`/companies/${cid}/connections`, { method: 'POST', body: JSON.stringify(body), apiKey });

  async function enable() {
    await s.fetch('/integrations/jcrp/settings/production', {
      method: 'PUT',
      body: JSON.stringify({ clientId: 'c', clientSecret: 'secret-value-1', subscriptionKey: 'sub-value-1' }),
    });
    const res = await s.fetch('/integrations/jcrp', { method: 'PATCH', body: JSON.stringify({ enabled: true }) });
    expect(res.status).toBe(200);
  }

  it('refuses a connection to a disabled integration with 422', async () => {
    const res = await post({ platformKey: 'jcrp' });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatch(
      /Sage 200cloud is not enabled.*Client ID, Client secret and Subscription key/,
    );
    expect((await post({ platformKey: 'zzzz' })).status).toBe(404);
    expect((await post({})).status).toBe(400);
  });

  it('creates a PendingAuth connection with its link URL, and returns it again on a second POST', async () => {
    await enable();
    const res = await post({ platformKey: 'jcrp' });
    expect(res.status).toBe(200);
    const c = await res.json();
    expect(c).toMatchObject({
      integrationKey: 'jcrp',
      platformName: 'Sage 200cloud',
      sourceType: 'Accounting',
      status: 'PendingAuth',
      linkUrl: `${s.url}/link/companies/${companyId}/connections/${c.id}/start`,
      lastSync: null,
      dataConnectionErrors: [],
      connectionInfo: null,
    });
    const again = await (await post({ platformKey: 'jcrp' })).json();
    expect(again.id).toBe(c.id);
    const company = await (await s.fetch(`/companies/${companyId}`)).json();
    expect(company.dataConnections.map((d: { id: string }) => d.id)).toEqual([c.id]);
    const list = await (await s.fetch(`/companies/${companyId}/connections?query=status%3DPendingAuth`)).json();
    expect(list.totalResults).toBe(1);
    expect(list._links.self.href).toBe(`/companies/${companyId}/connections`);
  });

  it('unlinks only Linked connections; records errors and deauthorization', async () => {
    const list = await (await s.fetch(`/companies/${companyId}/connections`)).json();
    const id = list.results[0].id;
    const patch = (body: unknown) =>
      s.fetch(`/companies/${companyId}/connections/${id}`, { method: 'PATCH', body: JSON.stringify(body) });
    const early = await patch({ status: 'Unlinked' });
    expect(early.status).toBe(409);
    expect((await early.json()).error).toMatch(/Only a Linked connection can be unlinked; this one is PendingAuth/);
    expect((await patch({ status: 'Linked' })).status).toBe(400);

    await markLinked(s.store.db, id, {
      siteId: 'S1',
      companyId: '1',
      companyName: 'Hadley',
      refreshTokenExpiresAt: '2027-01-01T00:00:00.000Z',
    });
    const linked = await (await s.fetch(`/companies/${companyId}/connections/${id}`)).json();
    expect(linked.status).toBe('Linked');
    expect(linked.connectionInfo).toMatchObject({ siteId: 'S1', companyName: 'Hadley' });

    await markDeauthorized(s.store.db, id, 'Sage refused the refresh token; re-link via linkUrl');
    await addError(s.store.db, id, {
      statusCode: 503,
      statusText: 'Service Unavailable',
      errorMessage: 'Sage down',
      status: null,
    });
    const deauth = await (await s.fetch(`/companies/${companyId}/connections/${id}`)).json();
    expect(deauth.status).toBe('Deauthorized');
    expect(deauth.dataConnectionErrors).toHaveLength(2);
    expect(deauth.dataConnectionErrors[0]).toMatchObject({
      statusCode: '401',
      status: 'Active',
      errorMessage: expect.stringMatching(/re-link/),
    });
    expect((await patch({ status: 'Unlinked' })).status).toBe(409);

    await markLinked(s.store.db, id, { siteId: 'S2' });
    const relinked = await (await s.fetch(`/companies/${companyId}/connections/${id}`)).json();
    expect(relinked.connectionInfo).toMatchObject({ siteId: 'S2', companyName: 'Hadley' });
    expect(relinked.dataConnectionErrors[0]).toMatchObject({ status: 'Resolved' });
    const unlinked = await patch({ status: 'Unlinked' });
    expect(unlinked.status).toBe(200);
    expect((await unlinked.json()).status).toBe('Unlinked');
    expect((await getConnection(s.store.db, id))?.status).toBe('Unlinked');
  });

  it('hides connections from other tenants and deletes', async () => {
    const list = await (await s.fetch(`/companies/${companyId}/connections`)).json();
    const id = list.results[0].id;
    const other = s.second!.apiKey;
    expect((await s.fetch(`/companies/${companyId}/connections`, { apiKey: other })).status).toBe(404);
    expect((await s.fetch(`/companies/${companyId}/connections/${id}`, { apiKey: other })).status).toBe(404);
    expect((await post({ platformKey: 'jcrp' }, other)).status).toBe(404);
    expect(
      (await s.fetch(`/companies/${companyId}/connections/${id}`, { method: 'DELETE', apiKey: other })).status,
    ).toBe(404);
    const del = await s.fetch(`/companies/${companyId}/connections/${id}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await s.fetch(`/companies/${companyId}/connections/${id}`)).status).toBe(404);
  });
});
