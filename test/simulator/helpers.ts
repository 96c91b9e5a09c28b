// Test helpers for suites that talk to the simulator over real HTTP: the browser-free Sage ID sign-in (the same
// form posts a browser makes), and the headers every Sage 200 API call needs.
import { DEMO_CLIENT, DEMO_COMPANIES, DEMO_SUBSCRIPTION_KEY, DEMO_USERS } from '../../simulator/demo.ts';

export const STANDARD = '/uk/sage200/accounts/v1';
export const EXTRA = '/uk/sage200extra/accounts/v1';
export const CALLBACK = 'http://localhost:8080/oauth/callback';
export const DEMO = DEMO_USERS[0]!;

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  id_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

export function authorizeUrl(base: string, params: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    audience: 's200ukipd/sage200',
    client_id: DEMO_CLIENT.clientId,
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid profile email offline_access',
    state: 'st-123',
    ...params,
  });
  return `${base}/authorize?${q}`;
}

export const sessionOf = (html: string) => /name="session" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** GET /authorize, POST /login, POST /consent; returns the redirect Location (with code or error). */
export async function authorize(
  base: string,
  o: { email?: string; password?: string; decision?: 'authorize' | 'deny'; params?: Record<string, string> } = {},
): Promise<URL> {
  const page = await fetch(authorizeUrl(base, o.params));
  if (page.status !== 200) throw new Error(`authorize: ${page.status} ${await page.text()}`);
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    body: new URLSearchParams({
      session: sessionOf(await page.text()),
      email: o.email ?? DEMO.email,
      password: o.password ?? DEMO.password,
    }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const consent = await fetch(`${base}/consent`, {
    method: 'POST',
    body: new URLSearchParams({ session: sessionOf(await login.text()), decision: o.decision ?? 'authorize' }),
    redirect: 'manual',
  });
  if (consent.status !== 302) throw new Error(`consent: ${consent.status}`);
  return new URL(consent.headers.get('location')!);
}

export async function tokenRequest(base: string, body: Record<string, string>): Promise<Response> {
  return fetch(`${base}/oauth/token`, { method: 'POST', body: new URLSearchParams(body) });
}

export const clientAuth = { client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret };

/** Full sign-in: returns the token response. */
export async function signIn(base: string, o: { email?: string; password?: string } = {}): Promise<TokenResponse> {
  const redirect = await authorize(base, o);
  const res = await tokenRequest(base, {
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code')!,
    redirect_uri: CALLBACK,
    ...clientAuth,
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
  return (await res.json()) as TokenResponse;
}

/** Headers for a Sage 200 API call on a demo company. */
export function sageHeaders(accessToken: string, companyId?: number): Record<string, string> {
  const h: Record<string, string> = {
    authorization: `Bearer ${accessToken}`,
    'ocp-apim-subscription-key': DEMO_SUBSCRIPTION_KEY,
  };
  if (companyId !== undefined) {
    const c = DEMO_COMPANIES.find((x) => x.companyId === companyId)!;
    h['x-site'] = c.siteId;
    h['x-company'] = String(c.companyId);
  }
  return h;
}

export async function simPost(base: string, path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
