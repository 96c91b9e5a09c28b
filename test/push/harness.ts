// Push test harness: the real simulator, a real Ledgerlink server (SQLite or PostgreSQL via test/helpers), the Sage
// 200 integration configured with the demo credentials, and companies linked to simulator companies through the real
// Sage ID login (tokens stored as the Link flow stores them).
import { randomUUID } from 'node:crypto';
import { DEMO_CLIENT, DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { saveConsentTokens } from '../../src/platform/tokens.ts';
import type { PushServiceDeps } from '../../src/push/service.ts';
import type { PushOperation } from '../../src/push/types.ts';
import { signInAtSage } from '../connector/sim-login.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

export const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

export async function startSim(): Promise<Simulator> {
  return startSimulator({ port: 0, scale: 0.05 });
}

export interface Harness {
  sim: Simulator;
  server: TestServer;
  close(): Promise<void>;
}

/** A clock the test moves forward (timeouts, idempotency expiry). */
export function testClock() {
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  return Object.assign(clock, { advance: (ms: number) => (offset += ms) });
}

export async function startHarness(
  sim: Simulator,
  overrides: Partial<PushServiceDeps> = {},
  clock?: () => Date,
  /** Sage API base for the integration (e.g. a fault proxy in front of the simulator) */
  apiBaseUrl?: string,
): Promise<Harness> {
  const server = await startTestServer({
    clock,
    config: { sage: { authBaseUrl: sim.url, apiBaseUrl: `${sim.url}/uk/sage200/accounts/v1/` } },
    services: { pushBackground: false, pushOverrides: { waitMs: 30_000, retryDelayMs: () => 50, ...overrides } },
  });
  const res = await server.fetch('/integrations/jcrp/settings/production', {
    method: 'PUT',
    body: JSON.stringify({
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      subscriptionKey: DEMO_SUBSCRIPTION_KEY,
      ...(apiBaseUrl ? { apiBaseUrl } : {}),
    }),
  });
  if (!res.ok) throw new Error(`integration settings: ${res.status} ${await res.text()}`);
  return { sim, server, close: () => server.close() };
}

export interface Linked {
  companyId: string;
  connectionId: string;
  /** Sage access token for checking the simulator's books directly */
  accessToken: string;
  simCompanyId: number;
}

/** A company linked to simulator company `simCompanyId` (1 = Hadley Engineering Ltd, 4 = Trial Company Ltd). */
export async function linkCompany(h: Harness, simCompanyId = 1): Promise<Linked> {
  const { server, sim } = h;
  const db = server.store.db;
  const companyId = randomUUID();
  const connectionId = randomUUID();
  const now = new Date().toISOString();
  const demo = DEMO_COMPANIES.find((c) => c.companyId === simCompanyId)!;
  await db
    .insertInto('companies')
    .values({
      id: companyId,
      tenant_id: server.tenantId,
      name: demo.companyName,
      description: null,
      created: now,
      created_by_user_name: null,
      last_sync: null,
      products: '[]',
      tags: '{}',
    })
    .execute();
  await db
    .insertInto('connections')
    .values({
      id: connectionId,
      tenant_id: server.tenantId,
      company_id: companyId,
      platform_key: 'jcrp',
      integration_id: randomUUID(),
      source_id: randomUUID(),
      source_type: 'Accounting',
      platform_name: 'Sage 200cloud',
      status: 'Linked',
      created: now,
      last_sync: null,
      connection_info: JSON.stringify({
        siteId: demo.siteId,
        siteName: demo.siteName,
        companyId: String(demo.companyId),
        companyName: demo.companyName,
      }),
      updated_at: now,
    })
    .execute();
  const credentials = {
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    subscriptionKey: DEMO_SUBSCRIPTION_KEY,
    authBaseUrl: sim.url,
    apiBaseUrl: `${sim.url}/uk/sage200/accounts/v1/`,
  };
  const auth = createSageAuth();
  const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 'push-test', redirectUri: REDIRECT }));
  const code = new URL(location).searchParams.get('code') ?? '';
  const tokens = await auth.exchangeCode(credentials, { code, redirectUri: REDIRECT });
  await saveConsentTokens(db, server.keyring, connectionId, tokens, new Date());
  return { companyId, connectionId, accessToken: tokens.accessToken, simCompanyId };
}

