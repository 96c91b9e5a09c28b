// Token lifecycle over a real database (SQLite file, or PostgreSQL with DATABASE_URL) and the simulator's Sage ID:
// refresh ahead of expiry, after a 401, rotation persisted, exactly one refresh under concurrency (one process and
// two stores on the same database), invalid_grant -> Deauthorized.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SITES } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import type { ConnectionContext, IntegrationCredentials } from '../../src/connectors/connector.ts';
import { createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { Sage200Client } from '../../src/connectors/sage200/client.ts';
import { createEventBus, type PlatformEvents } from '../../src/platform/events.ts';
import { newId } from '../../src/platform/ids.ts';
import { createKeyring } from '../../src/platform/secrets.ts';
import { createTenant } from '../../src/platform/tenants.ts';
import {
  createTokenProvider,
  readTokens,
  saveConsentTokens,
  type TokenProviderDeps,
} from '../../src/platform/tokens.ts';
import { createStore, type Store } from '../../src/store/index.ts';
import { createTestStore, type TestStore } from '../helpers/store.ts';
import { demoUser, failure, signInAtSage, simAdmin, simCredentials } from './sim-login.ts';

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const keyring = createKeyring([randomBytes(32)]);
let sim: Simulator;
let credentials: IntegrationCredentials;
const stores: Store[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05 });
  credentials = simCredentials(sim.url);
});
afterAll(async () => {
  await sim?.close();
});
afterEach(async () => {
  for (const s of stores.splice(0).reverse()) await s.close();
});

/** A controllable clock for the platform side (the simulator keeps its own). */
function testClock(start = new Date()) {
  let now = start.getTime();
  const clock = () => new Date(now);
  return Object.assign(clock, { advance: (seconds: number) => (now += seconds * 1000) });
}

async function linkedConnection(store: TestStore, clock: () => Date, email = demoUser.email) {
  const tenant = await createTenant(store.db, 'Tokens tenant');
  const companyId = newId();
  const connectionId = newId();
  const now = clock().toISOString();
  await store.db
    .insertInto('companies')
    .values({
      id: companyId,
      tenant_id: tenant.id,
      name: 'Acme',
      description: null,
      created: now,
      created_by_user_name: null,
      last_sync: null,
      products: '[]',
      tags: '{}',
    })
    .execute();
  await store.db
    .insertInto('connections')
    .values({
      id: connectionId,
      tenant_id: tenant.id,
      company_id: companyId,
      platform_key: 'jcrp',
      integration_id: newId(),
      source_id: newId(),
      source_type: 'Accounting',
      platform_name: 'Sage 200cloud',
      status: 'Linked',
      created: now,
      last_sync: null,
      connection_info: '{}',
      updated_at: now,
    })
    .execute();
  const auth = createSageAuth({ now: clock });
  const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 'x', redirectUri: REDIRECT }), {
    email,
    password: email === demoUser.email ? demoUser.password : undefined,
  });
  const code = new URL(location).searchParams.get('code') ?? '';
  const tokens = await auth.exchangeCode(credentials, { code, redirectUri: REDIRECT });
  await saveConsentTokens(store.db, keyring, connectionId, tokens, clock());
  return { tenantId: tenant.id, companyId, connectionId, tokens };
}

function providerDeps(store: Store, clock: () => Date, over: Partial<TokenProviderDeps> = {}) {
  const auth = createSageAuth({ now: clock });
  const calls = { refresh: 0 };
  const deps: TokenProviderDeps = {
    db: store.db,
    keyring,
    clock,
    credentials,
    refresh: async (c, rt) => {
      calls.refresh++;
      return auth.refresh(c, rt);
    },
    ...over,
  };
  return { deps, calls };
}

/** A fresh store (closed after the test) holding one linked connection, and the platform clock it was linked at. */
async function linkedStore() {
  const store = await createTestStore();
  stores.push(store);
  const clock = testClock();
  const linked = await linkedConnection(store, clock);
  return { store, clock, linked };
}

