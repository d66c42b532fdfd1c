import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenException } from '../../server/simulator/truth.js';
import { launchBrowser, signedInPage } from '../support/browser.js';
import { replayRecentEstate, startEstateServer, type EstateServer } from '../support/simulatedEstate.js';

/**
 * The exception journey of the dashboard issue, on what the simulator's `erp-outage` leaves behind: integration
 * support opens its inbox, finds an ERP posting that dead-lettered during the outage (one the simulator's truth
 * says is still open), sees its lineage, takes it, and resolves it once replayed by hand — signed in as olga, an
 * operator, whom the history records. Real server, real embedded ClickHouse, the estate sending through every
 * receiver, real Chromium.
 */

const TIMEOUT_MS = 15_000;

let server: EstateServer;
let browser: Browser;
let page: Page;
let open: OpenException[];

beforeAll(async () => {
  server = await startEstateServer();
  // Two minutes of the estate just before now; the ERP is down for the middle half, so postings retry, then
  // dead-letter.
  const result = await replayRecentEstate(server, { scenarios: ['erp-outage'], seed: '7', rate: 16, durationMs: 120_000, keepSteps: true });
  open = result.truth!.openExceptions.filter((e) => e.last_status === 'dead_lettered');
  if (open.length < 2) throw new Error(`the erp-outage run left ${open.length} dead-lettered postings open; the journey needs two`);
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'olga', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const rows = () => page.getByTestId('exception-row');

describe('the exception journey: integration support takes a dead-lettered ERP posting and resolves it', () => {
  it('finds every posting the outage dead-lettered in its inbox, from a link', async () => {
    await page.goto(`${server.baseUrl}/?view=exceptions&owner=integration-support&error=HTTP_503`);
    await rows().first().waitFor({ timeout: TIMEOUT_MS });
    const shown = await rows().evaluateAll((items) => items.map((i) => i.getAttribute('data-correlation')));
    // Exactly the postings the simulator's truth says are still open, oldest first, a page at a time.
    const truth = open.filter((o) => o.error_code === 'HTTP_503').sort((a, b) => a.since - b.since);
    expect(await page.getByTestId('inbox-summary').textContent()).toMatch(new RegExp(`^1–${Math.min(50, truth.length)} of ${truth.length} · oldest first`));
    expect(shown).toEqual(truth.slice(0, 50).map((o) => o.correlation_id));
  });

  it('opens one, sees the failed step in its lineage, takes it and resolves it with a note', async () => {
    const target = open.find((o) => o.error_code === 'HTTP_503') ?? open[0]!;
    const row = page.locator(`[data-testid="exception-row"][data-correlation="${target.correlation_id}"]`);
    await row.getByRole('link', { name: target.step }).click();
    const detail = page.getByTestId('exception-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(await detail.getByTestId('exception-facts').textContent()).toContain('Integration support');
    const lineage = detail.getByTestId('exception-lineage');
    await lineage.getByTestId('lineage-step').first().waitFor({ timeout: TIMEOUT_MS });
    expect(await lineage.getByTestId('lineage-step').filter({ hasText: target.step }).textContent()).toMatch(/^Dead-lettered/);

    await detail.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => row.getByTestId('exception-assignee').textContent(), { timeout: TIMEOUT_MS }).toBe('olga');
    await detail.getByLabel('Note').fill('Replayed from the middleware once the ERP was back; invoice posted.');
    await detail.getByRole('button', { name: 'Resolve with this note' }).click();
    await expect.poll(() => detail.getByTestId('detail-state').textContent(), { timeout: TIMEOUT_MS }).toBe('Resolved');
    await expect.poll(() => row.count(), { timeout: TIMEOUT_MS }).toBe(0);
    const history = await detail.getByTestId('history-entry').allTextContents();
    expect(history).toHaveLength(2);
    expect(history[0]).toMatch(/^olga assigned it to olga/);
    expect(history[1]).toMatch(/^olga resolved it.*Replayed from the middleware once the ERP was back; invoice posted\.$/);
  });
});
