import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerlinkClient, LedgerlinkError } from '../../src/http/client.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

describe('typed client', () => {
  let s: TestServer;
  let ll: LedgerlinkClient;
  beforeAll(async () => {
    s = await startTestServer();
    ll = new LedgerlinkClient({ baseUrl: s.url, apiKey: s.apiKey });
  });
  afterAll(() => s?.close());

  it('drives the setup flow end to end and surfaces Codat errors', async () => {
    const err = await ll.integrations.update('jcrp', { enabled: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedgerlinkError);
    expect((err as LedgerlinkError).status).toBe(422);
    await ll.integrations.saveSettings('jcrp', 'production', {
      clientId: 'c',
      clientSecret: 'sec-1234',
      subscriptionKey: 'sub-5678',
    });
    expect((await ll.integrations.update('jcrp', { enabled: true })).enabled).toBe(true);
    const company = await ll.companies.create({ name: 'Client Co', tags: { source: 'client' } });
    const connection = await ll.connections.create(company.id, 'jcrp');
    expect(connection.status).toBe('PendingAuth');
    const page = await ll.companies.list({ query: 'tags.source=client' });
    expect(page.results.map((c) => c.dataConnections[0]?.id)).toEqual([connection.id]);
    const key = await ll.apiKeys.create('from-client');
    expect((await ll.apiKeys.list()).results.map((k) => k.id)).toContain(key.id);
    await ll.companies.delete(company.id);
    await expect(ll.companies.get(company.id)).rejects.toMatchObject({ status: 404 });
  });
});