describe('token provider', () => {
  it('returns the stored token while fresh and refreshes ahead of expiry (< 120 s left), keeping the 90-day expiry', async () => {
    const { store, clock, linked } = await linkedStore();
    const { deps, calls } = providerDeps(store, clock);
    const provider = createTokenProvider(deps, linked.connectionId);

    expect(await provider.getAccessToken()).toBe(linked.tokens.accessToken);
    expect(calls.refresh).toBe(0);

    clock.advance(3600 - 100); // the simulator issues 3600 s tokens; 100 s left is inside the margin
    const fresh = await provider.getAccessToken();
    expect(fresh).not.toBe(linked.tokens.accessToken);
    expect(calls.refresh).toBe(1);

    const stored = await readTokens(store.db, keyring, linked.connectionId);
    expect(stored?.accessToken).toBe(fresh);
    expect(stored?.version).toBe(2);
    // rotation persisted with the access token
    expect(stored?.refreshToken).not.toBe(linked.tokens.refreshToken);
    // absolute refresh-token expiry from consent, not slid by the refresh
    expect(stored?.refreshTokenExpiresAt?.toISOString()).toBe(linked.tokens.refreshTokenExpiresAt?.toISOString());
    // the rotated-away refresh token is dead at Sage ID: it must never be sent again
    const old = await failure(createSageAuth().refresh(credentials, linked.tokens.refreshToken));
    expect(old.kind).toBe('AuthError');
    // and tokens are encrypted at rest
    const raw = await store.db.selectFrom('connection_tokens').selectAll().executeTakeFirstOrThrow();
    expect(raw.access_token_enc).not.toContain(fresh);
    expect(raw.refresh_token_enc.startsWith('llenc:v1:')).toBe(true);
  });

  it('reads the stored row only when the token it holds is no longer fresh, or after a 401', async () => {
    const { store, clock, linked } = await linkedStore();
    const { deps, calls } = providerDeps(store, clock);
    const provider = createTokenProvider(deps, linked.connectionId);
    expect(await provider.getAccessToken()).toBe(linked.tokens.accessToken);

    // another process stores a new access token (its own refresh): this provider keeps the one it holds
    await store.db
      .updateTable('connection_tokens')
      .set({
        access_token_enc: keyring.encrypt('rotated-elsewhere'),
        access_token_expires_at: new Date(clock().getTime() + 3600_000).toISOString(),
        version: 2,
      })
      .where('connection_id', '=', linked.connectionId)
      .execute();
    expect(await provider.getAccessToken()).toBe(linked.tokens.accessToken);
    // a 401 makes it read the row again, where it finds the other process's token (no refresh of its own)
    expect(await provider.refreshAfterUnauthorized(linked.tokens.accessToken)).toBe('rotated-elsewhere');
    expect(await provider.getAccessToken()).toBe('rotated-elsewhere');
    expect(calls.refresh).toBe(0);

    // near expiry it reads the row again and refreshes
    clock.advance(3600 - 100);
    const next = await provider.getAccessToken();
    expect(next).not.toBe('rotated-elsewhere');
    expect(calls.refresh).toBe(1);
    expect((await readTokens(store.db, keyring, linked.connectionId))?.accessToken).toBe(next);
  });

  it('refreshes once after a 401 from the API and retries the call', async () => {
    const { store, clock, linked } = await linkedStore();
    // Everything logged on the way (client retry/refresh lines, provider lines) is captured to check for secrets.
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    const { deps, calls } = providerDeps(store, clock, { logger });
    const ctx: ConnectionContext = {
      connectionId: linked.connectionId,
      credentials,
      tokens: createTokenProvider(deps, linked.connectionId),
      source: { siteId: DEMO_SITES.hadley.siteId, companyId: '1' },
      logger,
    };
    // Sage's clock moves past the token's expiry while ours does not: the API answers 401 first.
    await simAdmin(sim.url, 'clock', { advanceSeconds: 3700 });
    try {
      const details = await new Sage200Client(ctx).get<{ name?: string }>('company_details');
      expect(details).toBeTruthy();
      expect(calls.refresh).toBe(1);
      const now = await readTokens(store.db, keyring, linked.connectionId);
      expect(now?.version).toBe(2);
      const logged = lines.join('');
      expect(logged).toContain('refreshing access token');
      for (const secret of [
        linked.tokens.accessToken,
        linked.tokens.refreshToken,
        now?.accessToken,
        now?.refreshToken,
      ]) {
        expect(logged).not.toContain(secret);
      }
      expect(logged).not.toContain(credentials.clientSecret);
      expect(logged).not.toContain(credentials.subscriptionKey);
    } finally {
      await simAdmin(sim.url, 'clock', { reset: true });
    }
  });

  it('does exactly one refresh for many concurrent callers in one process', async () => {
    const { store, clock, linked } = await linkedStore();
    clock.advance(3590);
    const { deps, calls } = providerDeps(store, clock);
    // Several providers for the same connection (as several sync jobs would build), each called in parallel.
    const providers = Array.from({ length: 4 }, () => createTokenProvider(deps, linked.connectionId));
    const tokens = await Promise.all(Array.from({ length: 24 }, (_, i) => providers[i % 4].getAccessToken()));
    expect(calls.refresh).toBe(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(linked.tokens.accessToken);
    expect((await readTokens(store.db, keyring, linked.connectionId))?.version).toBe(2);
  });

  it('does exactly one refresh across two store instances on the same database (two processes)', async () => {
    const { store, clock, linked } = await linkedStore();
    const other = createStore({ database: store.database });
    stores.push(other);
    clock.advance(3590);
    const a = providerDeps(store, clock);
    const b = providerDeps(other, clock);
    const pa = createTokenProvider(a.deps, linked.connectionId);
    const pb = createTokenProvider(b.deps, linked.connectionId);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? pa.getAccessToken() : pb.getAccessToken())),
    );
    expect(a.calls.refresh + b.calls.refresh).toBe(1);
    expect(new Set(results).size).toBe(1);

    // After a 401 with the old token, both sides converge on one more refresh, not two.
    const [x, y] = await Promise.all([
      pa.refreshAfterUnauthorized(results[0]),
      pb.refreshAfterUnauthorized(results[0]),
    ]);
    expect(x).toBe(y);
    expect(a.calls.refresh + b.calls.refresh).toBe(2);
    expect((await readTokens(store.db, keyring, linked.connectionId))?.version).toBe(3);
  });

  it('marks the connection Deauthorized on invalid_grant, with an error naming the linkUrl, and emits the event', async () => {
    const { store, clock, linked } = await linkedStore();
    await simAdmin(sim.url, 'revoke', { email: demoUser.email });
    clock.advance(3590);
    const events = createEventBus();
    const seen: PlatformEvents['connectionDeauthorized'][] = [];
    events.on('connectionDeauthorized', (e) => {
      seen.push(e);
    });
    const linkUrl = `http://ledgerlink.test/link/companies/${linked.companyId}/connections/${linked.connectionId}/start`;
    const { deps, calls } = providerDeps(store, clock, { events, linkUrl });
    const provider = createTokenProvider(deps, linked.connectionId);
    const results = await Promise.allSettled([provider.getAccessToken(), provider.getAccessToken()]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason.kind).toBe('AuthError');
    }
    expect(calls.refresh).toBe(1);
    const conn = await store.db.selectFrom('connections').selectAll().executeTakeFirstOrThrow();
    expect(conn.status).toBe('Deauthorized');
    const errors = await store.db.selectFrom('connection_errors').selectAll().execute();
    expect(errors).toHaveLength(1);
    expect(errors[0].status).toBe('Active');
    expect(errors[0].error_message).toContain(linkUrl);
    expect(await readTokens(store.db, keyring, linked.connectionId)).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      connectionId: linked.connectionId,
      companyId: linked.companyId,
      platformKey: 'jcrp',
    });
    // Later callers fail fast without calling Sage again.
    await expect(provider.getAccessToken()).rejects.toMatchObject({ kind: 'AuthError' });
    expect(calls.refresh).toBe(1);
  });
});
