import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEstateSimulation, type EstateRun } from '../../server/simulator/estateSimulation.js';
import type { Incident } from '../../server/simulator/scenarios.js';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * The ops journey of the dashboard issue: on the peak-period wall, Amazon's lag rises while Amazon throttles the
 * listing updates (the simulator's `marketplace-throttle`), live, without a reload, while Shopify stays current.
 * Real server, real embedded ClickHouse, the simulated estate sending through every receiver, real Chromium.
 */

const SHOPIFY_SECRET = 'shpss_ops-journey-secret-0123456789';
const STRIPE_SECRET = 'whsec_ops-journey-secret-0123456789';
const TIMEOUT_MS = 20_000;
/** A few of the stores' 15 s sales batches. */
const GROWTH_TIMEOUT_MS = 60_000;

let server: TestServer;
let estate: EstateRun;
let browser: Browser;
let page: Page;
let throttle: Incident;

beforeAll(async () => {
  server = await startTestServer({ env: { FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET, FLOWLENS_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET } });
  const now = Math.floor(Date.now() / 1000) * 1000;
  // Trading live after replaying the last minute. Amazon starts throttling (one listing update a second) once
  // the test has seen it keep up: the planner asks for each second's incidents as that second comes.
  throttle = { kind: 'marketplace-throttle', channel: 'amazon', acceptPerSecond: 1, from: Number.POSITIVE_INFINITY, to: now + 300_000 };
  estate = await startEstateSimulation({
    scenario: 'marketplace-throttle',
    seed: 'ops-journey',
    rate: 30,
    start: now - 60_000,
    durationMs: 300_000,
    pace: 'live',
    daily: false,
    incidentsAt: (t) => (t >= throttle.from && t < throttle.to ? [throttle] : []),
    target: server.baseUrl,
    otlp: server.otlpUrl,
    token: server.ingestToken,
    shopifySecret: SHOPIFY_SECRET,
    stripeSecret: STRIPE_SECRET,
  });
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1600, height: 1000 }, colorScheme: 'dark', locale: 'en-GB' });
});

afterAll(async () => {
  await browser?.close();
  await estate?.close();
  await server?.close();
});

/** "8 min 3 s" → ms; the tiles show at most two units. */
function durationMs(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0;
  for (const [, value, unit] of text.matchAll(/([\d.]+) (ms|s|min|h|d)\b/g)) total += Number(value) * units[unit!]!;
  return total;
}

async function amazonOldestWaitingMs(): Promise<number> {
  const detail = (await page.getByTestId('lag-amazon').locator('.tile-detail').textContent()) ?? '';
  const oldest = /oldest (.+)$/.exec(detail);
  return oldest ? durationMs(oldest[1]!) : 0;
}

describe('ops on the peak-period wall during an Amazon throttle', () => {
  it('sees Amazon fall behind and keep falling behind, live, while Shopify stays current', async () => {
    await page.goto(`${server.baseUrl}/?wall=1`);
    const amazon = page.getByTestId('lag-amazon');
    await amazon.waitFor({ timeout: TIMEOUT_MS });
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });

    // Before the throttle (once the last minute's history is in) Amazon keeps up like every channel.
    await expect.poll(amazonOldestWaitingMs, { timeout: 30_000, interval: 500 }).toBeLessThan(10_000);
    expect(await amazon.getAttribute('class')).toContain('tone-ok');
    throttle.from = Date.now() + 3_000;

    // Then updates queue at Amazon: the oldest one waiting gets older on every refresh, in place.
    await expect.poll(amazonOldestWaitingMs, { timeout: 45_000, interval: 1_000 }).toBeGreaterThan(20_000);
    const first = await amazonOldestWaitingMs();
    const pendingOf = async () => Number(/^([\d,]+) waiting/.exec((await amazon.locator('.tile-detail').textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);
    const firstPending = await pendingOf();
    // Listing updates arrive in bursts (stores send their sales every 15 s) and Amazon takes one a second, so the
    // queue grows in steps: give it a few bursts.
    await expect.poll(amazonOldestWaitingMs, { timeout: GROWTH_TIMEOUT_MS, interval: 1_000 }).toBeGreaterThanOrEqual(first + 5_000);
    await expect.poll(pendingOf, { timeout: GROWTH_TIMEOUT_MS, interval: 1_000 }).toBeGreaterThan(firstPending);
    expect(navigations).toBe(0);

    // Shopify is not throttled: its listings keep up.
    const shopify = page.getByTestId('lag-shopify');
    expect(await shopify.getAttribute('class')).toContain('tone-ok');
    expect(durationMs((await shopify.locator('.tile-figure').textContent()) ?? '')).toBeLessThan(60_000);

    await page.screenshot({ path: `${SCREENSHOTS}ops-journey-wall.png`, fullPage: true });
  }, 240_000);
});