/** GET on the simulator's Sage API as the linked company (to check the books). */
export async function sage<T = unknown>(
  h: Harness,
  l: Linked,
  path: string,
  query: Record<string, string> = {},
): Promise<T> {
  const demo = DEMO_COMPANIES.find((c) => c.companyId === l.simCompanyId)!;
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${h.sim.url}/uk/sage200/accounts/v1/${path}${qs ? `?${qs}` : ''}`, {
    headers: {
      Authorization: `Bearer ${l.accessToken}`,
      'X-Site': demo.siteId,
      'X-Company': String(demo.companyId),
      'Ocp-Apim-Subscription-Key': DEMO_SUBSCRIPTION_KEY,
    },
  });
  if (!res.ok) throw new Error(`sage GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function simChecks(h: Harness, simCompanyId = 1): Promise<Record<string, unknown>> {
  const res = await fetch(`${h.sim.url}/_sim/companies/${simCompanyId}/checks`);
  return (await res.json()) as Record<string, unknown>;
}

export async function simSwitch(h: Harness, body: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${h.sim.url}/_sim/switches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sim switches: ${res.status} ${await res.text()}`);
}

export interface PushCall {
  status: number;
  body: PushOperation & Record<string, unknown>;
  headers: Headers;
}

/** POST/PUT/DELETE a push through the Ledgerlink API. */
export async function push(
  h: Harness,
  l: Linked,
  dataType: string,
  body: unknown,
  o: { method?: 'POST' | 'PUT' | 'DELETE'; recordId?: string; query?: string; idempotencyKey?: string } = {},
): Promise<PushCall> {
  const method = o.method ?? (o.recordId ? 'PUT' : 'POST');
  const path = `/companies/${l.companyId}/connections/${l.connectionId}/push/${dataType}${o.recordId ? `/${o.recordId}` : ''}${o.query ? `?${o.query}` : ''}`;
  const res = await h.server.fetch(path, {
    method,
    ...(method === 'DELETE' ? {} : { body: JSON.stringify(body) }),
    headers: {
      ...Object.fromEntries(
        Object.entries(h.server.headers()).filter(([k]) => method !== 'DELETE' || k.toLowerCase() !== 'content-type'),
      ),
      ...(o.idempotencyKey ? { 'Idempotency-Key': o.idempotencyKey } : {}),
    },
  });
  return { status: res.status, body: (await res.json()) as PushCall['body'], headers: res.headers };
}

/** The first customer, tax codes and nominal codes of the simulator company, for building bodies. */
export async function refs(h: Harness, l: Linked) {
  const [customers, suppliers, taxCodes, nominals, banks] = await Promise.all([
    sage<Record<string, any>[]>(h, l, 'customers', { $orderby: 'id asc', $top: '50' }),
    sage<Record<string, any>[]>(h, l, 'suppliers', { $orderby: 'id asc', $top: '50' }),
    sage<Record<string, any>[]>(h, l, 'tax_codes', { $orderby: 'id asc' }),
    sage<Record<string, any>[]>(h, l, 'nominal_codes', { $orderby: 'id asc', $top: '500' }),
    sage<Record<string, any>[]>(h, l, 'banks', { $orderby: 'id asc' }),
  ]);
  return { customers, suppliers, taxCodes, nominals, banks };
}

/** Every record of a data type as the connector reads it (the same mappers a sync uses). */
export async function readRecords(h: Harness, l: Linked, dataType: string): Promise<Record<string, unknown>[]> {
  const { sage200Connector } = await import('../../src/connectors/sage200/index.ts');
  const { createLogger } = await import('../../src/logger.ts');
  const demo = DEMO_COMPANIES.find((c) => c.companyId === l.simCompanyId)!;
  const ctx = {
    connectionId: l.connectionId,
    credentials: {
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      subscriptionKey: DEMO_SUBSCRIPTION_KEY,
      authBaseUrl: h.sim.url,
      apiBaseUrl: `${h.sim.url}/uk/sage200/accounts/v1/`,
    },
    tokens: { getAccessToken: async () => l.accessToken, refreshAfterUnauthorized: async () => l.accessToken },
    source: { siteId: demo.siteId, companyId: String(demo.companyId) },
    logger: createLogger({ level: 'silent' }),
  };
  const out: Record<string, unknown>[] = [];
  for await (const page of sage200Connector.read(ctx, dataType as never, { pageSize: 5000 })) out.push(...page.records);
  return out;
}
