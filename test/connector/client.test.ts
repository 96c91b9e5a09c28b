// Sage200Client against the simulator over real HTTP: headers, paging, retries on 429/5xx/truncated/dropped, bounded
// give-up, error bodies parsed into ConnectorErrors.
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SITES } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { type ConnectionContext, ConnectorError, type IntegrationCredentials } from '../../src/connectors/connector.ts';
import { createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { Sage200Client, type Sage200ClientOptions } from '../../src/connectors/sage200/client.ts';
import { failure, signInAtSage, simAdmin, simCredentials } from './sim-login.ts';

let sim: Simulator;
let credentials: IntegrationCredentials;
let accessToken: string;
const auth = createSageAuth();
const REDIRECT = 'http://127.0.0.1:9/oauth/callback';

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05 });
  credentials = simCredentials(sim.url);
  const location = await signInAtSage(auth.authorizeUrl(credentials, { state: 's1', redirectUri: REDIRECT }));
  const code = new URL(location).searchParams.get('code') ?? '';
  accessToken = (await auth.exchangeCode(credentials, { code, redirectUri: REDIRECT })).accessToken;
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(async () => {
  await simAdmin(sim.url, 'switches', { companyId: 1, throttle: null, faults: null });
});

interface Recorder {
  sleeps: number[];
}

function client(opts: Sage200ClientOptions & { companyId?: string; creds?: IntegrationCredentials } = {}) {
  const rec: Recorder = { sleeps: [] };
  const ctx: ConnectionContext = {
    connectionId: 'test-connection',
    credentials: opts.creds ?? credentials,
    tokens: {
      getAccessToken: async () => accessToken,
      // A "refresh" that hands back the same token: a second 401 must then be final.
      refreshAfterUnauthorized: async () => accessToken,
    },
    source: { siteId: DEMO_SITES.hadley.siteId, companyId: opts.companyId ?? '1' },
    logger: pino({ enabled: false }),
  };
  const c = new Sage200Client(ctx, {
    ...opts,
    retry: { baseDelayMs: 5, maxDelayMs: 20, ...opts.retry },
    // Record the waits, then wait for real (Retry-After must actually pass for the simulator to answer).
    sleep: async (ms) => {
      rec.sleeps.push(ms);
      await new Promise((r) => setTimeout(r, ms));
    },
  });
  return { c, rec };
}

