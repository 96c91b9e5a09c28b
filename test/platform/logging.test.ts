import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

describe('logging', () => {
  let s: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void lines.push(l) } });
    s = await startTestServer({ logger });
  });
  afterAll(() => s?.close());

  it('never logs secrets, and tags every request line with its correlation id', async () => {
    const secret = 'very-secret-client-value-123';
    const sub = 'very-secret-subscription-456';
    const res = await s.fetch('/integrations/jcrp/settings/production', {
      method: 'PUT',
      body: JSON.stringify({ clientId: 'cid', clientSecret: secret, subscriptionKey: sub }),
      headers: { 'x-correlation-id': 'corr-log-1' },
    });
    expect(res.status).toBe(200);
    const bad = await s.fetch('/integrations/jcrp/settings/production', {
      method: 'PUT',
      body: JSON.stringify({ clientId: 'cid', clientSecret: `${secret} x` }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).not.toContain(secret);
    // a structured log of an object holding secrets is redacted too
    s.app.log.info(
      { credentials: { clientSecret: secret, subscriptionKey: sub }, authorization: `Bearer ${s.apiKey}` },
      'x',
    );

    const all = lines.join('');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(sub);
    expect(all).not.toContain(s.apiKey);
    expect(all).not.toContain(Buffer.from(s.apiKey).toString('base64'));
    const tagged = lines.map((l) => JSON.parse(l)).filter((l) => l.correlationId === 'corr-log-1');
    expect(tagged.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['incoming request', 'integration settings saved', 'request completed']),
    );
  });

  it('answers 500s with a Codat error that hides internals, and readyz says the database is unreachable', async () => {
    const broken = await startTestServer();
    try {
      await broken.store.db.destroy();
      const res = await broken.fetch('/companies', { apiKey: null, headers: { authorization: 'Bearer x' } });
      // auth itself needs the database: the failure is a 500, not a misleading 401
      expect(res.status).toBe(500);
      const body = await res.json();
      expect(body).toMatchObject({ statusCode: 500, canBeRetried: 'true' });
      expect(body.error).toMatch(/unexpected error.*correlation id/);
      expect(body.error).not.toMatch(/destroyed|driver/i);
      const ready = await broken.fetch('/readyz', { apiKey: null });
      expect(ready.status).toBe(503);
    } finally {
      await broken.app.close();
      await broken.store.close().catch(() => {});
    }
  });
});
