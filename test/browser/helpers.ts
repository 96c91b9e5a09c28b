// Shared pieces of the browser suite: the portal build, a real Ledgerlink server beside the simulator, Chromium,
// screenshots, and the hosted Link flow walked as an end user would.
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startSimulator } from '../../simulator/server.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const PORTAL_DIST = join(ROOT, 'web', 'dist');
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** CI runs `npm run build:web` first; a local run (re)builds it here when it is missing or older than web/. */
export async function ensurePortalBuilt(): Promise<void> {
  const index = join(PORTAL_DIST, 'index.html');
  if (existsSync(index) && newestSource(join(ROOT, 'web')) <= statSync(index).mtimeMs) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Stack {
  sim: { url: string; close(): Promise<void> };
  server: TestServer;
  credentials: SimCredentials;
  close(): Promise<void>;
}

export interface SimCredentials {
  client: { clientId: string; clientSecret: string };
  subscriptionKey: string;
  users: { email: string; password: string; companyIds: number[] }[];
}

/** The simulator and a Ledgerlink server (fresh database, two tenants) whose Sage URLs point at it. */
export async function startStack(): Promise<Stack> {
  // A smaller book than the demo default keeps first syncs to seconds on a shared 2-core machine; the roles
  // (normal, sandbox, trial ...) are the same at every scale. BROWSER_SIM_SCALE=1 runs the full demo book.
  const scale = Number(process.env.BROWSER_SIM_SCALE ?? '0.1');
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', scale });
  try {
    // runtime 'embedded': the same in-process services as `ledgerlink serve --embedded` (event bus, sync engine
    // with datasets, scheduler and webhook delivery).
    const server = await startTestServer({
      secondTenant: true,
      portalDir: PORTAL_DIST,
      runtime: 'embedded',
      config: { sage: { authBaseUrl: sim.url, apiBaseUrl: `${sim.url}/uk/sage200/accounts/v1/` } },
    });
    const credentials = (await (await fetch(`${sim.url}/_sim/credentials`)).json()) as SimCredentials;
    return {
      sim,
      server,
      credentials,
      async close() {
        await server.close();
        await sim.close();
      },
    };
  } catch (e) {
    await sim.close();
    throw e;
  }
}

/** Wait until the locator is visible (playwright-core has no `expect`; vitest asserts the rest). */
export async function visible(locator: Locator, timeout = 15_000): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout });
}

/** Keep a screenshot of the current step in docs/screenshots/<name>.png. */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    fullPage: opts.fullPage ?? true,
    animations: 'disabled',
  });
}

export async function signIn(page: Page, baseUrl: string, apiKey: string): Promise<void> {
  await page.goto(`${baseUrl}/portal/`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('heading', { name: 'Accounting integrations' }));
}

/** Configure and enable Sage 200cloud through the API (for tests whose subject is not the setup itself). */
export async function configureIntegrationViaApi(stack: Stack, apiKey: string): Promise<void> {
  const f = (path: string, init: RequestInit) =>
    stack.server.fetch(path, { ...init, apiKey, headers: { 'content-type': 'application/json' } });
  const put = await f('/integrations/jcrp/settings/production', {
    method: 'PUT',
    body: JSON.stringify({
      clientId: stack.credentials.client.clientId,
      clientSecret: stack.credentials.client.clientSecret,
      subscriptionKey: stack.credentials.subscriptionKey,
    }),
  });
  expect(put.status, await put.clone().text()).toBe(200);
  const patch = await f('/integrations/jcrp', { method: 'PATCH', body: JSON.stringify({ enabled: true }) });
  expect(patch.status, await patch.clone().text()).toBeLessThan(300);
}

export async function createCompanyViaApi(
  stack: Stack,
  apiKey: string,
  name: string,
): Promise<{ id: string; redirect: string }> {
  const res = await stack.server.fetch('/companies', {
    method: 'POST',
    apiKey,
    body: JSON.stringify({ name }),
    headers: { 'content-type': 'application/json' },
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return (await res.json()) as { id: string; redirect: string };
}

/**
 * The end user's side: open the Link URL, choose Sage200cloud, continue, sign in at (simulated) Sage ID,
 * authorise, pick the company. `screens` names the screenshots to keep (only the main flow keeps them).
 */
export async function linkCompany(
  page: Page,
  linkUrl: string,
  user: { email: string; password: string },
  companyName: string,
  screens?: { prefix: string },
): Promise<void> {
  let step = 0;
  // 09a-link-choose-platform, 09b-link-continue, ... in the order a user sees them.
  const keep = async (name: string) =>
    screens ? shot(page, `${screens.prefix}${String.fromCharCode(97 + step++)}-${name}`) : undefined;
  await page.goto(linkUrl);
  await visible(page.getByRole('heading', { name: 'Connect your accounting software' }));
  await page.getByRole('radio', { name: 'Sage200cloud' }).check();
  await keep('link-choose-platform');
  await page.getByRole('button', { name: 'Next' }).click();
  await keep('link-continue');
  await page.getByRole('button', { name: 'Continue to Sage 200cloud' }).click();
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await keep('sage-sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('button', { name: 'Authorize' }));
  await keep('sage-consent');
  await page.getByRole('button', { name: 'Authorize' }).click();
  await visible(page.getByRole('heading', { name: 'Choose the company to share' }));
  await page.getByRole('radio', { name: new RegExp(`^${companyName.replace(/[()]/g, '\\$&')}`) }).check();
  await keep('link-pick-company');
  await page.getByRole('button', { name: 'Share this company' }).click();
  await visible(page.getByRole('heading', { name: `${companyName} is now connected` }));
  await keep('link-connected');
}

/** Reload until `check` passes (syncs run in the background); throws the last failure after `timeoutMs`. */
export async function eventually(page: Page, check: () => Promise<void>, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      await page.waitForTimeout(1500);
      await page.reload();
    }
  }
}
