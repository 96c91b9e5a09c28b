// Switches and the /_sim/ control surface over real HTTP: throttling, faults, clock, timestamps, subscription-key
// enforcement, credentials, checks and reset.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT, DEMO_SUBSCRIPTION_KEY, DEMO_USERS } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { STANDARD, sageHeaders, signIn, simPost } from './helpers.ts';

type Row = Record<string, unknown>;
let sim: Simulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ scale: 0.05 });
  token = (await signIn(sim.url)).access_token;
});
afterAll(() => sim.close());
afterEach(async () => {
  await simPost(sim.url, '/_sim/reset', {});
});

const api = (path: string, companyId = 1, init: RequestInit = {}) =>
  fetch(`${sim.url}${STANDARD}${path}`, {
    ...init,
    headers: { ...sageHeaders(token, companyId), ...(init.headers ?? {}) },
  });
const setSwitches = async (body: Row) => {
  const res = await simPost(sim.url, '/_sim/switches', body);
  expect(res.status, await res.clone().text()).toBe(200);
};

describe('throttling', () => {
  it('answers 429 with Retry-After in APIM words after N requests per window, per company', async () => {
    await setSwitches({ companyId: 1, throttle: { limit: 3, windowSeconds: 60 } });
    for (let i = 0; i < 3; i++) expect((await api('/tax_codes')).status).toBe(200);
    const limited = await api('/tax_codes');
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await limited.json()).toEqual({
      statusCode: 429,
      message: `Rate limit is exceeded. Try again in ${wait} seconds.`,
    });
    // another company is not affected
    expect((await api('/tax_codes', 2)).status).toBe(200);
    // after the window the company is served again
    await simPost(sim.url, '/_sim/clock', { advanceSeconds: 61 });
    expect((await api('/tax_codes')).status).toBe(200);
  });

  it('applies a global throttle to every call including GET /sites', async () => {
    await setSwitches({ throttle: { limit: 1, windowSeconds: 10 } });
    expect((await api('/sites')).status).toBe(200);
    const res = await api('/sites');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBeTruthy();
  });
});

describe('faults', () => {
  it('answers the configured 5xx at rate 1', async () => {
    await setSwitches({ faults: { errorRate: 1 } });
    const res = await api('/tax_codes');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ Message: 'An error has occurred.' });
    await setSwitches({ companyId: 1, faults: { errorRate: 1, errorStatus: 503 } });
    const r503 = await api('/tax_codes');
    expect(r503.status).toBe(503);
    expect(await r503.json()).toMatchObject({ statusCode: 503 });
  });

  it('draws a deterministic sequence from the seed', async () => {
    const statuses = async () => {
      await setSwitches({ faults: { errorRate: 0.5, seed: 42 } });
      const out: number[] = [];
      for (let i = 0; i < 16; i++) out.push((await api('/tax_codes?$select=id')).status);
      return out;
    };
    const a = await statuses();
    const b = await statuses();
    expect(a).toEqual(b);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });

  it('adds latency', async () => {
    await setSwitches({ faults: { latencyMs: 250 } });
    const t0 = performance.now();
    expect((await api('/tax_codes')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
  });

  it('truncates bodies and drops connections', async () => {
    await setSwitches({ faults: { truncateRate: 1 } });
    const truncated = await api('/customers?$top=50')
      .then((r) => r.text())
      .catch((e: Error) => e);
    if (typeof truncated === 'string') expect(() => JSON.parse(truncated)).toThrow();
    else expect(truncated).toBeInstanceOf(Error);

    await setSwitches({ faults: { dropRate: 1 } });
    await expect(api('/tax_codes')).rejects.toThrow();
  });
});

