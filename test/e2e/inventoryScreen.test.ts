import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import { replayRecentEstate, startEstateServer, type EstateServer } from '../support/simulatedEstate.js';
import { postEvents } from '../support/testServer.js';

/**
 * The inventory lag screen as ops meet it (issue 6, screen 2): lag over time per channel with percentiles, a
 * location × channel heatmap, the slowest locations and SKUs, stale stock, and the movements behind a point
 * with their lineage. A real Flowlens fed by the simulated estate while Amazon throttles, real Chromium.
 */

const UI_TIMEOUT_MS = 15_000;
const RUN_MS = 8 * 60_000;

let server: EstateServer;
let browser: Browser;
let page: Page;
/** Movements in range on Amazon, before any filter. */
let allMovements = 0;

beforeAll(async () => {
  server = await startEstateServer({ inbox: true });
  // The last eight minutes, Amazon throttled for the middle half of it.
  await replayRecentEstate(server, { scenarios: ['marketplace-throttle'], seed: '6', rate: 5, durationMs: RUN_MS });
  const response = await postEvents(server, stuckOnAmazon(Date.now()));
  expect(response.status, await response.clone().text()).toBe(200);
  await server.flush();
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Six sales at store-999 between 12 and 7 minutes ago: in the ERP and on Shopify within seconds, on Zalando within
 * two minutes, never on Amazon — the stalest place of all, and stock Amazon may oversell.
 */
function stuckOnAmazon(now: number): Record<string, unknown>[] {
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  return Array.from({ length: 6 }, (_, n) => {
    const ago = 720 - n * 60;
    const base = { correlation_id: `pos-store-999-e2e-${n}`, flow: 'inventory_sync', location_id: 'store-999', sku: `SKU-E2E-${n % 3}`, quantity: -4, keys: { receipt_id: `R-E2E-${n}` } };
    return [
      { ...base, event_id: `e2e-${n}-s`, step: 'pos.sale.captured', system: 'pos', occurred_at: at(ago) },
      { ...base, event_id: `e2e-${n}-e`, step: 'erp.inventory.posted', system: 'erp', occurred_at: at(ago - 4) },
      { ...base, event_id: `e2e-${n}-ps`, step: 'channel.published', system: 'middleware', channel: 'shopify', occurred_at: at(ago - 9) },
      { ...base, event_id: `e2e-${n}-pz`, step: 'channel.published', system: 'middleware', channel: 'zalando', occurred_at: at(ago - 40 - n * 15) },
    ];
  }).flat();
}

const param = (name: string) => new URL(page.url()).searchParams.get(name);

describe('the inventory lag screen', () => {
  it('shows lag over time per target with its percentiles, the heatmap, the slowest places and stale stock', async () => {
    await page.goto(`${server.baseUrl}/?view=inventory`);
    await page.getByTestId('lag-chart-amazon').waitFor({ timeout: UI_TIMEOUT_MS });
    for (const target of ['erp', 'shopify', 'amazon', 'zalando']) {
      await page.getByTestId(`lag-chart-${target}`).locator('.recharts-line').first().waitFor({ timeout: UI_TIMEOUT_MS });
    }
    // Per target: movements, still waiting, p50, p95, p99, max; Amazon, throttled, lags far behind Shopify.
    const cells = async (target: string) => page.getByTestId(`lag-summary-${target}`).locator('td').allTextContents();
    const amazon = await cells('amazon');
    allMovements = Number(amazon[0]!.replace(/\D/g, ''));
    expect(allMovements).toBeGreaterThan(20);
    expect(amazon.slice(2)).toEqual(expect.arrayContaining([expect.stringMatching(/\d+ (s|min)/)]));
    expect(await page.getByTestId('lag-chart-amazon').locator('.recharts-line').count()).toBe(3);

    await page.getByTestId('heatmap').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('heatmap-row').count()).toBeGreaterThan(3);
    expect(await page.getByRole('columnheader', { name: 'Amazon' }).count()).toBeGreaterThan(0);
    await page.getByTestId('worst-location').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('worst-sku').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('worst-location').getByTestId('worst-row').count()).toBe(10);
    // store-999's three SKUs are still not on Amazon after 7 minutes and more.
    const stale = page.getByTestId('stale-stock').getByTestId('stale-row');
    await stale.first().waitFor({ timeout: UI_TIMEOUT_MS });
    const staleRows = await stale.evaluateAll((rows) => rows.map((r) => [...r.children].slice(0, 3).map((c) => c.textContent)));
    expect(staleRows.filter(([, location, channel]) => location === 'store-999' && channel === 'Amazon').map(([sku]) => sku).sort()).toEqual(['SKU-E2E-0', 'SKU-E2E-1', 'SKU-E2E-2']);
  });

  it('filters the chart to a location and channel from a heatmap cell, as a link, removable', async () => {
    // The stalest location first: store-999 has waited on Amazon for 7 minutes and more.
    const row = page.getByTestId('heatmap-row').first();
    const location = (await row.getAttribute('data-location'))!;
    expect(location).toBe('store-999');
    const cell = row.locator('[data-testid="heat-cell"][data-target="amazon"]');
    expect(await cell.getAttribute('class')).toContain('heat-4');
    expect(await cell.textContent()).toMatch(/^waiting 1[23] min/);
    await cell.click();
    await expect.poll(() => param('location')).toBe(location);
    expect(param('target')).toBe('amazon');
    const chip = page.getByTestId('filter-location').first();
    await chip.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await chip.textContent()).toContain(location);
    // The chart now counts that location's movements only.
    await expect
      .poll(async () => Number((await page.getByTestId('lag-summary-amazon').locator('td').first().textContent())!.replace(/\D/g, '')), { timeout: UI_TIMEOUT_MS })
      .toBeLessThan(allMovements);
    expect(await cell.getAttribute('aria-pressed')).toBe('true');
    // Stale stock follows the filter too: that location's SKU-locations only, and it says so.
    const staleLocations = () => page.getByTestId('stale-stock').getByTestId('stale-row').evaluateAll((rows) => [...new Set(rows.map((r) => r.children[1]?.textContent))]);
    await expect.poll(staleLocations, { timeout: UI_TIMEOUT_MS }).toEqual([location]);
    expect(await page.locator('section[data-kind="staleStock"] .panel-summary').textContent()).toContain(`SKU-locations at ${location} whose`);
    await page.getByTestId('lag-none-arrived-amazon').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByTestId('lag-summary-amazon').locator('td').allTextContents()).toEqual(['6', '6', '–', '–', '–', '–']);
  });

  it('lists the movements behind a minute, from the keyboard too, each with its lineage', async () => {
    const minute = page.getByTestId('lag-chart-amazon').getByTestId('slow-minute').first();
    await minute.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => param('minute')).toMatch(/^\d+$/);
    expect(param('target')).toBe('amazon');
    const movements = page.getByTestId('movements');
    await movements.getByTestId('movement-row').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await movements.getByTestId('movements-summary').textContent()).toMatch(/movements?, /);
    // Every movement of that minute at store-999, still waiting for Amazon, with its age so far.
    const rows = await movements.getByTestId('movement-row').all();
    for (const r of rows) {
      const [location, , , reached, lag] = await r.locator('td').allTextContents();
      expect([location, reached]).toEqual(['store-999', 'waiting']);
      expect(lag).toMatch(/^\d+ min( \d+ s)? so far$/);
    }
    const lineage = movements.getByRole('link', { name: /^Lineage of / }).first();
    const key = (await lineage.textContent())!;
    expect(await lineage.getAttribute('href')).toBe(`?${new URLSearchParams({ view: 'lineage', key })}`);

    // A click on a point of another target's chart picks that minute there: the ERP chart at the marked minute.
    await page.getByTestId('lag-chart-erp').scrollIntoViewIfNeeded();
    const marked = await page.getByTestId('lag-chart-amazon').locator('.recharts-reference-line').boundingBox();
    const amazonChart = await page.getByTestId('lag-chart-amazon').locator('svg.recharts-surface').boundingBox();
    const erpChart = await page.getByTestId('lag-chart-erp').locator('svg.recharts-surface').boundingBox();
    const minuteBefore = param('minute');
    const point = { x: erpChart!.x + (marked!.x + marked!.width / 2 - amazonChart!.x), y: erpChart!.y + erpChart!.height / 2 };
    // As a hand does: over the point first (the chart follows the pointer each animation frame), then a click.
    await page.mouse.move(point.x, point.y, { steps: 4 });
    await page.waitForTimeout(100);
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => param('target')).toBe('erp');
    expect(param('minute')).toBe(minuteBefore);
    await expect.poll(() => movements.getByTestId('movement-row').first().locator('td').nth(3).textContent(), { timeout: UI_TIMEOUT_MS }).not.toBe('waiting');
    await page.getByTestId('lag-chart-amazon').getByTestId('slow-minute').first().click();
    await expect.poll(() => param('target')).toBe('amazon');
    await movements.getByText('waiting', { exact: true }).first().waitFor({ timeout: UI_TIMEOUT_MS });

    await page.screenshot({ path: `${SCREENSHOTS}inventory.png`, fullPage: true });
    const dark = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1440, height: 1000 }, colorScheme: 'dark', locale: 'en-GB' });
    await dark.goto(page.url());
    await dark.getByTestId('movement-row').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await dark.getByTestId('heatmap').waitFor({ timeout: UI_TIMEOUT_MS });
    await dark.getByTestId('lag-chart-erp').locator('svg.recharts-surface').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await dark.screenshot({ path: `${SCREENSHOTS}inventory-dark.png`, fullPage: true });
    await dark.close();

    await lineage.click();
    await expect.poll(() => param('view')).toBe('lineage');
    expect(param('key')).toBe(key);
    expect(param('location')).toBeNull();
  });

  it('takes a filter off with its chip, and the slowest SKUs link narrows the screen', async () => {
    await page.goBack();
    await page.getByTestId('filter-location').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByTestId('filter-location').first().click();
    await expect.poll(() => param('location')).toBeNull();
    const sku = page.getByTestId('worst-sku').getByTestId('worst-row').first().getByRole('button');
    const name = (await sku.textContent())!;
    await sku.click();
    await expect.poll(() => param('sku')).toBe(name);
    await page.getByTestId('filter-sku').first().waitFor({ timeout: UI_TIMEOUT_MS });
    // Stale stock narrows to that SKU (unfiltered it listed three SKUs at store-999), and says so.
    const summary = page.locator('section[data-kind="staleStock"] .panel-summary');
    await expect.poll(() => summary.textContent(), { timeout: UI_TIMEOUT_MS }).toContain(`SKU-locations of ${name} whose`);
    const staleSkus = () => page.locator('section[data-kind="staleStock"]').getByTestId('stale-row').evaluateAll((rows) => [...new Set(rows.map((r) => r.children[0]?.textContent))]);
    await expect.poll(staleSkus, { timeout: UI_TIMEOUT_MS }).toEqual(name.startsWith('SKU-E2E-') ? [name] : []);
  });

  it('shows the stale SKU-locations and their oversell risk on the wall too', async () => {
    await page.goto(`${server.baseUrl}/?wall=1`);
    const row = page.getByTestId('stale-row').first();
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.locator('td').first().textContent()).toBe('store-999');
    expect(await row.locator('.stale-risk').textContent()).toMatch(/units?$/);
  });
});
