import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/index.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('GET /portal-config', () => {
  it('tells the portal where the embedded simulator is, without a key', async () => {
    server = await startTestServer({ config: { embedded: true, sage: { authBaseUrl: 'http://127.0.0.1:8090/' } } });
    const res = await fetch(`${server.url}/portal-config`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      embedded: true,
      simulatorUrl: 'http://127.0.0.1:8090',
      simulatorCredentialsUrl: 'http://127.0.0.1:8090/_sim/credentials',
    });
  });

  it('names no simulator outside the embedded mode', async () => {
    server = await startTestServer({ config: { embedded: false } });
    const body = await (await fetch(`${server.url}/portal-config`)).json();
    expect(body).toMatchObject({ embedded: false, simulatorUrl: null, simulatorCredentialsUrl: null });
  });
});
