import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import type { TestServer } from '../support/testServer.js';
import { postEvents, startTestServer } from '../support/testServer.js';

/**
 * The peak-period wall as ops meet it (issue "The live dashboard", screen 1): lag per channel now, open
 * exceptions by age and owner, the SLAs breaching, and each source's silence; a wall mode for the TV; lag that
 * moves without a reload. Real server, real embedded ClickHouse, real Chromium.
 */

const LIVE_TIMEOUT_MS = 10_000;
const run = Date.now().toString(36);

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const at = (now: number, secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();

/** Three store sales 8 min ago, posted in the ERP and on Shopify; Amazon has only the first; one ERP invoice dead-lettered; one refund not in the ledger. */
function estate(now: number): Record<string, unknown>[] {
  const sale = (n: number) => {
    const base = { correlation_id: `pos-store-001-${run}-${n}`, flow: 'inventory_sync', location_id: 'store-001', sku: `SKU-${n}`, quantity: -1, keys: { receipt_id: `R-${run}-${n}` } };
    return [
      { ...base, event_id: `${run}-s${n}`, step: 'pos.sale.captured', system: 'pos', occurred_at: at(now, 480 - n) },
      { ...base, event_id: `${run}-e${n}`, step: 'erp.inventory.posted', system: 'erp', occurred_at: at(now, 476 - n) },
      { ...base, event_id: `${run}-p${n}s`, step: 'channel.published', system: 'middleware', channel: 'shopify', occurred_at: at(now, 470 - n) },
      ...(n === 1 ? [{ ...base, event_id: `${run}-p${n}a`, step: 'channel.published', system: 'middleware', channel: 'amazon', occurred_at: at(now, 460 - n) }] : []),
    ];
  };
  return [
    ...sale(1),
    ...sale(2),
    ...sale(3),
    {
      event_id: `${run}-inv`, correlation_id: `shopify-order-${run}`, flow: 'order_to_cash', step: 'erp.invoice.posted', system: 'middleware', target_system: 'erp',
      status: 'dead_lettered', error_code: 'HTTP_503', error_class: 'technical', error_message: 'ERP unavailable after 4 attempts', occurred_at: at(now, 200), keys: { order_id: `#${run}` },
    },
    { event_id: `${run}-rf`, correlation_id: `rtr-re_${run}`, flow: 'return_to_refund', step: 'payment.refund.created', system: 'stripe', occurred_at: at(now, 600), amount: '19.95', currency: 'EUR', keys: { refund_id: `re_${run}` } },
  ];
}

async function ingest(events: Record<string, unknown>[]): Promise<void> {
  const response = await postEvents(server, events);
  expect(response.status, await response.clone().text()).toBe(200);
  await server.flush();
}

describe('the peak-period wall', () => {
  it('says what to do next on an empty system', async () => {
    await page.goto(server.baseUrl);
    await page.getByTestId('lag-empty').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await page.getByTestId('lag-empty').textContent()).toContain('No stock movements in the last 15 minutes');
    expect(await page.getByTestId('exceptions-total').textContent()).toBe('0 open');
    // The screens of dashboards/views/, the wall first; panel titles come from its view file.
    expect(await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).toEqual([
      'Overview', 'Inventory lag', 'Exceptions', 'SLAs', 'Lineage', 'Reconciliation', 'Alerts', 'Replay',
    ]);
    expect(await page.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('.panel h2').allTextContents()).toEqual([
      'Channel staleness now', 'Open exceptions', 'SLAs breaching now', 'Pipeline freshness', 'Stale stock and oversell risk', 'Throughput by flow',
    ]);
  });

  it('shows lag per channel, open exceptions by age and owner, breaching SLAs and silent sources', async () => {
    await ingest(estate(Date.now()));
    const amazon = page.getByTestId('lag-amazon');
    await amazon.waitFor({ timeout: LIVE_TIMEOUT_MS });
    // Two of three sales still not on Amazon, 8 minutes on: stale enough to oversell.
    await expect.poll(() => amazon.textContent(), { timeout: LIVE_TIMEOUT_MS }).toMatch(/^Amazon8 min \d+ s2 waiting, oldest 8 min \d+ s$/);
    expect(await amazon.getAttribute('class')).toContain('tone-bad');
    expect(await page.getByTestId('lag-shopify').textContent()).toMatch(/^Shopify10 s3 movements, none waiting$/);
    expect(await page.getByTestId('lag-erp').textContent()).toContain('4 s');

    // The dead-lettered invoice (integration support), the refund missing from the ledger (finance), and five
    // publications missing past the 90 s deadline (two on Amazon, three on Zalando, which got none).
    await expect.poll(() => page.getByTestId('exceptions-total').textContent(), { timeout: LIVE_TIMEOUT_MS }).toBe('7 open');
    expect(await page.getByRole('rowheader', { name: 'finance' }).count()).toBe(1);
    expect(await page.getByRole('rowheader', { name: 'integration-support' }).count()).toBe(1);
    const breach = page.getByTestId('breach-refund-ledger');
    expect(await breach.textContent()).toContain('1 open past the deadline');
    expect(await breach.getAttribute('class')).toContain('tone-bad');
    // Freshness counts from when a source's events arrived, not from when they happened.
    expect(await page.getByTestId('freshness-pos').textContent()).toMatch(/^pos(just now|[\d.]+ s ago)$/);

    await page.screenshot({ path: `${SCREENSHOTS}overview.png`, fullPage: true });
  });

  it('moves live: Amazon catching up shows without a reload, lag and exceptions alike', async () => {
    let navigations = 0;
    const countNavigation = (frame: unknown) => {
      if (frame === page.mainFrame()) navigations++;
    };
    page.on('framenavigated', countNavigation);
    const now = Date.now();
    // Posted as a sender would, without a flush: the wall must pick it up from the load alone.
    const response = await postEvents(
      server,
      [2, 3].map((n) => ({
        event_id: `${run}-p${n}a`, correlation_id: `pos-store-001-${run}-${n}`, flow: 'inventory_sync', step: 'channel.published', system: 'middleware', channel: 'amazon',
        location_id: 'store-001', sku: `SKU-${n}`, occurred_at: at(now, 0),
      })),
    );
    expect(response.status).toBe(200);
    await expect.poll(() => page.getByTestId('lag-amazon').textContent(), { timeout: 5_000 }).toMatch(/3 movements, none waiting$/);
    // The two Amazon publications missing past their deadline are no longer exceptions.
    await expect.poll(() => page.getByTestId('exceptions-total').textContent(), { timeout: 5_000 }).toBe('5 open');
    page.off('framenavigated', countNavigation);
    expect(navigations).toBe(0);
  });

  it('has a wall mode for the TV, kept in the URL', async () => {
    await page.getByRole('link', { name: 'Wall mode' }).click();
    await page.getByTestId('wall').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(new URL(page.url()).searchParams.get('wall')).toBe('1');
    expect(await page.locator('.app-header').count()).toBe(0);
    await page.getByTestId('lag-amazon').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.screenshot({ path: `${SCREENSHOTS}overview-wall.png`, fullPage: true });

    await page.goto(page.url());
    await page.getByTestId('wall').waitFor({ timeout: LIVE_TIMEOUT_MS });
    await page.getByRole('link', { name: 'Leave wall mode' }).click();
    await page.locator('.app-header').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(new URL(page.url()).searchParams.get('wall')).toBeNull();
  });
});
