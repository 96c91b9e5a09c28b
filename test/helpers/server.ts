// startTestServer(): a full Ledgerlink server on 127.0.0.1:0 with a fresh store (SQLite or PostgreSQL, see
// store.ts), a tenant and its API key, and optionally a second tenant to test isolation.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Config, type ConfigOverrides, loadConfig } from '../../src/config.ts';
import { createRuntime } from '../../src/http/runtime.ts';
import { buildServer } from '../../src/http/server.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createApiKey } from '../../src/platform/api-keys.ts';
import type { Clock } from '../../src/platform/ids.ts';
import { createKeyring, type Keyring } from '../../src/platform/secrets.ts';
import { createTenant } from '../../src/platform/tenants.ts';
import { createTestStore, type TestStore } from './store.ts';

export interface TestServerOptions {
  /** also create a second tenant with its own key */
  secondTenant?: boolean;
  /** config overrides (e.g. sage base URLs pointing at a simulator) */
  config?: ConfigOverrides;
  /** extra env for loadConfig */
  env?: Record<string, string>;
  clock?: Clock;
  services?: Record<string, unknown>;
  logger?: Logger;
  /** reuse a store (not closed by close()) */
  store?: TestStore;
  portalDir?: string;
  /**
   * 'embedded': also run the sync engine (datasets, scheduler, webhooks) in-process, as `npm start` does; its
   * services (`events`, `sync`) are merged into `services`. Default 'none': API only (your test may wire its own).
   */
  runtime?: 'embedded' | 'none';
}

export interface TestServer {
  /** base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  apiKey: string;
  tenantId: string;
  second?: { apiKey: string; tenantId: string };
  store: TestStore;
  config: Config;
  keyring: Keyring;
  app: FastifyInstance;
  /** headers with `Authorization: Basic` for the (first or given) key, plus JSON content type */
  headers(apiKey?: string): Record<string, string>;
  /** fetch against the server with the first key (override headers or pass apiKey: null for none) */
  fetch(path: string, init?: RequestInit & { apiKey?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export const basicAuth = (apiKey: string): string => `Basic ${Buffer.from(apiKey).toString('base64')}`;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const store = options.store ?? (await createTestStore());
  const ownsStore = !options.store;
  const keyringKey = randomBytes(32);
  const config = loadConfig(
    { LOG_LEVEL: 'silent', ...options.env },
    {
      port: 0,
      host: '127.0.0.1',
      dataDir: store.dir,
      database: store.database,
      masterKey: { current: keyringKey.toString('base64'), old: [] },
      ...options.config,
    },
  );
  const keyring = createKeyring([keyringKey]);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const tenant = await createTenant(store.db, 'Test tenant', options.clock);
  const key = await createApiKey(store.db, tenant.id, 'test', options.clock);
  let second: TestServer['second'];
  if (options.secondTenant) {
    const t2 = await createTenant(store.db, 'Second tenant', options.clock);
    const k2 = await createApiKey(store.db, t2.id, 'test-2', options.clock);
    second = { apiKey: k2.apiKey, tenantId: t2.id };
  }
  // Keep the caller's object: tests add services (e.g. a sync engine) after the server started.
  const services = options.services ?? {};
  const runtime =
    options.runtime === 'embedded'
      ? await createRuntime({ config, store, logger, keyring, clock: options.clock, role: 'embedded' })
      : undefined;
  if (runtime) Object.assign(services, runtime.services);
  const app = await buildServer({
    config,
    store,
    logger,
    keyring,
    clock: options.clock,
    services,
    portalDir: options.portalDir,
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace(/\/$/, '');
  // PUBLIC_URL follows the real port unless a test set one.
  if (!options.config?.publicUrl) config.publicUrl = url;
  await runtime?.start();

  const headers = (apiKey = key.apiKey) => ({ authorization: basicAuth(apiKey), 'content-type': 'application/json' });
  return {
    url,
    apiKey: key.apiKey,
    tenantId: tenant.id,
    second,
    store,
    config,
    keyring,
    app,
    headers,
    fetch(path, init = {}) {
      const { apiKey, ...rest } = init;
      const h: Record<string, string> = {};
      if (apiKey !== null) h.authorization = basicAuth(apiKey ?? key.apiKey);
      if (rest.body !== undefined) h['content-type'] = 'application/json';
      return fetch(`${url}${path}`, { ...rest, headers: { ...h, ...(rest.headers as Record<string, string>) } });
    },
    async close() {
      await runtime?.stop();
      await app.close();
      if (ownsStore) await store.close();
    },
  };
}