describe('clock, timestamps and token lifetimes', () => {
  it('sets and advances the clock, refusing bad bodies', async () => {
    const set = await simPost(sim.url, '/_sim/clock', { set: '2027-01-01T00:00:00Z' });
    expect(await set.json()).toMatchObject({ now: expect.stringMatching(/^2027-01-01T00:00:0/) });
    const adv = (await (await simPost(sim.url, '/_sim/clock', { advanceSeconds: 86_400 })).json()) as { now: string };
    expect(adv.now.startsWith('2027-01-02T00:00:0')).toBe(true);
    const bad = await simPost(sim.url, '/_sim/clock', { advance: 'soon' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Row).message).toContain('advanceSeconds');
  });

  it('stamps writes with the simulator clock', async () => {
    await simPost(sim.url, '/_sim/clock', { set: '2026-10-31T12:00:00Z' });
    const res = await api('/customers', 1, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: 'CLOCK1', name: 'Clock Test Ltd' }),
    });
    expect(res.status).toBe(200);
    const created = (await res.json()) as Row;
    expect(String(created.date_time_created)).toMatch(/^2026-10-31T12:00:0/);
  });

  it('serves audit stamps without a zone in no-z style', async () => {
    const [z] = (await (await api('/customers?$top=1&$select=id,date_time_updated')).json()) as Row[];
    expect(String(z!.date_time_updated).endsWith('Z')).toBe(true);
    await setSwitches({ timestamps: 'no-z' });
    const [n] = (await (await api('/customers?$top=1&$select=id,date_time_updated')).json()) as Row[];
    expect(String(n!.date_time_updated).endsWith('Z')).toBe(false);
    expect(String(n!.date_time_updated)).toBe(String(z!.date_time_updated).slice(0, -1));
  });

  it('issues access tokens with the configured lifetime', async () => {
    await setSwitches({ accessTokenTtlSeconds: 60 });
    const t = await signIn(sim.url);
    expect(t.expires_in).toBe(60);
    await simPost(sim.url, '/_sim/clock', { advanceSeconds: 61 });
    const res = await fetch(`${sim.url}${STANDARD}/sites`, { headers: sageHeaders(t.access_token) });
    expect(res.status).toBe(401);
  });

  it('stops enforcing the subscription key when switched off', async () => {
    const { 'ocp-apim-subscription-key': _, ...noKey } = sageHeaders(token, 1);
    expect((await fetch(`${sim.url}${STANDARD}/tax_codes`, { headers: noKey })).status).toBe(401);
    await setSwitches({ enforceSubscriptionKey: false });
    expect((await fetch(`${sim.url}${STANDARD}/tax_codes`, { headers: noKey })).status).toBe(200);
  });

  it('refuses invalid switch updates with a clear message', async () => {
    for (const body of [
      { throttle: { limit: 0, windowSeconds: 1 } },
      { trial: true },
      { companyId: 1, timestamps: 'z' },
      { x: 1 },
    ]) {
      const res = await simPost(sim.url, '/_sim/switches', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as Row).message).toBeTruthy();
    }
    const current = (await (await fetch(`${sim.url}/_sim/switches`)).json()) as { companies: Record<string, Row> };
    expect(current.companies['4']).toMatchObject({ trial: true });
    expect(current.companies['5']).toMatchObject({ professional: true });
    expect(current.companies['3']).toMatchObject({ sandbox: true });
  });
});

describe('admin surface', () => {
  it('publishes the demo credentials', async () => {
    const c = (await (await fetch(`${sim.url}/_sim/credentials`)).json()) as Row & {
      client: Row;
      users: Row[];
      sites: Row[];
    };
    expect(c.client).toMatchObject({ clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret });
    expect(c.client.redirectUris).toEqual([...DEMO_CLIENT.redirectUris]);
    expect(c.subscriptionKey).toBe(DEMO_SUBSCRIPTION_KEY);
    expect(c.users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email));
    expect(c.users[0]).toMatchObject({ password: DEMO_USERS[0]!.password, companyIds: DEMO_USERS[0]!.companyIds });
    expect(c.sites).toHaveLength(5);
    expect(c.tokenUrl).toBe(`${sim.url}/oauth/token`);
  });

  it('returns the books checks per company and 404 for an unknown one', async () => {
    const res = await fetch(`${sim.url}/_sim/companies/1/checks`);
    expect(res.status).toBe(200);
    expect(typeof (await res.json())).toBe('object');
    expect((await fetch(`${sim.url}/_sim/companies/99/checks`)).status).toBe(404);
  });

  it('reset discards writes and switches but keeps tokens unless asked', async () => {
    const created = (await (
      await api('/customers', 1, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reference: 'RESET1', name: 'Reset Test Ltd' }),
      })
    ).json()) as Row;
    expect((await api(`/customers/${created.id}`)).status).toBe(200);
    await setSwitches({ companyId: 1, trial: true });
    expect(await (await simPost(sim.url, '/_sim/reset', {})).json()).toEqual({ reset: true, tokensCleared: false });
    expect((await api(`/customers/${created.id}`)).status).toBe(404);
    const sw = (await (await fetch(`${sim.url}/_sim/switches`)).json()) as { companies: Record<string, Row> };
    expect(sw.companies['1']).toMatchObject({ trial: false });
    await simPost(sim.url, '/_sim/reset', { tokens: true });
    expect((await api('/sites')).status).toBe(401);
    token = (await signIn(sim.url)).access_token;
  });
});
