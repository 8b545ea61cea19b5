import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminKey } from '../support/test-gateway.js';
import { artifacts, axeViolations, launchBrowser } from './console-browser.js';
import { startConsoleFixture, type ConsoleFixture } from './console-traffic.js';

const pages = [
  { path: '/overview', heading: 'Overview' },
  { path: '/requests', heading: 'Requests' },
  { path: '/money', heading: 'Money' },
  { path: '/keys', heading: 'Keys and budgets' },
  { path: '/providers', heading: 'Providers and routes' },
  { path: '/quality', heading: 'Quality' },
  { path: '/playground', heading: 'Playground' },
];

describe('the console in Chromium against a gateway with simulated traffic', () => {
  let fixture: ConsoleFixture;
  let browser: Browser;
  const cspReports: string[] = [];

  before(async () => {
    fixture = await startConsoleFixture();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await fixture?.stop();
  });

  async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: fixture.gateway.url });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspReports.push(message.text());
    });
    page.on('pageerror', (error) => cspReports.push(`page error: ${error.message}`));
    return { context, page };
  }

  async function signIn(page: Page, key = adminKey): Promise<void> {
    await page.goto('/');
    await page.getByLabel('Admin key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  }

  const admin = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fixture.gateway.admin(path, init);
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    return (await response.json()) as T;
  };

  test('sign-in: a wrong key is refused with the gateway\'s reason; the key lives in session storage until sign-out', async () => {
    const { context, page } = await newPage();
    await page.goto('/keys');
    await page.getByLabel('Admin key').fill('sy-admin-wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid API key' }).waitFor();
    await page.getByLabel('Admin key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Keys and budgets' }).waitFor();
    assert.equal(await page.evaluate("sessionStorage.getItem('switchyard.console.key')"), adminKey);
    assert.deepEqual(await context.cookies(), [], 'no cookie holds the key');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Keys and budgets' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    assert.equal(await page.evaluate("sessionStorage.getItem('switchyard.console.key')"), null);
    await page.goto('/overview');
    await page.getByLabel('Admin key').waitFor();
    await context.close();
  });

  test('the overview\'s figures are the API\'s for the same range', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    const figures = page.locator('dl.figures');
    await figures.waitFor();
    const range = { from: await figures.getAttribute('data-from'), to: await figures.getAttribute('data-to'), buckets: await figures.getAttribute('data-buckets') };
    const api = await admin<{ totals: Record<string, number>; spend: Record<string, number>; margin: Record<string, number | null> }>(`/admin/overview?from=${range.from}&to=${range.to}&buckets=${range.buckets}`);
    assert.ok(api.totals.requests >= 14, `the simulated traffic is in the range (${api.totals.requests})`);
    const raw = async (id: string) => Number(await page.locator(`[data-figure="${id}"]`).getAttribute('data-raw'));
    assert.equal(await raw('requests'), api.totals.requests);
    assert.equal(await raw('rps'), api.totals.requestsPerSecond);
    assert.equal(await raw('p50'), api.totals.p50Ms);
    assert.equal(await raw('p99'), api.totals.p99Ms);
    assert.equal(await raw('errorRate'), api.totals.errorRate);
    assert.ok(api.totals.errorRate > 0, 'the failed requests count as errors');
    assert.equal(await raw('spendToday'), api.spend.todayUsd);
    assert.equal(await raw('spendMonth'), api.spend.monthUsd);
    assert.equal(await raw('margin'), api.margin.marginUsd);
    assert.equal(await page.locator('[data-figure="requests"]').textContent(), api.totals.requests.toLocaleString('en-US'));
    await context.close();
  });

  test('a key created in the console works with the openai client, and its request shows in the log', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Keys and budgets' }).click();
    await page.getByLabel('Name').fill('console-made');
    await page.getByLabel('Key budget (USD)', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-key').textContent()) ?? '';
    assert.match(secret, /^sy-/);
    await page.getByRole('meter', { name: /Spend of console-made/ }).waitFor();
    const client = new OpenAI({ apiKey: secret, baseURL: `${fixture.gateway.url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'house', messages: [{ role: 'user', content: 'from the new key' }], user: 'initech' }, { headers: {} });
    const requestId = completion.id;
    assert.ok(requestId);
    const keys = await admin<{ data: Array<{ id: string; name: string }> }>('/admin/keys');
    const made = keys.data.find((key) => key.name === 'console-made');
    assert.ok(made);
    await page.getByRole('link', { name: 'Requests' }).click();
    await page.getByLabel('Key id').fill(made.id);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.locator('tbody tr');
    // The unfiltered page stays on screen until the filtered one arrives: wait for the table to change.
    let count = await rows.count();
    for (let tries = 0; tries < 100 && count !== 1; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      count = await rows.count();
    }
    assert.equal(count, 1, 'only the new key\'s request');
    await rows.first().getByRole('cell', { name: 'initech' }).waitFor();
    await rows.first().getByRole('button').click();
    await page.getByRole('heading', { level: 1, name: 'Request' }).waitFor();
    await page.getByRole('caption').filter({ hasText: 'Attempts' }).waitFor();
    const detail = await admin<{ costUsd: number; keyId: string }>(`/admin/requests/${encodeURIComponent((await page.getByTestId('request-id').textContent()) ?? '')}`);
    assert.equal(detail.keyId, made.id);
    assert.ok(detail.costUsd > 0);
    await context.close();
  });

  test('uploading revenue shows the margin; a malformed CSV names its line and imports nothing', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Money' }).click();
    const month = new Date().toISOString().slice(0, 7);
    const before = await admin<{ data: unknown[] }>('/admin/revenue');
    await page.getByLabel('Revenue CSV').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`customer,period,usd\nacme,${month},10\nglobex,${month},ten dollars\n`) });
    await page.getByRole('button', { name: 'Upload revenue' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Nothing imported' });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /line 3/);
    assert.deepEqual((await admin<{ data: unknown[] }>('/admin/revenue')).data, before.data, 'the good line 2 was not imported either');

    await page.getByLabel('Revenue CSV').setInputFiles({ name: 'revenue.csv', mimeType: 'text/csv', buffer: Buffer.from(`customer,period,usd\nacme,${month},10\nglobex,${month},4.5\n`) });
    await page.getByRole('button', { name: 'Upload revenue' }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 2 revenue rows' }).waitFor();
    const report = await admin<{ total: { revenueUsd: number; marginUsd: number } }>(`/admin/reports/margin?period=${month}`);
    assert.equal(report.total.revenueUsd, 14.5);
    await page.locator('[data-figure="marginRevenue"][data-raw="14.5"]').waitFor();
    assert.equal(Number(await page.locator('[data-figure="marginTotal"]').getAttribute('data-raw')), report.total.marginUsd);
    await page.getByRole('cell', { name: 'acme', exact: true }).first().waitFor();
    await context.close();
  });

  test('a finance key cannot create a key: the API answers 403 and the console says why', async () => {
    const created = await fixture.gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'books', role: 'finance' }) });
    assert.equal(created.status, 201);
    const { key } = (await created.json()) as { key: string };
    const direct = await fetch(`${fixture.gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'not-allowed' }) });
    assert.equal(direct.status, 403);
    const denial = (await direct.json()) as { error: { code: string; message: string } };
    assert.equal(denial.error.code, 'permission_denied');
    const { context, page } = await newPage();
    await signIn(page, key);
    await page.getByTestId('who').filter({ hasText: 'finance' }).waitFor();
    await page.getByRole('link', { name: 'Keys and budgets' }).click();
    await page.getByText('Creating keys needs the admin role').waitFor();
    await page.getByLabel('Name').fill('not-allowed');
    await page.getByRole('button', { name: 'Create key' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Not allowed' });
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /admin role/);
    const keys = await admin<{ data: Array<{ id: string; name: string; budget: unknown }> }>('/admin/keys');
    assert.equal(keys.data.filter((item) => item.name === 'not-allowed').length, 0);
    // Budgets of existing keys are finance's to set.
    const app = keys.data.find((item) => item.name === 'test-app');
    assert.ok(app);
    await page.getByLabel('Which key').selectOption(app.id);
    await page.getByLabel('New key budget (USD)').fill('3');
    await page.getByRole('button', { name: 'Save key' }).click();
    await page.getByRole('status').filter({ hasText: `Saved ${app.id}` }).waitFor();
    const changed = (await admin<{ data: Array<{ id: string; budget: unknown }> }>('/admin/keys')).data.find((item) => item.id === app.id);
    assert.deepEqual(changed?.budget, { usd: 3, period: 'monthly', hard: true });
    await context.close();
  });

  test('a streamed playground answer shows its model, latency and the cost the ledger recorded', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByLabel('Model or route').selectOption('chat');
    await page.getByLabel('Message').fill('Say hello');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('log').getByText('w0 w1 w2 w3 w4').waitFor();
    const cost = page.locator('[data-figure="answerCost"][data-raw]');
    await cost.waitFor();
    assert.equal(await page.locator('[data-figure="answerModel"]').textContent(), 'chat');
    assert.equal(await page.locator('[data-figure="answerServedBy"]').textContent(), 'gpu-east/house-v1');
    const log = await admin<{ data: Array<{ costUsd: number; stream: boolean; route: string }> }>('/admin/requests?limit=1');
    assert.equal(log.data[0]?.stream, true);
    assert.equal(Number(await cost.getAttribute('data-raw')), log.data[0]?.costUsd);
    assert.ok((log.data[0]?.costUsd ?? 0) > 0);
    assert.match((await page.locator('[data-figure="answerLatency"]').textContent()) ?? '', /\d ms$/);
    await context.close();
  });

  test('keyboard: the skip link comes first, every page link is reachable by Tab, and focus is visible', async () => {
    const { context, page } = await newPage();
    await signIn(page);
    // A fresh load: focus starts at the top of the document.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate('document.activeElement?.textContent'), 'Skip to content');
    const reached: string[] = [];
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press('Tab');
      const focused = (await page.evaluate(`(() => {
        const element = document.activeElement;
        const style = getComputedStyle(element);
        return { text: element.textContent ?? '', tag: element.tagName, outline: style.outlineStyle, width: style.outlineWidth };
      })()`)) as { text: string; tag: string; outline: string; width: string };
      assert.notEqual(focused.outline, 'none', `focus is visible on ${focused.tag} "${focused.text}"`);
      reached.push(focused.text);
    }
    for (const { heading } of pages) assert.ok(reached.includes(heading), `${heading} reachable by keyboard (${reached.join(' | ')})`);
    // Enter on a focused page link opens that page and moves focus to its heading.
    for (let step = 0; step < 12 && ((await page.evaluate('document.activeElement?.textContent')) as string) !== 'Money'; step += 1) await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/money$/);
    // Polled from here: the page's CSP forbids the string evaluation waitForFunction would do inside it.
    let focusedHeading = '';
    for (let tries = 0; tries < 50 && focusedHeading !== 'H1 Money'; tries += 1) {
      focusedHeading = (await page.evaluate('`${document.activeElement?.tagName} ${document.activeElement?.textContent}`')) as string;
      if (focusedHeading !== 'H1 Money') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(focusedHeading, 'H1 Money', 'focus moves to the new page\'s heading');
    await context.close();
  });

  test('every page at 1280 and 390 px: screenshots saved, no serious or critical axe violation, nothing refused by the CSP', async () => {
    const found: string[] = [];
    for (const width of [1280, 390]) {
      const { context, page } = await newPage(width);
      await signIn(page);
      for (const { path, heading } of pages) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.waitForLoadState('networkidle');
        const name = path.slice(1);
        await page.screenshot({ path: join(artifacts, `${name}-${width}.png`), fullPage: true });
        const violations = await axeViolations(page);
        writeFileSync(join(artifacts, `${name}-${width}.axe.json`), JSON.stringify(violations, null, 2));
        for (const violation of violations) {
          if (violation.impact === 'serious' || violation.impact === 'critical') found.push(`${path} @${width}: ${violation.id} (${violation.help}) at ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
        }
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        assert.ok(overflow <= 1, `${path} @${width}: the page does not scroll sideways (${overflow}px too wide)`);
      }
      await context.close();
    }
    assert.deepEqual(found, []);
    assert.deepEqual(cspReports, []);
  });
});
