// Hosted Link end to end over real HTTP: a Ledgerlink server (SQLite, or PostgreSQL with DATABASE_URL) and the
// simulator. A person's path is followed with plain HTTP: the company's Link URL, choose Sage200cloud, Continue,
// Sage ID login and consent forms, back to /oauth/callback, the company picker, the success page.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CLIENT, DEMO_SUBSCRIPTION_KEY } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import { createSageAuth } from '../../src/connectors/sage200/auth.ts';
import { createEventBus, type PlatformEvents } from '../../src/platform/events.ts';
import { createTokenProvider, readTokens } from '../../src/platform/tokens.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { demoUser, formAction, hiddenInput, signInAtSage, simAdmin, simCredentials, soloUser } from './sim-login.ts';

let sim: Simulator;
let server: TestServer;
const events = createEventBus();
const linked: PlatformEvents['connectionLinked'][] = [];
events.on('connectionLinked', (e) => {
  linked.push(e);
});
let now = Date.now();
const clock = () => new Date(now);

beforeAll(async () => {
  sim = await startSimulator({ port: 0, scale: 0.05 });
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(async () => {
  now = Date.now();
  linked.length = 0;
  server = await startTestServer({
    clock,
    services: { events },
    config: { sage: { authBaseUrl: sim.url, apiBaseUrl: `${sim.url}/uk/sage200/accounts/v1/` } },
  });
});
afterEach(async () => {
  await server?.close();
});

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  const body = await res.text();
  if (!res.ok) throw new Error(`${res.status}: ${body}`);
  return JSON.parse(body) as T;
}

async function setUpIntegration(enable = true) {
  await json(
    await server.fetch('/integrations/jcrp/settings/production', {
      method: 'PUT',
      body: JSON.stringify({
        clientId: DEMO_CLIENT.clientId,
        clientSecret: DEMO_CLIENT.clientSecret,
        subscriptionKey: DEMO_SUBSCRIPTION_KEY,
      }),
    }),
  );
  if (enable) {
    await json(await server.fetch('/integrations/jcrp', { method: 'PATCH', body: JSON.stringify({ enabled: true }) }));
  }
}

async function createCompany(name = 'Hadley test company') {
  return json<{ id: string; redirect: string }>(
    await server.fetch('/companies', { method: 'POST', body: JSON.stringify({ name }) }),
  );
}

async function connections(companyId: string) {
  const body = await json<{ results: Array<Record<string, any>> }>(
    await server.fetch(`/companies/${companyId}/connections`),
  );
  return body.results;
}

const get = (url: string) => fetch(new URL(url, server.url), { redirect: 'manual' });
const postForm = (url: string, fields: Record<string, string>) =>
  fetch(new URL(url, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });

/** From the company's Link URL to Sage ID's authorize URL, as a person clicking through. */
async function openLinkAndContinue(linkUrl: string): Promise<string> {
  const page = await get(linkUrl);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toMatch(
    /<label class="choice"><input type="radio" name="platformKey" value="jcrp"[^>]*> <span>Sage200cloud<\/span>/,
  );
  // choose Sage200cloud (the radio's form submits with GET)
  const cont = await get(`${formAction(html)}?platformKey=jcrp`);
  const contHtml = await cont.text();
  expect(contHtml).toContain('<button class="btn" type="submit">Continue to Sage 200cloud</button>');
  const started = await postForm(formAction(contHtml), { platformKey: hiddenInput(contHtml, 'platformKey') });
  expect(started.status).toBe(303);
  const startUrl = started.headers.get('location') ?? '';
  expect(startUrl).toMatch(/^\/link\/companies\/[0-9a-f-]+\/connections\/[0-9a-f-]+\/start$/);
  return followStart(startUrl);
}

async function followStart(startUrl: string): Promise<string> {
  const toSage = await get(startUrl);
  expect(toSage.status).toBe(302);
  const authorize = toSage.headers.get('location') ?? '';
  const u = new URL(authorize);
  expect(u.origin + u.pathname).toBe(`${sim.url}/authorize`);
  expect(u.searchParams.get('redirect_uri')).toBe(`${server.url}/oauth/callback`);
  expect(u.searchParams.get('audience')).toBe('s200ukipd/sage200');
  return authorize;
}

/** Callback URL -> page HTML (the callback is on our server). */
async function callback(callbackUrl: string): Promise<{ status: number; html: string }> {
  expect(callbackUrl.startsWith(`${server.url}/oauth/callback?`)).toBe(true);
  const res = await get(callbackUrl);
  return { status: res.status, html: await res.text() };
}

function pickerChoices(html: string) {
  return [
    ...html.matchAll(
      /<input type="radio" id="company-(\d+)" name="choice" value="(\d+)"([^>]*)>\s*<span><strong>([^<]+)<\/strong>/g,
    ),
  ].map((m) => ({ value: m[2], disabled: m[3].includes('disabled'), name: m[4] }));
}

describe('hosted Link', () => {
  it('links a company end to end: Link URL, Sage200cloud, Continue, Sage ID login + consent, picker, Linked', async () => {
    await setUpIntegration();
    const company = await createCompany();
    expect(company.redirect).toBe(`${server.url}/link/company/${company.id}`);

    const authorize = await openLinkAndContinue(company.redirect);
    const [pending] = await connections(company.id);
    expect(pending.status).toBe('PendingAuth');

    const { status, html } = await callback(await signInAtSage(authorize));
    expect(status).toBe(200);
    expect(html).toContain('Choose the company to share');
    const choices = pickerChoices(html);
    expect(choices.map((c) => c.name)).toContain('Hadley Engineering Ltd');
    const pro = choices.find((c) => c.name === 'Hadley Group (Professional)');
    expect(pro?.disabled).toBe(true);
    expect(html).toContain('Only Sage 200 Standard (Sage 200cloud) is supported');
    expect(choices.filter((c) => !c.disabled)).toHaveLength(4);

    // A disabled (Professional) choice is refused and the form comes back, its token still usable.
    const refused = await postForm(formAction(html), { token: hiddenInput(html, 'token'), choice: pro?.value ?? '' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('Only Sage 200 Standard (Sage 200cloud) is supported');

    const hadley = choices.find((c) => c.name === 'Hadley Engineering Ltd');
    const done = await postForm(formAction(html), { token: hiddenInput(html, 'token'), choice: hadley?.value ?? '' });
    const doneHtml = await done.text();
    expect(done.status).toBe(200);
    expect(doneHtml).toContain('Hadley Engineering Ltd is now connected');

    const [conn] = await connections(company.id);
    expect(conn.id).toBe(pending.id);
    expect(conn.status).toBe('Linked');
    expect(conn.connectionInfo).toMatchObject({
      siteId: '6f3c2a1e-8b4d-4c2a-9e71-1a2b3c4d5e01',
      siteName: 'Hadley Engineering',
      companyId: '1',
      companyName: 'Hadley Engineering Ltd',
    });
    const expires = Date.parse(conn.connectionInfo.refreshTokenExpiresAt);
    expect(Math.round((expires - now) / 86_400_000)).toBe(90);
    expect(linked).toEqual([
      expect.objectContaining({ connectionId: conn.id, companyId: company.id, relinked: false, platformKey: 'jcrp' }),
    ]);
    const tokens = await readTokens(server.store.db, server.keyring, conn.id);
    expect(tokens?.refreshToken).toBeTruthy();

    // The picker token is single use.
    const again = await postForm(formAction(html), { token: hiddenInput(html, 'token'), choice: hadley?.value ?? '' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('already been used');
  });

  it('skips the picker for a user with a single company', async () => {
    await setUpIntegration();
    const company = await createCompany();
    const authorize = await openLinkAndContinue(company.redirect);
    const { status, html } = await callback(
      await signInAtSage(authorize, { email: soloUser.email, password: soloUser.password }),
    );
    expect(status).toBe(200);
    expect(html).toContain('Hadley Engineering Ltd is now connected');
    const [conn] = await connections(company.id);
    expect(conn.status).toBe('Linked');
    expect(conn.connectionInfo.companyName).toBe('Hadley Engineering Ltd');
  });

  it('shows a clear page when the user denies access at consent, and leaves the connection PendingAuth', async () => {
    await setUpIntegration();
    const company = await createCompany();
    const authorize = await openLinkAndContinue(company.redirect);
    const { status, html } = await callback(await signInAtSage(authorize, { decision: 'deny' }));
    expect(status).toBe(200);
    expect(html).toContain('You chose not to share your Sage 200cloud data');
    expect(html).toContain('to connect, open the link again');
    const [conn] = await connections(company.id);
    expect(conn.status).toBe('PendingAuth');
    expect(html).toContain(conn.linkUrl);
  });

  it('refuses a reused state and an expired state without changing the connection', async () => {
    await setUpIntegration();
    const company = await createCompany();
    const authorize = await openLinkAndContinue(company.redirect);
    const cb = await signInAtSage(authorize, { email: soloUser.email, password: soloUser.password });
    expect((await callback(cb)).html).toContain('is now connected');
    const [conn] = await connections(company.id);
    const before = await readTokens(server.store.db, server.keyring, conn.id);

    const reused = await callback(cb);
    expect(reused.status).toBe(400);
    expect(reused.html).toContain('This sign-in link has already been used.');
    expect((await readTokens(server.store.db, server.keyring, conn.id))?.version).toBe(before?.version);

    // A new attempt whose state expires (15 minutes) before the user comes back.
    const authorize2 = await followStart(conn.linkUrl.replace(server.url, ''));
    const cb2 = await signInAtSage(authorize2, { email: soloUser.email, password: soloUser.password });
    now += 16 * 60 * 1000;
    const expired = await callback(cb2);
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('This sign-in link has expired.');
    expect((await readTokens(server.store.db, server.keyring, conn.id))?.version).toBe(before?.version);

    const unknown = await callback(`${server.url}/oauth/callback?code=abc&state=not-a-state`);
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('This sign-in link is not valid.');
  });

  it('lets exactly one of two simultaneous callbacks with the same state through', async () => {
    await setUpIntegration();
    const company = await createCompany();
    const cb = await signInAtSage(await openLinkAndContinue(company.redirect), {
      email: soloUser.email,
      password: soloUser.password,
    });
    const results = await Promise.all([callback(cb), callback(cb)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(results.find((r) => r.status === 200)?.html).toContain('is now connected');
    expect(results.find((r) => r.status === 400)?.html).toContain('already been used');
    const [conn] = await connections(company.id);
    expect((await readTokens(server.store.db, server.keyring, conn.id))?.version).toBe(1);
  });

  it('refuses Sage 200 Professional when it is the only company, leaving the connection unchanged', async () => {
    await setUpIntegration();
    const company = await createCompany();
    await simAdmin(sim.url, 'switches', { companyId: 1, professional: true });
    try {
      const authorize = await openLinkAndContinue(company.redirect);
      const { html } = await callback(
        await signInAtSage(authorize, { email: soloUser.email, password: soloUser.password }),
      );
      expect(html).toContain('Sage 200 Professional is not supported');
      const [conn] = await connections(company.id);
      expect(conn.status).toBe('PendingAuth');
      expect(conn.connectionInfo).toBeNull();
    } finally {
      await simAdmin(sim.url, 'switches', { companyId: 1, professional: false });
    }
  });

  it('re-links a Deauthorized connection through its linkUrl: same id, Linked again, error resolved', async () => {
    await setUpIntegration();
    const company = await createCompany();
    const authorize = await openLinkAndContinue(company.redirect);
    const picker = await callback(await signInAtSage(authorize));
    const choices = pickerChoices(picker.html);
    const ireland = choices.find((c) => c.name === 'Hadley Engineering (Ireland) Ltd');
    await postForm(formAction(picker.html), { token: hiddenInput(picker.html, 'token'), choice: ireland?.value ?? '' });
    const [conn] = await connections(company.id);
    expect(conn.connectionInfo.companyName).toBe('Hadley Engineering (Ireland) Ltd');

    // Sage revokes the grant; the next refresh gets invalid_grant and the connection becomes Deauthorized.
    await simAdmin(sim.url, 'revoke', { email: demoUser.email });
    const provider = createTokenProvider(
      {
        db: server.store.db,
        keyring: server.keyring,
        refresh: createSageAuth().refresh,
        credentials: simCredentials(sim.url),
        clock: () => new Date(now + 3590 * 1000),
        events,
        linkUrl: conn.linkUrl,
      },
      conn.id,
    );
    await expect(provider.getAccessToken()).rejects.toMatchObject({ kind: 'AuthError' });
    const [deauth] = await connections(company.id);
    expect(deauth.status).toBe('Deauthorized');
    expect(deauth.dataConnectionErrors.at(-1)).toMatchObject({ status: 'Active' });
    expect(deauth.dataConnectionErrors.at(-1).errorMessage).toContain(conn.linkUrl);

    // Signing in with a Sage ID that cannot reach the linked company changes nothing and says why.
    const wrongUser = await callback(
      await signInAtSage(await followStart(conn.linkUrl.replace(server.url, '')), {
        email: soloUser.email,
        password: soloUser.password,
      }),
    );
    expect(wrongUser.html).toContain(
      'This connection is for Hadley Engineering (Ireland) Ltd. To reconnect, choose that company.',
    );
    expect((await connections(company.id))[0].status).toBe('Deauthorized');

    // The user opens the connection's linkUrl again. Only the company it was linked to may be chosen (its data
    // belongs to it), so with that one eligible company the picker is skipped.
    const again = await callback(await signInAtSage(await followStart(conn.linkUrl.replace(server.url, ''))));
    expect(again.status).toBe(200);
    expect(again.html).toContain('Hadley Engineering (Ireland) Ltd is now connected');

    const [relinked] = await connections(company.id);
    expect(relinked.id).toBe(conn.id);
    expect(relinked.status).toBe('Linked');
    expect(relinked.dataConnectionErrors.every((e: { status: string }) => e.status === 'Resolved')).toBe(true);
    expect(linked.map((e) => e.relinked)).toEqual([false, true]);
    expect(await provider.getAccessToken()).toBeTruthy();
  });

  it('explains an unknown company and an integration that is not set up', async () => {
    const missing = await get('/link/company/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('This link does not match any company.');

    const company = await createCompany();
    const notSetUp = await get(company.redirect);
    expect(notSetUp.status).toBe(409);
    expect(await notSetUp.text()).toContain('must set up and enable the integration first');

    await setUpIntegration(false);
    const disabled = await get(company.redirect);
    expect(disabled.status).toBe(409);

    const css = await get('/link/styles.css');
    expect(css.headers.get('content-type')).toContain('text/css');
  });
});
