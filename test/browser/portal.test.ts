// The portal walked as a user in real Chromium against a real Ledgerlink server and the Sage 200 simulator.
// Each step keeps a screenshot in docs/screenshots/ (used by docs/portal.md).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  configureIntegrationViaApi,
  createCompanyViaApi,
  ensurePortalBuilt,
  eventually,
  launchBrowser,
  linkCompany,
  type Stack,
  shot,
  signIn,
  startStack,
  visible,
} from './helpers.ts';

let stack: Stack;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  await ensurePortalBuilt();
  stack = await startStack();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'UTC' });
  context.setDefaultTimeout(15_000);
});

// On failure, keep what every open tab showed (test-results/ is git-ignored) and close the tabs.
afterEach(async (ctx) => {
  const failed = ctx.task.result?.state === 'fail';
  for (const [i, p] of context.pages().entries()) {
    if (failed) {
      const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
      await p.screenshot({ path: `test-results/browser/${name}-${i}.png`, fullPage: true }).catch(() => {});
    }
    await p.close().catch(() => {});
  }
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

const demoUser = () => {
  const u = stack.credentials.users.find((x) => x.companyIds.length > 1);
  if (!u) throw new Error('the simulator lists no demo user with several companies');
  return u;
};

async function open(path: string, page: Page) {
  await page.goto(`${stack.server.url}/portal${path}`);
}

describe('portal (Chromium)', () => {
  it('sets up Sage 200cloud, creates a test company, links Hadley Engineering Ltd and shows its invoices, customers and balance sheet', async () => {
    const { server, credentials } = stack;
    const page = await context.newPage();

    // 1. Sign in with the API key the server printed.
    await open('/', page);
    await visible(page.getByRole('heading', { name: 'Sign in to the portal' }));
    expect(await page.getByText('The server prints an API key the first time it starts').count()).toBe(1);
    await page.getByLabel('API key').fill('not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByText('That API key was not accepted'));
    await shot(page, '01-sign-in');
    await page.getByLabel('API key').fill(server.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Accounting integrations' }));

    // 2. Accounting integrations: Sage 200cloud is not set up yet.
    const card = page.getByTestId('integration-jcrp');
    await visible(card.getByRole('heading', { name: 'Sage 200cloud' }));
    await visible(card.getByText('Not set up'));
    await shot(page, '02-integrations');
    await card.getByRole('link', { name: 'Set up' }).click();
    await visible(page.getByRole('heading', { name: 'Set up Sage 200cloud' }));

    // 3. Integration settings: keys with spaces and missing keys are refused under their fields.
    await page.getByLabel('Client ID').fill(credentials.client.clientId);
    await page
      .getByLabel('Client secret')
      .fill(`${credentials.client.clientSecret.slice(0, 6)} ${credentials.client.clientSecret.slice(6)}`);
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText('Client secret must not contain spaces'));
    await visible(page.getByText('Subscription key is required.'));
    await shot(page, '03-settings-errors');

    // 4. Save with the simulator's credentials: confirmation, then "Enable Sage 200cloud" now or later.
    await page.getByLabel('Client secret').fill(credentials.client.clientSecret);
    await page.getByLabel('Subscription key').fill(credentials.subscriptionKey);
    await page.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enable Sage 200cloud' });
    await visible(dialog);
    await visible(page.getByText('Sage 200cloud production settings saved.').first());
    await shot(page, '04-saved-enable-dialog', { fullPage: false });
    await dialog.getByRole('button', { name: 'Enable now' }).click();

    // 5. Manage page: enabled, secrets masked (only the tail shown), redirect URL to register with Sage.
    await visible(page.getByRole('heading', { name: 'Sage 200cloud', exact: true }));
    await visible(page.getByRole('switch', { name: 'Enable Sage 200cloud', checked: true }));
    const body = await page.locator('main').textContent();
    expect(body).toContain(credentials.client.clientSecret.slice(-4));
    expect(body).not.toContain(credentials.client.clientSecret);
    expect(body).not.toContain(credentials.subscriptionKey);
    expect(await page.getByRole('textbox', { name: 'Redirect URL' }).inputValue()).toBe(`${server.url}/oauth/callback`);
    await shot(page, '05-manage-integration');
    const integ = await (await server.fetch('/integrations/jcrp')).json();
    expect(integ).toMatchObject({ key: 'jcrp', enabled: true, configured: true });

    await page.getByRole('link', { name: 'Accounting integrations' }).first().click();
    await visible(
      page.getByTestId('integration-jcrp').getByRole('switch', { name: 'Enable Sage 200cloud', checked: true }),
    );
    await shot(page, '06-integrations-enabled');

    // 6. Create a test company and request data: the Link URL with a Copy button.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Companies' }).click();
    await visible(page.getByRole('heading', { name: 'Companies', exact: true }));
    await page.getByRole('button', { name: 'New company' }).click();
    await page.getByLabel('Company name').fill('Hadley Engineering test');
    await shot(page, '07-new-company', { fullPage: false });
    await page.getByRole('button', { name: 'Create company' }).click();
    const request = page.getByRole('dialog', { name: 'Request data from Hadley Engineering test' });
    await visible(request);
    const linkUrl = await request.getByLabel('Link URL').inputValue();
    expect(linkUrl).toMatch(new RegExp(`^${server.url}/link/company/[0-9a-f-]{36}$`));
    await request.getByRole('button', { name: 'Copy' }).click();
    await visible(request.getByRole('button', { name: 'Copied' }));
    await shot(page, '08-request-data', { fullPage: false });
    await request.getByRole('button', { name: 'Close' }).first().click();

    // 7. The customer opens the Link URL, signs in to Sage, authorises and picks Hadley Engineering Ltd.
    const customer = await context.newPage();
    await linkCompany(customer, linkUrl, demoUser(), 'Hadley Engineering Ltd', { prefix: '09' });
    await customer.close();

    // 8. Company page: the connection is Linked and the first sync runs by itself.
    await page.getByRole('link', { name: 'Hadley Engineering test' }).click();
    await visible(page.getByRole('heading', { name: 'Hadley Engineering test' }));
    const conn = page.getByTestId('connection');
    await eventually(
      page,
      async () => {
        await visible(conn.getByText('Linked', { exact: true }), 2000);
        await visible(conn.getByText('Hadley Engineering Ltd'), 2000);
        await visible(page.locator('tr[data-datatype="invoices"]').getByText('Complete'), 2000);
        await visible(page.locator('tr[data-datatype="customers"]').getByText('Complete'), 2000);
        await visible(page.locator('tr[data-datatype="balanceSheet"]').getByText('Complete'), 2000);
      },
      150_000,
    );
    expect(await conn.textContent()).toMatch(/Access expires\s*\d{1,2} \w{3} \d{4} \(in (89|90) days\)/);
    await shot(page, '10-company-overview');

    // 9. Data viewer: invoices, one invoice with its Sage summary lines, customers.
    await page.getByRole('tab', { name: 'Data' }).click();
    const invoices = page.getByTestId('table-invoices');
    await visible(invoices);
    expect(await invoices.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page.getByRole('navigation', { name: 'Pagination' }).textContent()).toMatch(/of [\d,]+/);
    await shot(page, '11-invoices');
    // Sage posted invoices without SOP lines carry only per-tax-code analysis: find one with the query box.
    const total = await page.getByRole('navigation', { name: 'Pagination' }).textContent();
    await page.getByLabel('Query Invoices').fill('lineItemsSource=SummaryByTaxCode');
    await page.getByRole('button', { name: 'Search' }).click();
    await visible(page.getByRole('button', { name: 'Clear' }));
    await page.waitForFunction(
      (before) => document.querySelector('nav[aria-label="Pagination"]')?.textContent !== before,
      total,
    );
    await invoices.locator('tbody tr').first().getByRole('link').click();
    await visible(page.getByRole('heading', { name: 'Lines' }));
    await visible(page.getByRole('cell', { name: 'Goods Summary' }));
    await visible(page.getByRole('cell', { name: /^Tax Summary - / }));
    await shot(page, '12-invoice-detail');
    await page.getByLabel('Data type').selectOption('customers');
    const customers = page.getByTestId('table-customers');
    await visible(customers);
    expect(await customers.locator('tbody tr').count()).toBeGreaterThan(0);
    await shot(page, '13-customers');

    // 10. Financials: monthly revenue and expenses chart; profit and loss and balance sheet by period.
    await page.getByRole('tab', { name: 'Financials' }).click();
    await visible(page.getByRole('img', { name: /Monthly revenue and expenses/ }));
    await visible(page.getByTestId('statement-profitAndLoss'));
    await shot(page, '14-profit-and-loss', { fullPage: false });
    await page.getByRole('tab', { name: 'Balance sheet' }).click();
    const bs = page.getByTestId('statement-balanceSheet');
    await visible(bs);
    await visible(bs.getByRole('cell', { name: 'Net assets' }));
    expect(await bs.locator('thead th').count()).toBe(13);
    await shot(page, '15-balance-sheet');
    await page.getByRole('tab', { name: 'Aged debtors' }).click();
    const aged = page.getByTestId('report-agedDebtor');
    await visible(aged);
    await visible(aged.getByRole('cell', { name: 'Total GBP' }));
    await aged.scrollIntoViewIfNeeded();
    await shot(page, '15b-aged-debtors', { fullPage: false });

    // 11. Read history lists the syncs.
    await page.getByRole('tab', { name: 'Read history' }).click();
    await visible(page.getByTestId('read-history').getByText('invoices'));
    await shot(page, '16-read-history');

    // 12. The same page on a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('tab', { name: 'Overview' }).click();
    await visible(page.getByRole('button', { name: 'Menu' }));
    await shot(page, '17-phone');
    await page.close();
  }, 300_000);

  it("shows the sandbox company's balance sheet ValidationError with its details", async () => {
    const key = stack.server.second!.apiKey;
    await configureIntegrationViaApi(stack, key);
    const company = await createCompanyViaApi(stack, key, 'Sandbox check');
    const page = await context.newPage();
    await linkCompany(page, company.redirect, demoUser(), 'Sandbox Trading Ltd');
    await signIn(page, stack.server.url, key);
    await open(`/companies/${company.id}`, page);
    const row = page.locator('tr[data-datatype="balanceSheet"]');
    await eventually(page, () => visible(row.getByText('ValidationError'), 2000), 150_000);
    await row.getByRole('button', { name: 'View validation details' }).click();
    const dialog = page.getByRole('dialog', { name: 'Validation details: balanceSheet' });
    await visible(dialog.getByRole('heading', { name: /Errors \([1-9]/ }));
    const text = await dialog.textContent();
    expect(text).toMatch(/net assets/i);
    expect(text).toMatch(/equity/i);
    expect((text ?? '').replace(/,/g, '')).toContain('1234.56');
    await shot(page, '18-sandbox-validation-error', { fullPage: false });
    await page.close();
  });

  it("shows a trial company's refused write as a failed push with its message", async () => {
    const key = stack.server.second!.apiKey;
    await configureIntegrationViaApi(stack, key);
    const company = await createCompanyViaApi(stack, key, 'Trial check');
    const page = await context.newPage();
    await linkCompany(page, company.redirect, demoUser(), 'Trial Company Ltd');
    const conns = (await (
      await stack.server.fetch(`/companies/${company.id}/connections`, { apiKey: key })
    ).json()) as {
      results: { id: string; status: string }[];
    };
    const conn = conns.results.find((c) => c.status === 'Linked');
    expect(conn, JSON.stringify(conns)).toBeTruthy();
    const push = await stack.server.fetch(`/companies/${company.id}/connections/${conn!.id}/push/customers`, {
      method: 'POST',
      apiKey: key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerName: 'Portal Trial Customer', status: 'Active', defaultCurrency: 'GBP' }),
    });
    expect(push.status, await push.clone().text()).toBeLessThan(500);
    await signIn(page, stack.server.url, key);
    await open(`/companies/${company.id}/push`, page);
    const table = page.getByTestId('push-history');
    await eventually(page, () => visible(table.getByText('Failed'), 2000), 60_000);
    const row = table.locator('tbody tr').first();
    expect(await row.textContent()).toMatch(/trial/i);
    await row.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog', { name: /Push customers: Failed/ });
    await visible(dialog);
    expect(await dialog.textContent()).toMatch(/trial/i);
    await shot(page, '19-trial-push-failed', { fullPage: false });
    await page.close();
  });

  it('creates and revokes an API key in Settings; a revoked key is refused at sign-in', async () => {
    const page = await context.newPage();
    await signIn(page, stack.server.url, stack.server.second!.apiKey);
    await page.getByRole('link', { name: 'Settings' }).click();
    await visible(page.getByRole('heading', { name: 'Create an API key' }));
    await page.getByLabel('Key name').fill('Portal test key');
    await page.getByRole('button', { name: 'Create key' }).click();
    const created = page.getByRole('dialog', { name: 'API key created' });
    await visible(created);
    const newKey = await created.getByLabel('New API key').inputValue();
    expect(newKey.length).toBeGreaterThan(20);
    expect((await stack.server.fetch('/companies', { apiKey: newKey })).status).toBe(200);
    await shot(page, '20-api-key-created', { fullPage: false });
    await created.getByRole('button', { name: 'Done' }).click();
    const row = page.getByTestId('api-keys').locator('tr', { hasText: 'Portal test key' });
    // Keyboard: the dialog takes focus, Escape closes it and focus returns to the button that opened it.
    const revokeButton = row.getByRole('button', { name: 'Revoke' });
    await revokeButton.click();
    const confirm = page.getByRole('dialog', { name: /Revoke/ });
    await visible(confirm);
    expect(await confirm.getAttribute('aria-modal')).toBe('true');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await revokeButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await revokeButton.click();
    await confirm.getByRole('button', { name: 'Revoke key' }).click();
    await visible(page.getByText('API key “Portal test key” revoked.'));
    expect((await stack.server.fetch('/companies', { apiKey: newKey })).status).toBe(401);

    // A tab signed in with the revoked key is sent back to sign-in on its next call.
    const other = await context.newPage();
    await other.goto(`${stack.server.url}/portal/`);
    await other.evaluate((k) => sessionStorage.setItem('ledgerlink.apiKey', k), newKey);
    await other.goto(`${stack.server.url}/portal/companies`);
    await visible(other.getByRole('heading', { name: 'Sign in to the portal' }));
    await other.close();
    await page.close();
  });

  it('adds a webhook consumer (secret shown once), lists its deliveries and replays one', async () => {
    // A real receiver on loopback that accepts every delivery.
    const received: string[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    try {
      const key = stack.server.second!.apiKey;
      await configureIntegrationViaApi(stack, key);
      const page = await context.newPage();
      await signIn(page, stack.server.url, key);
      await open('/settings/webhooks', page);
      await page.getByRole('button', { name: 'Add consumer' }).click();
      const add = page.getByRole('dialog', { name: 'Add webhook consumer' });
      await add.getByLabel('Endpoint URL').fill('not a url');
      await add.getByRole('button', { name: 'Add consumer' }).click();
      await visible(add.getByText('Enter the endpoint as an absolute http(s) URL.'));
      await add.getByLabel('Endpoint URL').fill(hookUrl);
      await add.getByRole('button', { name: 'Add consumer' }).click();
      const secret = page.getByRole('dialog', { name: 'Signing secret' });
      await visible(secret);
      expect(await secret.getByLabel('Signing secret').inputValue()).toMatch(/^whsec_/);
      await secret.getByRole('button', { name: 'Done' }).click();
      await visible(page.getByTestId('webhook-consumers').getByText(hookUrl));

      // Events to deliver: linking a company announces connection.* and, after its first sync, read.completed.
      const company = await createCompanyViaApi(stack, key, 'Webhook check');
      const customer = await context.newPage();
      await linkCompany(customer, company.redirect, demoUser(), 'Hadley Engineering Ltd');
      await customer.close();
      await page.getByTestId('webhook-consumers').getByRole('button', { name: 'Deliveries' }).click();
      const deliveries = page.getByTestId('webhook-deliveries');
      await eventually(
        page,
        async () => {
          const open = page.getByTestId('webhook-consumers').getByRole('button', { name: 'Deliveries' });
          if (!(await deliveries.isVisible())) await open.click();
          await visible(deliveries.getByText('Succeeded'), 3000);
        },
        60_000,
      );
      expect(await deliveries.textContent()).toMatch(/connection\.connected|read\.completed/);
      await shot(page, '21-webhook-deliveries');
      const before = received.length;
      expect(before).toBeGreaterThan(0);
      const firstType = (await deliveries.locator('tbody tr').first().locator('td').first().textContent())?.trim();
      await deliveries.getByRole('button', { name: 'Replay' }).first().click();
      await visible(page.getByText('Event queued for redelivery.'));
      const end = Date.now() + 30_000;
      while (received.length === before && Date.now() < end) await page.waitForTimeout(250);
      expect(received.length).toBeGreaterThan(before);
      expect(JSON.parse(received[received.length - 1])).toMatchObject({ eventType: firstType });

      await page.close();
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });

  it('saves sync settings', async () => {
    const key = stack.server.second!.apiKey;
    const page = await context.newPage();
    await signIn(page, stack.server.url, key);
    // Sync settings: set invoices to weekly and save; the API returns the new schedule.
    await open('/settings/sync', page);
    const freq = page.getByLabel('Sync frequency for invoices');
    await visible(freq);
    await freq.selectOption({ label: 'Weekly' });
    await page.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText('Sync settings saved.'));
    await shot(page, '22-sync-settings');
    const saved = (await (await stack.server.fetch('/profile/syncSettings', { apiKey: key })).json()) as {
      settings: { dataType: string; syncSchedule: number }[];
    };
    expect(saved.settings.find((x) => x.dataType === 'invoices')?.syncSchedule).toBe(168);
    await page.close();
  });
});
