import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/index.ts';

describe('OpenAPI and docs', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it('generates OpenAPI 3.1 from the route schemas, with the platform resources as components', async () => {
    const doc = await (await s.fetch('/openapi.json', { apiKey: null })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/companies',
      '/companies/{companyId}',
      '/companies/{companyId}/connections',
      '/companies/{companyId}/connections/{connectionId}',
      '/integrations',
      '/integrations/{platformKey}/settings/{environment}',
      '/apiKeys',
      '/apiKeys/{apiKeyId}',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Company',
        'Connection',
        'Integration',
        'IntegrationSettings',
        'ErrorMessage',
        'ApiKeyDetails',
      ]),
    );
    expect(doc.paths['/healthz']).toBeUndefined();
    const ui = await s.fetch('/docs', { apiKey: null, redirect: 'manual' });
    expect([200, 302]).toContain(ui.status);
  });

  it('redirects / to the portal or the docs', async () => {
    const res = await s.fetch('/', { apiKey: null, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/(portal\/|docs)$/);
  });
});

describe('portal hosting', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    dir = mkdtempSync(join(tmpdir(), 'portal-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>portal-test</title>');
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
    s = await startTestServer({ portalDir: dir });
  });
  afterAll(async () => {
    await s?.close();
    const { rmSync } = await import('node:fs');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves files, falls back to index.html for client routes, and 404s missing assets', async () => {
    const root = await s.fetch('/', { apiKey: null, redirect: 'manual' });
    expect(root.headers.get('location')).toBe('/portal/');
    expect(await (await s.fetch('/portal/', { apiKey: null })).text()).toContain('portal-test');
    expect(await (await s.fetch('/portal/assets/app.js', { apiKey: null })).text()).toBe('console.log(1)');
    const deep = await s.fetch('/portal/companies/123', { apiKey: null });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('portal-test');
    expect((await s.fetch('/portal/assets/missing.js', { apiKey: null })).status).toBe(404);
  });
});
