import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import type { TestServer } from '../support/testServer.js';
import { postEvents, startTestServer } from '../support/testServer.js';

/**
 * The live skeleton as a user meets it (issue "Foundation", item 7): an empty chart that fills in live as events
 * arrive, and a lineage search (on the Lineage screen) that lays out an order's steps in time order. Real server, real embedded ClickHouse,
 * real browser (Debian's chromium, driven by playwright-core).
 */

const LIVE_TIMEOUT_MS = 10_000;

const run = Date.now().toString(36);
const orderId = `SO-${run}`;
const refundId = `RF-${run}`;

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1280, height: 900 }, colorScheme: 'light', locale: 'en-GB' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** An order paid, invoiced after one failed try, then partly refunded: two flows linked by the order id. */
function orderAndRefundEvents(now: number): Record<string, unknown>[] {
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  const order = { correlation_id: `order-${run}`, flow: 'order_to_cash' };
  const refund = { correlation_id: `refund-${run}`, flow: 'return_to_refund' };
  return [
    { ...order, event_id: `${run}-1`, step: 'shop.order.created', system: 'shopify', target_system: 'oms', occurred_at: at(50), keys: { order_id: orderId }, amount: '59.90', currency: 'EUR' },
    { ...order, event_id: `${run}-2`, step: 'psp.payment.captured', system: 'stripe', occurred_at: at(45), keys: { order_id: orderId, payment_id: `pi_${run}` }, amount: '59.90', currency: 'EUR' },
    { ...order, event_id: `${run}-3`, step: 'erp.invoice.posted', system: 'oms', target_system: 'erp', occurred_at: at(40), status: 'failed', error_code: 'ERP_TIMEOUT', error_class: 'technical', error_message: 'ERP did not answer within 30 s', keys: { order_id: orderId } },
    { ...order, event_id: `${run}-4`, step: 'erp.invoice.posted', system: 'oms', target_system: 'erp', occurred_at: at(35), keys: { order_id: orderId } },
    { ...refund, event_id: `${run}-5`, step: 'oms.refund.requested', system: 'oms', target_system: 'stripe', occurred_at: at(20), keys: { order_id: orderId, refund_id: refundId }, amount: '19.95', currency: 'EUR' },
    { ...refund, event_id: `${run}-6`, step: 'psp.refund.issued', system: 'stripe', occurred_at: at(10), keys: { refund_id: refundId }, amount: '19.95', currency: 'EUR' },
  ];
}

async function ingest(events: Record<string, unknown>[]): Promise<void> {
  const response = await postEvents(server, events);
  expect(response.status, await response.clone().text()).toBe(200);
  expect(await response.json()).toMatchObject({ accepted: events.length, rejected: 0 });
}

async function timelineSteps(): Promise<string[]> {
  return page.getByTestId('lineage-event').evaluateAll((items) => items.map((item) => item.getAttribute('data-step') ?? ''));
}

describe('live skeleton UI', () => {
  it('greets an empty system with what to do next', async () => {
    await page.goto(server.baseUrl);

    await page.getByTestId('throughput-empty').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await page.getByTestId('throughput-empty').textContent()).toContain('No events in the last 5 min');
    await page.getByTestId('live-indicator').and(page.locator('[data-status="live"]')).waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await page.locator('#panel-throughput-title').textContent()).toBe('Throughput by flow');
    expect(await page.locator('.throughput-summary').textContent()).toBe('Events per second by event time, last 5 min');
  });

  it('draws events of two flows live, without a reload', async () => {
    const events = orderAndRefundEvents(Date.now());
    let navigations = 0;
    const countNavigation = (frame: unknown) => {
      if (frame === page.mainFrame()) navigations++;
    };
    page.on('framenavigated', countNavigation);

    await ingest(events);

    await page.getByTestId('flow-legend-item').and(page.locator('[data-flow="order_to_cash"]')).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByTestId('flow-legend-item').and(page.locator('[data-flow="return_to_refund"]')).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await expect
      .poll(() => page.getByTestId('throughput-total').textContent(), { timeout: LIVE_TIMEOUT_MS })
      .toBe(`${events.length} events in window`);
    expect(await page.getByTestId('throughput-empty').count()).toBe(0);
    page.off('framenavigated', countNavigation);
    expect(navigations).toBe(0);
    expect(await page.locator('.recharts-area').count()).toBe(2);

    await page.screenshot({ path: `${SCREENSHOTS}live-throughput.png`, fullPage: true });
  });

  it('traces an order id through both flows, in time order, as a link you can paste', async () => {
    // Lineage is a screen of its own: reached from the menu, found by key.
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Lineage', exact: true }).click();
    await page.getByLabel('Business key or correlation id').fill(orderId);
    await page.getByRole('button', { name: 'Trace' }).click();

    await page.getByTestId('lineage-events').waitFor({ timeout: LIVE_TIMEOUT_MS });
    const expectedSteps = [
      'shop.order.created',
      'psp.payment.captured',
      'erp.invoice.posted',
      'erp.invoice.posted',
      'oms.refund.requested',
      'psp.refund.issued',
    ];
    expect(await timelineSteps()).toEqual(expectedSteps);
    const refund = page.getByTestId('lineage-correlation').and(page.locator(`[data-correlation="refund-${run}"]`));
    expect(await refund.getByTestId('lineage-key-chip').allTextContents()).toContain(`order_id ${orderId}`);
    expect(await page.getByTestId('lineage-event').nth(2).textContent()).toContain('ERP_TIMEOUT');
    expect(await page.getByTestId('lineage-event').first().textContent()).toContain('€59.90');
    expect(new URL(page.url()).searchParams.get('view')).toBe('lineage');
    expect(new URL(page.url()).searchParams.get('key')).toBe(orderId);

    // The URL alone brings the same view back: what someone pasting it into an incident channel gets.
    await page.goto(page.url());
    await page.getByTestId('lineage-events').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await timelineSteps()).toEqual(expectedSteps);
    expect(await page.getByLabel('Business key or correlation id').inputValue()).toBe(orderId);
  });

  it('says what to check when a key has no events', async () => {
    const unknown = `SO-UNKNOWN-${run}`;
    await page.getByLabel('Business key or correlation id').fill(unknown);
    await page.getByLabel('Business key or correlation id').press('Enter');

    await page.getByTestId('lineage-not-found').waitFor({ timeout: LIVE_TIMEOUT_MS });
    const notFound = (await page.getByTestId('lineage-not-found').textContent()) ?? '';
    expect(notFound).toContain(`No transaction carries ${unknown} in anything Flowlens has stored`);
    expect(notFound).toContain('Sent just now? Events show within seconds of arriving: search again.');
    expect(await page.getByTestId('lineage-events').count()).toBe(0);
  });
});
