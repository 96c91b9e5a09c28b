import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntegrationCredentials, isIntegrationEnabled } from '../../src/platform/integrations.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

const SECRET = 'client-secret-0123456789abcd';
const SUBKEY = 'subscription-key-00000wxyz';

describe('integrations', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      secondTenant: true,
      config: { sage: { authBaseUrl: 'http://sim.test', apiBaseUrl: 'http://sim.test/uk/sage200/accounts/v1/' } },
    });
  });
  afterAll(() => s?.close());

  const put = (env: string, body: unknown, apiKey?: string) =>
    s.fetch(`/integrations/jcrp/settings/${env}`, { method: 'PUT', body: JSON.stringify(body), apiKey });
  const patch = (body: unknown, apiKey?: string) =>
    s.fetch('/integrations/jcrp', { method: 'PATCH', body: JSON.stringify(body), apiKey });

  it('lists Sage 200cloud in the Codat shape, paged', async () => {
    const res = await s.fetch('/integrations');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ pageNumber: 1, pageSize: 100, totalResults: 1 });
    expect(body._links.self.href).toBe('/integrations');
    const [jcrp] = body.results;
    expect(jcrp).toMatchObject({
      key: 'jcrp',
      name: 'Sage 200cloud',
      enabled: false,
      configured: false,
      sourceType: 'Accounting',
      isOfflineConnector: false,
      isBeta: false,
    });
    expect(jcrp.integrationId).toMatch(/^[0-9a-f-]{36}$/);
    const invoices = jcrp.datatypeFeatures.find((f: { dataType: string }) => f.dataType === 'invoices');
    expect(invoices.supportedFeatures).toContainEqual({ featureType: 'Get', featureState: 'Release' });
  });

  it('gets one integration and 404s an unknown key', async () => {
    const ok = await s.fetch('/integrations/jcrp');
    expect((await ok.json()).name).toBe('Sage 200cloud');
    const bad = await s.fetch('/integrations/xero');
    expect(bad.status).toBe(404);
    expect((await bad.json()).error).toMatch(/Integration "xero" not found; available integrations: jcrp/);
  });

  it('shows default settings before anything is saved', async () => {
    const res = await s.fetch('/integrations/jcrp/settings');
    const body = await res.json();
    expect(body).toEqual({
      platformKey: 'jcrp',
      enabled: false,
      activeEnvironment: 'production',
      redirectUri: `${s.url}/oauth/callback`,
      environments: {
        production: {
          configured: false,
          clientId: null,
          clientSecret: null,
          subscriptionKey: null,
          authBaseUrl: 'http://sim.test',
          apiBaseUrl: 'http://sim.test/uk/sage200/accounts/v1/',
        },
        sandbox: expect.objectContaining({ configured: false }),
      },
    });
  });

  it('refuses to enable an unconfigured integration with 422', async () => {
    const res = await patch({ enabled: true });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.statusCode).toBe(422);
    expect(body.error).toMatch(/save Client ID, Client secret and Subscription key/);
  });

  it('requires both secrets on first save', async () => {
    const res = await put('production', { clientId: 'abc' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.validation.errors.map((e: { itemId: string }) => e.itemId).sort()).toEqual([
      'clientSecret',
      'subscriptionKey',
    ]);
  });

  it('refuses whitespace per field with NoWhitespace items', async () => {
    const res = await put('production', { clientId: 'ab c', clientSecret: 'sec ret', subscriptionKey: ' key' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.validation.errors).toEqual(
      expect.arrayContaining([
        { itemId: 'clientId', message: 'Client ID must not contain spaces', validatorName: 'NoWhitespace' },
        { itemId: 'clientSecret', message: 'Client secret must not contain spaces', validatorName: 'NoWhitespace' },
        {
          itemId: 'subscriptionKey',
          message: 'Subscription key must not contain spaces',
          validatorName: 'NoWhitespace',
        },
      ]),
    );
    expect(JSON.stringify(body)).not.toContain('sec ret');
  });

  it('rejects unknown fields, wrong types, malformed JSON and oversized bodies with 4xx', async () => {
    const unknown = await put('production', { clientId: 'a', clientSecret: 'b', subscriptionKey: 'c', extra: 1 });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).validation.errors[0]).toMatchObject({
      itemId: 'extra',
      validatorName: 'UnknownField',
    });
    const wrongType = await put('production', { clientId: 42 });
    expect(wrongType.status).toBe(400);
    expect((await wrongType.json()).validation.errors[0].itemId).toBe('clientId');
    const malformed = await s.fetch('/integrations/jcrp/settings/production', { method: 'PUT', body: '{"clientId":' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toMatch(/Malformed JSON/);
    const big = await put('production', { clientId: 'x'.repeat(2_000_000) });
    expect(big.status).toBe(413);
    expect((await big.json()).statusCode).toBe(413);
    const badEnv = await put('staging', { clientId: 'a' });
    expect(badEnv.status).toBe(400);
  });

  it('saves, masks secrets, and stores them encrypted', async () => {
    const res = await put('production', { clientId: 'client-1', clientSecret: SECRET, subscriptionKey: SUBKEY });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.environments.production).toMatchObject({
      configured: true,
      clientId: 'client-1',
      clientSecret: '••••••abcd',
      subscriptionKey: '••••••wxyz',
    });
    const text = JSON.stringify(body);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SUBKEY);
    const row = await s.store.db
      .selectFrom('integration_environments')
      .selectAll()
      .where('tenant_id', '=', s.tenantId)
      .executeTakeFirstOrThrow();
    expect(row.client_secret_enc).toMatch(/^llenc:v1:[0-9a-f]{12}:/);
    expect(row.client_secret_enc).not.toContain(SECRET);
    expect(row.subscription_key_enc).not.toContain(SUBKEY);
  });

  it('keeps stored secrets when they are omitted on update', async () => {
    const res = await put('production', { clientId: 'client-2', authBaseUrl: 'http://id.example' });
    expect(res.status).toBe(200);
    const creds = await getIntegrationCredentials(s.store.db, s.tenantId, 'jcrp', {
      keyring: s.keyring,
      defaults: s.config.sage,
    });
    expect(creds).toEqual({
      clientId: 'client-2',
      clientSecret: SECRET,
      subscriptionKey: SUBKEY,
      authBaseUrl: 'http://id.example',
      apiBaseUrl: 'http://sim.test/uk/sage200/accounts/v1/',
    });
  });

  it('enables once configured; refuses switching to an unconfigured environment while enabled', async () => {
    const res = await patch({ enabled: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ enabled: true, configured: true });
    expect(await isIntegrationEnabled(s.store.db, s.tenantId, 'jcrp')).toBe(true);
    const sw = await patch({ activeEnvironment: 'sandbox' });
    expect(sw.status).toBe(422);
    expect((await sw.json()).error).toMatch(/sandbox/);
    expect((await patch({ enabled: 'yes' })).status).toBe(400);
    const off = await patch({ enabled: false });
    expect((await off.json()).enabled).toBe(false);
    await patch({ enabled: true });
  });

  it('isolates tenants: the second tenant sees its own, unconfigured settings', async () => {
    const res = await s.fetch('/integrations/jcrp/settings', { apiKey: s.second!.apiKey });
    const body = await res.json();
    expect(body.enabled).toBe(false);
    expect(body.environments.production.configured).toBe(false);
    expect(
      await getIntegrationCredentials(s.store.db, s.second!.tenantId, 'jcrp', {
        keyring: s.keyring,
        defaults: s.config.sage,
      }),
    ).toBeUndefined();
  });
});
