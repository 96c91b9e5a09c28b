// Drives the simulator's real Sage ID pages over HTTP like a browser would: open the authorize URL, submit the
// login form, then the consent form. Returns the redirect back to the client (callback URL with code/state or error).
import { DEMO_CLIENT, DEMO_SUBSCRIPTION_KEY, DEMO_USERS } from '../../simulator/demo.ts';
import { ConnectorError, type IntegrationCredentials } from '../../src/connectors/connector.ts';

export const demoUser = DEMO_USERS[0];
export const soloUser = DEMO_USERS[1];

export function simCredentials(simUrl: string, over: Partial<IntegrationCredentials> = {}): IntegrationCredentials {
  return {
    clientId: DEMO_CLIENT.clientId,
    clientSecret: DEMO_CLIENT.clientSecret,
    subscriptionKey: DEMO_SUBSCRIPTION_KEY,
    authBaseUrl: simUrl,
    apiBaseUrl: `${simUrl}/uk/sage200/accounts/v1/`,
    ...over,
  };
}

/** Value of a named hidden input in an HTML page. */
export function hiddenInput(html: string, name: string): string {
  const m = html.match(new RegExp(`<input[^>]*name="${name}"[^>]*value="([^"]*)"`));
  if (!m) throw new Error(`No input "${name}" in page:\n${html.slice(0, 500)}`);
  return m[1]
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

export function formAction(html: string): string {
  const m = html.match(/<form[^>]*action="([^"]*)"/);
  if (!m) throw new Error(`No form in page:\n${html.slice(0, 500)}`);
  return m[1].replace(/&amp;/g, '&');
}

async function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
}

/**
 * From a Sage ID authorize URL to the redirect back to the client. `decision: 'deny'` presses Deny at consent.
 * Returns the Location header of Sage ID's final 302.
 */
export async function signInAtSage(
  authorizeUrl: string,
  opts: { email?: string; password?: string; decision?: 'authorize' | 'deny' } = {},
): Promise<string> {
  const base = new URL(authorizeUrl).origin;
  const loginPage = await fetch(authorizeUrl, { redirect: 'manual' });
  const loginHtml = await loginPage.text();
  if (loginPage.status !== 200) throw new Error(`authorize answered ${loginPage.status}: ${loginHtml.slice(0, 300)}`);
  if (!/<label for="email">Email<\/label>/.test(loginHtml)) throw new Error('no labelled Email field on login page');
  const login = await postForm(new URL(formAction(loginHtml), base).href, {
    session: hiddenInput(loginHtml, 'session'),
    email: opts.email ?? demoUser.email,
    password: opts.password ?? demoUser.password,
  });
  const consentHtml = await login.text();
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const consent = await postForm(new URL(formAction(consentHtml), base).href, {
    session: hiddenInput(consentHtml, 'session'),
    decision: opts.decision ?? 'authorize',
  });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`consent answered ${consent.status} without a redirect`);
  return location;
}

/** Admin calls on the simulator (not part of Sage's surface). */
export async function simAdmin(simUrl: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${simUrl}/_sim/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`sim ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The ConnectorError a promise rejects with (fails the test when it resolves or throws something else). */
export async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConnectorError) return err;
    throw err;
  }
  throw new Error('expected a ConnectorError, but the call succeeded');
}
