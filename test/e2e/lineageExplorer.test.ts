import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MissingLedger } from '../../server/simulator/truth.js';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import { replayRecentEstate, startEstateServer, type EstateServer } from '../support/simulatedEstate.js';

/**
 * The lineage explorer as finance meets it (issue 6, screen 5, "finance journey"): a Flowlens fed by the
 * simulator's `refund-lost` scenario; search one lost refund by its refund id, see the credit memo and journal
 * missing with their age and the refund-ledger SLA they breach, open a step's spans, export the chain as CSV and
 * JSON evidence, paste the link, follow a linked key. Real server, real embedded ClickHouse, real Chromium.
 */

const TIMEOUT_MS = 15_000;
/** The refund-ledger policy's deadline (dashboards/slas/refund-ledger.yaml). */
const LEDGER_DEADLINE_MS = 120_000;

let server: EstateServer;
let browser: Browser;
let page: Page;
let lost: MissingLedger;

beforeAll(async () => {
  server = await startEstateServer({ env: { FLOWLENS_TRACE_URL: 'https://traces.example.test/trace/{trace_id}?span={span_id}' } });
  // Four minutes of the estate just before now; half the refunds are lost.
  const result = await replayRecentEstate(server, { scenarios: ['refund-lost'], seed: '42', rate: 16, durationMs: 240_000, keepSteps: true });
  // A refund the truth says never reaches the ledger, refunded long enough ago to be past the 2 min deadline.
  const candidate = result.truth!.refunds.missingLedger.find((r) => r.lost && Date.now() - r.refunded_at > LEDGER_DEADLINE_MS + 20_000);
  if (candidate === undefined) throw new Error('the refund-lost run lost no refund old enough to breach its SLA');
  lost = candidate;
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB', acceptDownloads: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The lost refund's missing journal in the list of missing steps (other refunds of its order may lack theirs too). */
const missingJournal = () => page.getByTestId('lineage-missing').and(page.locator(`[data-step="erp.journal.posted"][data-correlation="${lost.correlation_id}"]`));

describe('lineage explorer: the finance journey', () => {
  it('says what can be searched before any search', async () => {
    await page.goto(`${server.baseUrl}/?view=lineage`);
    await page.getByTestId('lineage-intro').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('lineage-intro').textContent()).toContain('RMA-000001');
    expect(await page.title()).toBe('Lineage · Flowlens');
  });

  it('finds a lost refund by its refund id: the journal missing, how long it has waited, the SLA it breaches', async () => {
    await page.getByLabel('Business key or correlation id').fill(lost.refund_id);
    await page.getByRole('button', { name: 'Trace' }).click();

    await missingJournal().waitFor({ timeout: TIMEOUT_MS });
    const journal = (await missingJournal().textContent()) ?? '';
    expect(journal).toContain(`erp.journal.posted from erp — none of 2 seen, waiting`);
    expect(await page.getByRole('region', { name: 'Missing steps' }).textContent()).toContain(`${lost.correlation_id} (the one you searched)`);
    // Waiting since the refund was created (its last move): minutes by now, in words.
    const age = (await missingJournal().getByTestId('lineage-missing-age').textContent()) ?? '';
    expect(age).toMatch(/^\d+ min( \d+ s)?$/);
    expect(Number(age.split(' ')[0]) * 60_000).toBeGreaterThanOrEqual(LEDGER_DEADLINE_MS);
    expect(await missingJournal().getByTestId('lineage-missing-sla').textContent()).toMatch(/^Breaches SLA “Refunds in the ledger within 2 min”: (\d+ min )?\d+ s overdue \(deadline .+\)$/);
    expect(await page.getByTestId('lineage-missing').and(page.locator(`[data-step="erp.credit_memo.posted"][data-correlation="${lost.correlation_id}"]`)).count()).toBe(1);
    expect(await page.getByTestId('lineage-verdict').textContent()).toMatch(/steps? missing past (its|their) SLA/);

    // The graph: the refund's steps in their systems' columns, the two ledger steps dashed after them.
    const refund = page.getByTestId('lineage-correlation').and(page.locator(`[data-correlation="${lost.correlation_id}"]`));
    expect(await refund.getByTestId('lineage-graph-step').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-step')))).toEqual(
      expect.arrayContaining(['oms.return.received', 'payment.refund.created']),
    );
    expect(await refund.getByTestId('lineage-graph-missing').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-step')))).toEqual([
      'erp.credit_memo.posted',
      'erp.journal.posted',
    ]);
    expect(await refund.getByTestId('lineage-graph-missing').last().getAttribute('aria-label')).toMatch(/Refunds in the ledger within 2 min: .+ overdue$/);
    // The timeline: the refund created at Stripe, then the ledger steps still expected.
    const steps = await page.getByTestId('lineage-event').and(page.locator(`[data-correlation="${lost.correlation_id}"]`)).evaluateAll((items) => items.map((i) => i.getAttribute('data-step')));
    expect(steps).toContain('payment.refund.created');
    expect(steps).not.toContain('erp.journal.posted');
    expect(await page.getByTestId('lineage-timeline-missing').and(page.locator(`[data-step="erp.journal.posted"][data-correlation="${lost.correlation_id}"]`)).count()).toBe(1);

    expect(new URL(page.url()).searchParams.get('key')).toBe(lost.refund_id);
    expect(await page.title()).toBe(`${lost.refund_id} · Lineage · Flowlens`);
  });

  it('narrows the search to the refund alone: its graph and timeline on one screen', async () => {
    await page.getByLabel('Follow linked keys').selectOption({ label: 'the key alone' });
    await expect.poll(() => page.getByTestId('lineage-correlation').count(), { timeout: TIMEOUT_MS }).toBe(1);
    expect(new URL(page.url()).searchParams.get('depth')).toBe('0');
    await missingJournal().waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('lineage-headline').textContent()).toMatch(/^1 correlation · \d+ events · over /);
    await page.screenshot({ path: `${SCREENSHOTS}lineage.png`, fullPage: true });
  });

  it('opens a step to its events and the spans that reported them', async () => {
    const refund = page.getByTestId('lineage-correlation').and(page.locator(`[data-correlation="${lost.correlation_id}"]`));
    // Keyboard first: every step of the graph is a link.
    await refund.getByTestId('lineage-graph-step').and(page.locator('[data-step="oms.return.received"]')).focus();
    await page.keyboard.press('Enter');

    const detail = refund.getByTestId('lineage-step-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(await detail.textContent()).toContain('oms.return.received by oms');
    // The OMS reports over OpenTelemetry: its event names the trace, ready to copy, linked to the trace viewer.
    expect(await detail.getByTestId('lineage-trace-id').first().textContent()).toMatch(/^[0-9a-f]{32} Copy trace id$/);
    expect(await detail.getByTestId('lineage-trace-link').first().getAttribute('href')).toMatch(/^https:\/\/traces\.example\.test\/trace\/[0-9a-f]{32}\?span=[0-9a-f]{16}$/);
    expect(new URL(page.url()).searchParams.get('step')).toBe('oms.return.received');
    await detail.getByRole('button', { name: 'Close' }).click();
    await detail.waitFor({ state: 'detached', timeout: TIMEOUT_MS });
  });

  it('exports the chain as CSV and JSON evidence, as files named after the key', async () => {
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lineage-export-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(new RegExp(`^lineage-${lost.refund_id}-\\d{8}T\\d{6}Z\\.csv$`));
    const rows = (await readFile((await csv.path())!, 'utf8')).split('\r\n');
    expect(rows[0]).toMatch(/^event_id,correlation_id,flow,step,/);
    expect(rows.some((r) => r.includes(lost.correlation_id) && r.includes('payment.refund.created'))).toBe(true);
    expect(rows.some((r) => r.includes(lost.correlation_id) && r.includes('erp.journal.posted'))).toBe(false);

    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lineage-export-json').click()]);
    expect(json.suggestedFilename()).toMatch(/\.json$/);
    const evidence = JSON.parse(await readFile((await json.path())!, 'utf8')) as { key: string; events: { step: string; correlation_id: string }[]; missing: { step: string; correlation_id: string }[]; events_sha256: string };
    expect(evidence.key).toBe(lost.refund_id);
    expect(evidence.events.filter((e) => e.correlation_id === lost.correlation_id).map((e) => e.step)).toContain('payment.refund.created');
    expect(evidence.missing.filter((m) => m.correlation_id === lost.correlation_id).map((m) => m.step)).toEqual(['erp.credit_memo.posted', 'erp.journal.posted']);
    expect(evidence.events_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('brings the same chain back from a pasted link, and in dark mode', async () => {
    const link = page.url();
    await page.goto(link);
    await missingJournal().waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByLabel('Business key or correlation id').inputValue()).toBe(lost.refund_id);

    const dark = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1440, height: 1000 }, colorScheme: 'dark', locale: 'en-GB' });
    await dark.goto(link);
    await dark.getByTestId('lineage-missing').and(dark.locator(`[data-correlation="${lost.correlation_id}"]`)).first().waitFor({ timeout: TIMEOUT_MS });
    await dark.screenshot({ path: `${SCREENSHOTS}lineage-dark.png` });
    await dark.close();
  });

  it('follows a linked key: the order the refund belongs to', async () => {
    const order = page.getByTestId('lineage-key-chip').filter({ hasText: /^order_id / }).first();
    const orderId = ((await order.textContent()) ?? '').replace(/^order_id /, '');
    await order.click();

    await expect.poll(() => page.getByTestId('lineage-title').textContent(), { timeout: TIMEOUT_MS }).toContain(orderId);
    expect(new URL(page.url()).searchParams.get('key')).toBe(orderId);
    expect(await page.title()).toBe(`${orderId} · Lineage · Flowlens`);
    await page.goBack();
    await missingJournal().waitFor({ timeout: TIMEOUT_MS });
  });

  it('finds the latest movements of a SKU at a location, typed with spaces around the @', async () => {
    // A SKU at a store that sold during the run, as the inventory screen's drill-down lists it.
    const now = Date.now();
    const answer = (await (await server.api(`/api/v1/inventory/movements?from=${now - 240_000}&to=${now - 60_000}&target=erp&limit=1`, {}, 'viewer')).json()) as {
      movements: { sku: string; location_id: string }[];
    };
    const { sku, location_id: location } = answer.movements[0]!;
    const input = page.getByLabel('Business key or correlation id');
    await input.fill(`${sku} @ ${location}`);
    await input.press('Enter');

    await expect.poll(() => page.getByTestId('lineage-title').textContent(), { timeout: TIMEOUT_MS }).toContain(`${sku}@${location}`);
    expect(new URL(page.url()).searchParams.get('key')).toBe(`${sku}@${location}`);
    const lineage = (await (await server.api(`/api/v1/lineage?key=${encodeURIComponent(`${sku}@${location}`)}&depth=0`, {}, 'viewer')).json()) as {
      correlations: { flows: string[] }[];
      events: { sku: string | null; location_id: string | null }[];
    };
    expect(lineage.correlations.length).toBeGreaterThan(0);
    expect(lineage.events.every((e) => e.sku === sku && e.location_id === location)).toBe(true);
    // Each movement on screen: the till (or goods receipt), the ERP posting, every channel.
    const steps = await page.getByTestId('lineage-event').evaluateAll((items) => items.map((item) => item.getAttribute('data-step')));
    expect(steps).toContain('erp.inventory.posted');
    expect(steps).toContain('channel.published');
    await page.screenshot({ path: `${SCREENSHOTS}lineage-stock.png` });
  });

  it('says what to try when a key finds nothing, and where a SKU at a location is', async () => {
    const input = page.getByLabel('Business key or correlation id');
    await input.fill('re_NOT_A_REFUND');
    await input.press('Enter');
    const notFound = page.getByTestId('lineage-not-found');
    await notFound.waitFor({ timeout: TIMEOUT_MS });
    expect(await notFound.textContent()).toContain('No transaction carries re_NOT_A_REFUND in anything Flowlens has stored');
    expect(await page.getByTestId('lineage-missing').count()).toBe(0);

    await input.fill('TR-42-BLK@store-001');
    await input.press('Enter');
    await expect.poll(() => notFound.textContent(), { timeout: TIMEOUT_MS }).toContain('No stock movement of TR-42-BLK at store-001 has arrived');
    await notFound.getByRole('link', { name: 'Open TR-42-BLK at store-001 on Inventory' }).waitFor({ timeout: TIMEOUT_MS });
    expect(await notFound.getByRole('link', { name: 'Open TR-42-BLK at store-001 on Inventory' }).getAttribute('href')).toBe('?view=inventory&sku=TR-42-BLK&location=store-001');
  });
});