describe('Sage200Client', () => {
  it('pages a collection with $orderby/$top/$skip until a short page, never relying on the default 500', async () => {
    const { c } = client();
    const all = (await c.get<{ id: number }[]>('customers', { $orderby: 'id asc', $top: 5000 })).map((r) => r.id);
    expect(all.length).toBeGreaterThan(3);
    const pageSize = Math.max(2, Math.floor(all.length / 3));
    const pages: { ids: number[]; nextSkip: number }[] = [];
    for await (const p of c.pages<{ id: number }>('customers', { orderBy: 'id asc', pageSize })) {
      pages.push({ ids: p.rows.map((r) => r.id), nextSkip: p.nextSkip });
    }
    expect(pages.flatMap((p) => p.ids)).toEqual(all);
    expect(pages.at(-1)?.nextSkip).toBe(all.length);
    expect(pages.slice(0, -1).every((p) => p.ids.length === pageSize)).toBe(true);
    // resume from a saved nextSkip
    const resumed: number[] = [];
    for await (const p of c.pages<{ id: number }>('customers', {
      orderBy: 'id asc',
      pageSize,
      startSkip: pages[0].nextSkip,
    })) {
      resumed.push(...p.rows.map((r) => r.id));
    }
    expect(resumed).toEqual(all.slice(pageSize));
  });

  it('reads more than 500 rows in one page when asked (page size up to 5000)', async () => {
    const { c } = client({ pageSize: 5000 });
    const first = (await c.pages('nominal_codes', { orderBy: 'id asc' })[Symbol.asyncIterator]().next()).value;
    const total = (await c.get<unknown[]>('nominal_codes', { $orderby: 'id asc', $top: 5000 })).length;
    expect(first?.rows.length).toBe(total);
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    await simAdmin(sim.url, 'switches', { companyId: 1, throttle: { limit: 2, windowSeconds: 1 } });
    const { c, rec } = client();
    for (let i = 0; i < 4; i++) await c.get('company_details');
    expect(rec.sleeps.length).toBeGreaterThan(0);
    // The simulator's Retry-After is whole seconds; the client waits exactly that long.
    expect(rec.sleeps.every((ms) => ms >= 1000 && ms % 1000 === 0)).toBe(true);
  });

  it('gives up with RateLimitError when Retry-After exceeds the wait budget', async () => {
    await simAdmin(sim.url, 'switches', { companyId: 1, throttle: { limit: 1, windowSeconds: 30 } });
    const { c } = client({ retry: { maxTotalWaitMs: 2000 } });
    // The window may already be used up by the test before; at most the second call is refused.
    const err = await failure(c.get('company_details').then(() => c.get('company_details')));
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.kind).toBe('RateLimitError');
    expect(err.details.retryAfterSeconds).toBeGreaterThan(2);
    expect(err.message).toMatch(/Rate limit is exceeded/);
  });

  it('retries 5xx, truncated bodies and dropped connections, and returns the real data', async () => {
    const { c: clean } = client();
    const expected = await clean.get<unknown[]>('customers', { $orderby: 'id asc', $top: 50 });
    for (const faults of [
      { errorRate: 0.5, errorStatus: 503, seed: 7 },
      { truncateRate: 0.5, seed: 3 },
      { dropRate: 0.4, seed: 5 },
    ]) {
      await simAdmin(sim.url, 'switches', { companyId: 1, faults });
      const { c, rec } = client({ retry: { maxAttempts: 10 } });
      for (let i = 0; i < 5; i++) {
        expect(await c.get('customers', { $orderby: 'id asc', $top: 50 })).toEqual(expected);
      }
      expect(rec.sleeps.length, JSON.stringify(faults)).toBeGreaterThan(0);
      await simAdmin(sim.url, 'switches', { companyId: 1, faults: null });
    }
  });

  it('stops after maxAttempts with FetchError naming the status', async () => {
    await simAdmin(sim.url, 'switches', { companyId: 1, faults: { errorRate: 1, errorStatus: 502 } });
    const { c, rec } = client({ retry: { maxAttempts: 3 } });
    const err = await failure(c.get('company_details'));
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err.kind).toBe('FetchError');
    expect(err.details.sourceStatus).toBe(502);
    expect(err.message).toMatch(/502.*gave up after 3 attempts/);
    expect(rec.sleeps).toHaveLength(2);
  });

  it('does not retry a POST after a 5xx (not idempotent)', async () => {
    await simAdmin(sim.url, 'switches', { companyId: 1, faults: { errorRate: 1, errorStatus: 500 } });
    const { c, rec } = client();
    const err = await failure(c.post('customers', { reference: 'X1', name: 'X' }));
    expect(err.kind).toBe('FetchError');
    expect(rec.sleeps).toHaveLength(0);
  });

  it('parses Sage error bodies: 404 Message, 400 OData error, 403 company not granted, 401 APIM message', async () => {
    const { c } = client();
    const notFound = await failure(c.get('customers/999999999'));
    expect(notFound.kind).toBe('NotFound');
    expect(notFound.details.sourceStatus).toBe(404);
    expect(notFound.details.sourceMessage).toBeTruthy();

    const bad = await failure(c.get('customers', { $filter: 'no_such_field eq 1' }));
    expect(bad.kind).toBe('ValidationError');
    expect(bad.message).toMatch(/no_such_field/);

    const { c: other } = client({ companyId: '999' });
    const denied = await failure(other.get('customers'));
    expect(denied.kind).toBe('PermissionsError');
    expect(denied.details.sourceStatus).toBe(403);

    const { c: noKey } = client({ creds: { ...credentials, subscriptionKey: 'wrong-key' } });
    const unauth = await failure(noKey.get('customers'));
    expect(unauth.kind).toBe('AuthError');
    expect(unauth.details.sourceMessage).toMatch(/subscription key/i);
  });

  it('sends no X-Site/X-Company for sites and honours an aborted signal', async () => {
    const { c } = client();
    const sites = await c.getUnscoped<{ company_name: string }[]>('sites');
    expect(sites.map((s) => s.company_name)).toContain('Hadley Engineering Ltd');
    const controller = new AbortController();
    const { c: aborting } = client();
    (aborting.ctx as { signal?: AbortSignal }).signal = controller.signal;
    controller.abort(new Error('stop'));
    await expect(aborting.get('customers')).rejects.toThrow('stop');
  });
});
