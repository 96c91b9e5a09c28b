// Sage ID over real HTTP: authorize -> login -> consent -> code -> token -> refresh, and every refusal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT } from '../../simulator/demo.ts';
import { type Simulator, startSimulator } from '../../simulator/server.ts';
import {
  authorize,
  authorizeUrl,
  CALLBACK,
  clientAuth,
  DEMO,
  STANDARD,
  sageHeaders,
  sessionOf,
  signIn,
  simPost,
  tokenRequest,
} from './helpers.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ scale: 0.05 });
});
afterAll(() => sim.close());

const sites = (token: string) => fetch(`${sim.url}${STANDARD}/sites`, { headers: sageHeaders(token) });

describe('authorize and login pages', () => {
  it('shows a login form with Email, Password and Sign in', async () => {
    const res = await fetch(authorizeUrl(sim.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/<label for="email">Email<\/label>/);
    expect(html).toMatch(/<label for="password">Password<\/label>/);
    expect(html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(sessionOf(html)).not.toBe('');
  });

  it('shows the login page again with an error on a wrong password', async () => {
    const page = await (await fetch(authorizeUrl(sim.url))).text();
    const res = await fetch(`${sim.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ session: sessionOf(page), email: DEMO.email, password: 'wrong' }),
    });
    expect(res.status).toBe(401);
    const html = await res.text();
    expect(html).toContain('Wrong email or password.');
    expect(html).toContain('Sign in');
    expect(html).toContain(`value="${DEMO.email}"`);
  });

  it('refuses a tampered session', async () => {
    const page = await (await fetch(authorizeUrl(sim.url))).text();
    const res = await fetch(`${sim.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ session: `${sessionOf(page)}x`, email: DEMO.email, password: DEMO.password }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('expired');
  });

  it('consent page names the app and offers Authorize and Deny', async () => {
    const page = await (await fetch(authorizeUrl(sim.url))).text();
    const res = await fetch(`${sim.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ session: sessionOf(page), email: DEMO.email, password: DEMO.password }),
    });
    const html = await res.text();
    expect(html).toContain(DEMO_CLIENT.name);
    expect(html).toMatch(/<button[^>]*value="authorize">Authorize<\/button>/);
    expect(html).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
  });

  it('redirects with access_denied and the state when the user denies', async () => {
    const loc = await authorize(sim.url, { decision: 'deny' });
    expect(`${loc.origin}${loc.pathname}`).toBe(CALLBACK);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('error_description')).toBeTruthy();
    expect(loc.searchParams.get('state')).toBe('st-123');
    expect(loc.searchParams.get('code')).toBeNull();
  });

  it('accepts a loopback callback on any port and refuses other redirect URIs with an error page', async () => {
    const ok = await authorize(sim.url, { params: { redirect_uri: 'http://127.0.0.1:45123/oauth/callback' } });
    expect(ok.host).toBe('127.0.0.1:45123');
    expect(ok.searchParams.get('code')).toBeTruthy();
    for (const bad of ['https://evil.example/oauth/callback', 'http://localhost:8080/other', 'not a url']) {
      const res = await fetch(authorizeUrl(sim.url, { redirect_uri: bad }), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('is not registered');
    }
  });

  it('refuses an unknown client, a wrong audience, a missing offline_access, response_type or state', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ client_id: 'nope' }, 'Unknown client_id'],
      [{ audience: 'other' }, 'audience must be'],
      [{ scope: 'openid profile' }, 'offline_access'],
      [{ response_type: 'token' }, 'response_type'],
      [{ state: '' }, 'state is required'],
    ];
    for (const [params, text] of cases) {
      const res = await fetch(authorizeUrl(sim.url, params), { redirect: 'manual' });
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(await res.text()).toContain(text);
    }
  });
});

describe('token endpoint', () => {
  it('exchanges a code for tokens that reach GET /sites, once only', async () => {
    const loc = await authorize(sim.url);
    expect(loc.searchParams.get('state')).toBe('st-123');
    const code = loc.searchParams.get('code')!;
    const res = await tokenRequest(sim.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      ...clientAuth,
    });
    expect(res.status).toBe(200);
    const t = (await res.json()) as Record<string, unknown>;
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'openid profile email offline_access' });
    expect(typeof t.access_token).toBe('string');
    expect(typeof t.refresh_token).toBe('string');
    const claims = JSON.parse(Buffer.from(String(t.id_token).split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ email: DEMO.email, aud: DEMO_CLIENT.clientId });
    expect((await sites(String(t.access_token))).status).toBe(200);

    const again = await tokenRequest(sim.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      ...clientAuth,
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts JSON bodies and HTTP Basic client authentication', async () => {
    const code = (await authorize(sim.url)).searchParams.get('code')!;
    const basic = Buffer.from(`${clientAuth.client_id}:${clientAuth.client_secret}`).toString('base64');
    const res = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` },
      body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { access_token: string }).access_token).toBeTruthy();
  });

  it('refuses a redirect_uri different from the one used at authorize', async () => {
    const code = (await authorize(sim.url)).searchParams.get('code')!;
    const res = await tokenRequest(sim.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:8080/oauth/callback',
      ...clientAuth,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('redirect_uri'),
    });
  });

  it('refuses a bad client secret (401 invalid_client), bad grant types and missing parameters', async () => {
    const code = (await authorize(sim.url)).searchParams.get('code')!;
    const bad = await tokenRequest(sim.url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: clientAuth.client_id,
      client_secret: 'wrong',
    });
    expect(bad.status).toBe(401);
    const body = (await bad.json()) as Record<string, string>;
    expect(body.error).toBe('invalid_client');
    expect(JSON.stringify(body)).not.toContain(clientAuth.client_secret);

    const unsupported = await tokenRequest(sim.url, { grant_type: 'password', ...clientAuth });
    expect(unsupported.status).toBe(400);
    expect(await unsupported.json()).toMatchObject({ error: 'unsupported_grant_type' });

    const noGrant = await tokenRequest(sim.url, { ...clientAuth });
    expect(noGrant.status).toBe(400);
    expect(await noGrant.json()).toMatchObject({ error: 'invalid_request' });

    const noCode = await tokenRequest(sim.url, {
      grant_type: 'authorization_code',
      redirect_uri: CALLBACK,
      ...clientAuth,
    });
    expect(await noCode.json()).toMatchObject({ error: 'invalid_request' });

    const unknown = await tokenRequest(sim.url, {
      grant_type: 'authorization_code',
      code: 'c_nope',
      redirect_uri: CALLBACK,
      ...clientAuth,
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('expires an unused code after 10 minutes', async () => {
    const code = (await authorize(sim.url)).searchParams.get('code')!;
    await simPost(sim.url, '/_sim/clock', { advanceSeconds: 601 });
    try {
      const res = await tokenRequest(sim.url, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CALLBACK,
        ...clientAuth,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('expired'),
      });
    } finally {
      await simPost(sim.url, '/_sim/clock', { reset: true });
    }
  });

  it('rotates the refresh token on every refresh and refuses the old one', async () => {
    const t1 = await signIn(sim.url);
    const r1 = await tokenRequest(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: t1.refresh_token,
      ...clientAuth,
    });
    expect(r1.status).toBe(200);
    const t2 = (await r1.json()) as { access_token: string; refresh_token: string };
    expect(t2.refresh_token).not.toBe(t1.refresh_token);
    expect(t2.access_token).not.toBe(t1.access_token);
    expect((await sites(t2.access_token)).status).toBe(200);

    const old = await tokenRequest(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: t1.refresh_token,
      ...clientAuth,
    });
    expect(old.status).toBe(400);
    expect(await old.json()).toMatchObject({ error: 'invalid_grant' });

    const r2 = await tokenRequest(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: t2.refresh_token,
      ...clientAuth,
    });
    expect(r2.status).toBe(200);
  });

  it('expires access tokens after expires_in and refresh tokens 90 days after consent (absolute)', async () => {
    const t = await signIn(sim.url);
    try {
      await simPost(sim.url, '/_sim/clock', { advanceSeconds: 3601 });
      const expired = await sites(t.access_token);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('expired') });

      // refreshing at day 89 works, but does not extend the 90 days
      await simPost(sim.url, '/_sim/clock', { advanceSeconds: 89 * 86_400 - 3601 });
      const r = await tokenRequest(sim.url, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh_token,
        ...clientAuth,
      });
      expect(r.status).toBe(200);
      const t2 = (await r.json()) as { refresh_token: string };
      await simPost(sim.url, '/_sim/clock', { advanceSeconds: 86_400 + 1 });
      const late = await tokenRequest(sim.url, {
        grant_type: 'refresh_token',
        refresh_token: t2.refresh_token,
        ...clientAuth,
      });
      expect(late.status).toBe(400);
      expect(await late.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('expired'),
      });
    } finally {
      await simPost(sim.url, '/_sim/clock', { reset: true });
    }
  });

  it('admin revoke makes the next refresh fail with invalid_grant and stops access tokens', async () => {
    const t = await signIn(sim.url, { email: 'solo@hadley.example', password: 'Sage200-solo!' });
    const res = await simPost(sim.url, '/_sim/revoke', { email: 'solo@hadley.example' });
    expect(await res.json()).toMatchObject({ revokedGrants: 1 });
    const r = await tokenRequest(sim.url, {
      grant_type: 'refresh_token',
      refresh_token: t.refresh_token,
      ...clientAuth,
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('revoked'),
    });
    expect((await sites(t.access_token)).status).toBe(401);
  });
});
