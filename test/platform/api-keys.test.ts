import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/index.ts';

describe('API keys and authentication', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ secondTenant: true });
  });
  afterAll(() => s?.close());

  it('accepts Basic base64(key) and Bearer key; refuses wrong or missing keys with 401', async () => {
    expect((await s.fetch('/companies')).status).toBe(200);
    const bearer = await fetch(`${s.url}/companies`, { headers: { authorization: `Bearer ${s.apiKey}` } });
    expect(bearer.status).toBe(200);
    const basicColon = await fetch(`${s.url}/companies`, {
      headers: { authorization: `Basic ${Buffer.from(`${s.apiKey}:`).toString('base64')}` },
    });
    expect(basicColon.status).toBe(200);
    const wrong = await fetch(`${s.url}/companies`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error).toMatch(/not valid/);
    const none = await fetch(`${s.url}/companies`);
    expect(none.status).toBe(401);
    expect((await none.json()).error).toMatch(/Authorization: Basic/);
  });

  it('creates a key shown once, stores only its hash, lists without values, and revokes on delete', async () => {
    const res = await s.fetch('/apiKeys', { method: 'POST', body: JSON.stringify({ name: 'ci' }) });
    expect(res.status).toBe(201);
    const created = await res.json();
    expect(created).toMatchObject({ name: 'ci', apiKey: expect.stringMatching(/^[A-Za-z0-9]{40}$/) });
    expect(created.createdUtc).toBe(created.createdDate);

    const row = await s.store.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(createHash('sha256').update(created.apiKey).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(created.apiKey);

    const list = await (await s.fetch('/apiKeys')).json();
    expect(list.results.map((k: { name: string }) => k.name)).toEqual(['test', 'ci']);
    expect(JSON.stringify(list)).not.toContain(created.apiKey);
    expect(list.results[1]).not.toHaveProperty('apiKey');

    expect((await s.fetch('/companies', { apiKey: created.apiKey })).status).toBe(200);
    expect((await s.fetch(`/apiKeys/${created.id}`, { method: 'DELETE', apiKey: s.second!.apiKey })).status).toBe(404);
    expect((await s.fetch(`/apiKeys/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await s.fetch('/companies', { apiKey: created.apiKey })).status).toBe(401);
    expect((await s.fetch(`/apiKeys/${created.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('validates the name and caps keys at 10 per tenant', async () => {
    const long = await s.fetch('/apiKeys', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(51) }) });
    expect(long.status).toBe(400);
    const other = s.second!.apiKey;
    for (let i = 0; i < 9; i++) {
      expect((await s.fetch('/apiKeys', { method: 'POST', body: '{}', apiKey: other })).status).toBe(201);
    }
    const over = await s.fetch('/apiKeys', { method: 'POST', body: '{}', apiKey: other });
    expect(over.status).toBe(409);
    expect((await over.json()).error).toMatch(/maximum/);
    const noBody = await fetch(`${s.url}/apiKeys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.apiKey}` },
    });
    expect(noBody.status).toBe(201);
  });
});

describe('rate limit', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '3' }, secondTenant: true });
  });
  afterAll(() => s?.close());

  it('answers 429 with Retry-After once a tenant spends its budget; other tenants are unaffected', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await s.fetch('/companies');
      expect(ok.status).toBe(200);
      expect(ok.headers.get('x-rate-limit-remaining')).toBe(String(2 - i));
    }
    const limited = await s.fetch('/companies');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await limited.json();
    expect(body).toMatchObject({ statusCode: 429, canBeRetried: 'true' });
    expect((await s.fetch('/companies', { apiKey: s.second!.apiKey })).status).toBe(200);
    expect((await s.fetch('/healthz', { apiKey: null })).status).toBe(200);
  });
});
