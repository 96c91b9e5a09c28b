import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/index.ts';

describe('server foundations', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it('serves health and readiness without a key', async () => {
    const h = await s.fetch('/healthz', { apiKey: null });
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ status: 'ok' });
    const r = await s.fetch('/readyz', { apiKey: null });
    expect(r.status).toBe(200);
    expect((await r.json()).database).toBe('ok');
  });

  it('rejects requests without a key with a Codat error and a correlation id', async () => {
    const res = await s.fetch('/companies', { apiKey: null, headers: { 'x-correlation-id': 'abc-123' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-correlation-id')).toBe('abc-123');
    const body = await res.json();
    expect(body).toMatchObject({ statusCode: 401, correlationId: 'abc-123', canBeRetried: 'false' });
    expect(body.error).toMatch(/API key/);
  });

  it('returns a Codat 404 for unknown routes with a valid key', async () => {
    const res = await s.fetch('/nope');
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.statusCode).toBe(404);
    expect(body.validation).toEqual({ errors: [], warnings: [] });
  });

  it('serves OpenAPI and metrics', async () => {
    const o = await s.fetch('/openapi.json', { apiKey: null });
    expect(o.status).toBe(200);
    const doc = await o.json();
    expect(doc.openapi).toBe('3.1.0');
    const m = await s.fetch('/metrics', { apiKey: null });
    const text = await m.text();
    expect(text).toMatch(/ledgerlink_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/);
  });
});
