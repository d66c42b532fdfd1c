import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import type { TestServer } from '../support/testServer.js';
import { postEvents, startTestServer } from '../support/testServer.js';

/**
 * The exception journey (issue 6, screen 3): filter the inbox by owner, open an exception and see its lineage,
 * assign it to a named person, resolve it with a note — the row leaves the open list and the history shows both
 * actions with who took them (olga, the operator signed in) — then acknowledge two rows at once. Real server, real
 * embedded ClickHouse, real Chromium, with the shared answer cache on as in production.
 */

const TIMEOUT_MS = 10_000;
const run = Date.now().toString(36);

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'olga', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
  const response = await postEvents(server, estate(Date.now()));
  expect(response.status, await response.clone().text()).toBe(200);
  await server.flush();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const at = (now: number, minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

/**
 * Three refunds the ERP refused on business grounds (finance's: 5 h, 45 min and 3 min old), and an order whose
 * invoice posting was dead-lettered after the ERP answered 503 (integration support's, 2 h old).
 */
function estate(now: number): Record<string, unknown>[] {
  const refund = (n: number, minutesAgo: number) => {
    const base = { correlation_id: `rtr-re_${run}${n}`, flow: 'return_to_refund', keys: { refund_id: `re_${run}${n}`, rma_id: `RMA-${run}-${n}` } };
    return [
      { ...base, event_id: `${run}-r${n}-c`, step: 'payment.refund.created', system: 'stripe', occurred_at: at(now, minutesAgo + 2), amount: '49.90', currency: 'EUR' },
      {
        ...base, event_id: `${run}-r${n}-f`, step: 'erp.credit_memo.posted', system: 'middleware', target_system: 'erp', status: 'failed', occurred_at: at(now, minutesAgo),
        error_code: 'GL_PERIOD_CLOSED', error_class: 'business', error_message: 'posting period 11 is closed for account 4010',
      },
    ];
  };
  const order = { correlation_id: `otc-${run}`, flow: 'order_to_cash', keys: { order_id: `#${run}` } };
  return [
    ...refund(1, 300),
    ...refund(2, 45),
    ...refund(3, 3),
    { ...order, event_id: `${run}-o-c`, step: 'shop.order.created', system: 'shopify', occurred_at: at(now, 125), amount: '120.00', currency: 'EUR' },
    {
      ...order, event_id: `${run}-o-f`, step: 'erp.invoice.posted', system: 'middleware', target_system: 'erp', status: 'dead_lettered', occurred_at: at(now, 120),
      error_code: 'HTTP_503', error_class: 'technical', error_message: 'ERP unavailable after 4 attempts',
    },
  ];
}

const rows = () => page.getByTestId('exception-row');
const row = (correlation: string) => page.locator(`[data-testid="exception-row"][data-correlation="${correlation}"]`);

describe('the exceptions inbox', () => {
  it('shows open exceptions by age and owner, oldest first', async () => {
    await page.goto(`${server.baseUrl}/?view=exceptions`);
    await rows().first().waitFor({ timeout: TIMEOUT_MS });
    expect(await rows().count()).toBe(4);
    expect(await rows().first().getAttribute('data-correlation')).toBe(`rtr-re_${run}1`);
    expect(await page.getByTestId('inbox-summary').textContent()).toMatch(/^4 of 4 · oldest first · as of/);
    const owners = page.getByTestId('aging-owner');
    await expect.poll(() => owners.getByTestId('aging-summary').textContent(), { timeout: TIMEOUT_MS }).toBe('4 open · 1 older than 4 h');
    // The chart's figures, as a table anyone can read and use with the keyboard.
    await owners.locator('summary').click();
    expect(await owners.getByRole('rowheader', { name: 'Finance operations' }).count()).toBe(1);
    expect(await owners.getByRole('rowheader', { name: 'Integration support' }).count()).toBe(1);
  });

  it('filters by owner from a dropdown that counts each owner, and keeps it in the URL', async () => {
    const owner = page.getByLabel('Owner', { exact: true });
    expect(await owner.locator('option').allTextContents()).toEqual(['Every owner', 'Finance operations (3)', 'Integration support (1)']);
    await owner.selectOption('finance');
    await expect.poll(() => rows().count(), { timeout: TIMEOUT_MS }).toBe(3);
    expect(new URL(page.url()).searchParams.get('owner')).toBe('finance');
  });

  it('opens an exception with everything about it and its lineage', async () => {
    await row(`rtr-re_${run}1`).getByRole('link', { name: 'erp.credit_memo.posted' }).click();
    const detail = page.getByTestId('exception-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(new URL(page.url()).searchParams.get('exception')).toBe(await row(`rtr-re_${run}1`).getAttribute('data-id'));
    const facts = await detail.getByTestId('exception-facts').textContent();
    expect(facts).toContain('GL_PERIOD_CLOSED · business');
    expect(facts).toContain('Finance operations');
    expect(facts).toContain(`refund_id re_${run}1`);
    const lineage = detail.getByTestId('exception-lineage');
    await lineage.getByTestId('lineage-step').first().waitFor({ timeout: TIMEOUT_MS });
    expect(await lineage.getByTestId('lineage-step').evaluateAll((items) => items.map((i) => i.getAttribute('data-step')))).toEqual(['payment.refund.created', 'erp.credit_memo.posted']);
    expect(await lineage.getByTestId('lineage-link').getAttribute('href')).toBe(`?view=lineage&key=rtr-re_${run}1`);
  });

  it('assigns it to a named person, then resolves it with a note: it leaves the open list, the history keeps both', async () => {
    const detail = page.getByTestId('exception-detail');
    await detail.getByLabel('Assign to').fill('Bo Finance');
    await detail.getByRole('button', { name: 'Assign', exact: true }).click();
    await expect.poll(() => detail.getByTestId('detail-feedback').textContent(), { timeout: TIMEOUT_MS }).toBe('Assigned 1 exception to Bo Finance');
    await expect.poll(() => row(`rtr-re_${run}1`).getByTestId('exception-assignee').textContent(), { timeout: TIMEOUT_MS }).toBe('Bo Finance');

    await detail.getByLabel('Note').fill('Period 11 reopened by finance; credit memo posted again.');
    await detail.getByRole('button', { name: 'Resolve with this note' }).click();
    await expect.poll(() => detail.getByTestId('detail-state').textContent(), { timeout: TIMEOUT_MS }).toBe('Resolved');
    await expect.poll(() => row(`rtr-re_${run}1`).count(), { timeout: TIMEOUT_MS }).toBe(0);
    expect(await rows().count()).toBe(2);
    const history = await detail.getByTestId('history-entry').allTextContents();
    expect(history).toHaveLength(2);
    expect(history[0]).toMatch(/^olga assigned it to Bo Finance/);
    expect(history[1]).toMatch(/^olga resolved it.*Period 11 reopened by finance; credit memo posted again\.$/);
    await page.locator('[data-panel="inbox"]').evaluate((inbox) => inbox.ownerDocument.defaultView?.scrollBy(0, inbox.getBoundingClientRect().top - 320));
    await page.screenshot({ path: `${SCREENSHOTS}exceptions.png`, fullPage: false });
  });

  it('acknowledges two rows at once', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('exception-detail').waitFor({ state: 'detached', timeout: TIMEOUT_MS });
    expect(new URL(page.url()).searchParams.get('exception')).toBeNull();
    await page.getByLabel('Select every exception on this page').check();
    expect(await page.getByTestId('bulk-count').textContent()).toBe('2 selected');
    await page.getByTestId('bulk-actions').getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.getByTestId('bulk-feedback').textContent(), { timeout: TIMEOUT_MS }).toBe('Acknowledged 2 exceptions');
    expect(await page.getByTestId('exception-state').allTextContents()).toEqual(['Acknowledged', 'Acknowledged']);
    expect(await page.getByTestId('bulk-count').textContent()).toBe('Select exceptions to act on several at once');
  });

  it('filters from the aging chart, and says when nothing matches', async () => {
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect.poll(() => rows().count(), { timeout: TIMEOUT_MS }).toBe(3);
    // Integration support's one bar segment (1 – 4 h): a click filters the inbox to that owner and bucket.
    await page.locator('[data-testid="aging-owner"] .exc-aging-1h_4h').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('bucket'), { timeout: TIMEOUT_MS }).toBe('1h_4h');
    expect(new URL(page.url()).searchParams.get('owner')).toBe('integration-support');
    await expect.poll(() => rows().count(), { timeout: TIMEOUT_MS }).toBe(1);
    expect(await rows().first().getAttribute('data-correlation')).toBe(`otc-${run}`);

    await page.getByLabel('Age', { exact: true }).selectOption('over_24h');
    await page.getByTestId('inbox-empty').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('inbox-empty').textContent()).toContain('No open exceptions match these filters');
    await page.getByTestId('inbox-empty').getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows().count(), { timeout: TIMEOUT_MS }).toBe(3);
  });

  it('reads well in dark mode too', async () => {
    const dark = await signedInPage(browser, server.baseUrl, 'olga', { viewport: { width: 1440, height: 1000 }, colorScheme: 'dark', locale: 'en-GB' });
    const id = await rows().nth(1).getAttribute('data-id');
    await dark.goto(`${server.baseUrl}/?view=exceptions&exception=${id}`);
    await dark.getByTestId('exception-lineage').getByTestId('lineage-step').first().waitFor({ timeout: TIMEOUT_MS });
    await dark.getByTestId('exception-row').first().waitFor({ timeout: TIMEOUT_MS });
    await dark.locator('[data-panel="inbox"]').evaluate((inbox) => inbox.ownerDocument.defaultView?.scrollBy(0, inbox.getBoundingClientRect().top - 320));
    await dark.screenshot({ path: `${SCREENSHOTS}exceptions-dark.png`, fullPage: false });
    await dark.close();
  });
});
