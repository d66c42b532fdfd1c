import { createServer } from 'node:net';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRun, ReplayJobList } from '../../server/contracts/replayApi.js';
import { startErpServer, type ErpServer } from '../../server/simulator/erp/erpServer.js';
import type { OpenException } from '../../server/simulator/truth.js';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import { replayRecentEstate, startEstateServer, type EstateServer } from '../support/simulatedEstate.js';
import type { ApiInit } from '../support/testServer.js';

/**
 * The replay journey of issue 7, on what the simulator's `erp-outage` leaves behind: integration support opens a
 * dead-lettered ERP posting from the exceptions inbox and follows its Replay link; then selects every posting the
 * outage dead-lettered, dry-runs them (nothing reaches the ERP), runs them as olga, has a second operator — omar,
 * signed in in his own browser — approve the job (four eyes: invoices and credit memos are finance flows), watches
 * it finish, and finds the exceptions closed. Real server, real embedded ClickHouse, the simulated ERP as the `erp`
 * replay target, real Chromium.
 */

const TIMEOUT_MS = 20_000;

let server: EstateServer;
let erp: ErpServer;
let browser: Browser;
let page: Page;
let open: OpenException[];

/** A port free on 127.0.0.1 now, for the ERP: Flowlens is configured with it before the estate starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

beforeAll(async () => {
  const erpPort = await freePort();
  const erpUrl = `http://127.0.0.1:${erpPort}/erp/v1`;
  // The simulated ERP as the `erp` replay target, as `npm start` configures it (server/simulator/demoEstate.ts).
  const targets = { erp: { url: `${erpUrl}/postings`, lookupUrl: `${erpUrl}/postings/{idempotency_key}`, ratePerSecond: 20 } };
  server = await startEstateServer({ env: { FLOWLENS_REPLAY_TARGETS: JSON.stringify(targets) } });
  // Two minutes of the estate just before now; the ERP is down for the middle half, so postings retry, then
  // dead-letter.
  const result = await replayRecentEstate(server, { scenarios: ['erp-outage'], seed: '7', rate: 16, durationMs: 120_000, keepSteps: true, erpPort });
  open = result.truth!.openExceptions.filter((e) => e.last_status === 'dead_lettered' && e.error_code === 'HTTP_503');
  if (open.length < 2) throw new Error(`the erp-outage run left ${open.length} dead-lettered postings open; the journey needs two`);
  // The run's ERP closed with it; the same ERP API comes back on its port (its outage long over) to take the replays.
  erp = await startErpServer({ tracer: new BasicTracerProvider().getTracer('replay-journey-erp'), port: erpPort });
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'olga', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await erp?.close();
  await server?.close();
});

const api = async <T>(path: string, init?: ApiInit) => (await (await server.api(path, init)).json()) as T;
const param = (name: string) => new URL(page.url()).searchParams.get(name);

describe('the replay journey: the postings an ERP outage dead-lettered are replayed once it is back', () => {
  it('opens a dead-lettered posting from the exceptions inbox and follows its Replay link to a dry run of it', async () => {
    const target = open[0]!;
    await page.goto(`${server.baseUrl}/?view=exceptions&error=HTTP_503`);
    const row = page.locator(`[data-testid="exception-row"][data-correlation="${target.correlation_id}"]`);
    await row.getByRole('link', { name: target.step }).click({ timeout: TIMEOUT_MS });
    const detail = page.getByTestId('exception-detail');
    const id = await row.getAttribute('data-id');
    await detail.getByTestId('exception-replay-link').click({ timeout: TIMEOUT_MS });

    expect(param('view')).toBe('replay');
    expect(param('exception')).toBe(id);
    const dryRun = page.getByTestId('dry-run');
    await dryRun.waitFor({ timeout: TIMEOUT_MS });
    expect(await dryRun.getAttribute('data-total')).toBe('1');
    expect(await dryRun.getAttribute('data-send')).toBe('1');
    const item = dryRun.getByTestId('dry-run-item');
    expect(await item.textContent()).toContain(target.correlation_id);
    await item.locator('summary').click();
    const request = item.getByTestId('dry-run-request');
    expect(await request.textContent()).toContain(`POST http://127.0.0.1:`);
    expect(await request.textContent()).toContain('Idempotency-Key');
    expect(erp.applied()).toBe(0);
  });

  it('selects every posting the outage dead-lettered and dry-runs them: each would be sent, nothing is', async () => {
    await page.getByLabel('Every failed event matching a filter').check();
    await page.getByLabel('System').fill('erp');
    await page.getByLabel('Error code').fill('HTTP_503');
    await page.getByRole('button', { name: 'Dry run', exact: true }).click();

    expect([param('select'), param('system'), param('error'), param('exception')]).toEqual(['filter', 'erp', 'HTTP_503', null]);
    const dryRun = page.getByTestId('dry-run');
    await expect.poll(() => dryRun.getAttribute('data-send'), { timeout: TIMEOUT_MS }).toBe(String(open.length));
    const answer = await api<DryRun>('/api/v1/replays/dry-run', {
      method: 'POST',
      body: { selection: { kind: 'filter', from: Date.now() - 900_000, to: Date.now(), system: 'erp', error_code: 'HTTP_503' } },
    });
    expect(answer.send).toBe(open.length);
    expect(await page.getByTestId('dry-run-headline').textContent()).toMatch(new RegExp(`^Would send ${open.length} of \\d+ events.*Nothing has been sent\\.$`));
    expect(await page.getByTestId('dry-run-approval').textContent()).toContain('four eyes for');
    const sent = await page.getByTestId('dry-run-item').evaluateAll((items) => items.filter((i) => i.getAttribute('data-action') === 'send').length);
    expect(sent).toBe(Math.min(50, open.length));
    // The dry run asked the ERP's lookup at most; it posted nothing.
    expect(erp.applied()).toBe(0);
    await dryRun.locator('[data-testid="dry-run-item"][data-action="send"] summary').first().click();
    await page.screenshot({ path: `${SCREENSHOTS}replay.png` });
  });

  it('runs them: the job waits for a second operator, who approves it in their own browser, and it sends each posting once', async () => {
    await page.getByLabel('Reason').fill('The ERP is back after the outage');
    await page.getByRole('button', { name: `Run: send ${open.length} events` }).click();
    await expect.poll(() => page.getByTestId('run-feedback').textContent(), { timeout: TIMEOUT_MS }).toMatch(/awaits a second operator's approval/);
    const jobId = param('job')!;
    expect(jobId).toMatch(/^rpl-[0-9a-f]{20}$/);
    const detail = page.getByTestId('replay-job-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(await detail.getByTestId('job-detail-state').textContent()).toBe('Awaiting approval');
    // olga asked for it: she cannot approve it herself.
    expect(await detail.getByTestId('job-approve').isDisabled()).toBe(true);
    expect(await detail.textContent()).toContain('You asked for this replay; a second operator must approve it');
    expect(erp.applied()).toBe(0);

    // omar, the second operator, opens the job from its link in his own browser and approves it; olga watches.
    const omar = await signedInPage(browser, server.baseUrl, 'omar', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
    await omar.goto(`${server.baseUrl}/?view=replay&job=${jobId}`);
    const approve = omar.getByTestId('replay-job-detail').getByTestId('job-approve');
    await approve.waitFor({ timeout: TIMEOUT_MS });
    expect(await approve.isDisabled()).toBe(false);
    expect(await approve.getAttribute('title')).toContain('Asked for by olga; approving it as a second operator sends it');
    await approve.click();
    // Live progress: the counts move while it runs (pushed by the server), without a reload.
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          seen.add((await detail.getByTestId('job-progress-text').textContent()) ?? '');
          return detail.getByTestId('job-detail-state').textContent();
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe('Done');
    const partial = [...seen].map((t) => Number(/^(\d+) of /.exec(t)?.[1] ?? -1)).filter((done) => done > 0 && done < open.length);
    expect(partial.length).toBeGreaterThan(0);
    expect(await detail.getByTestId('job-progress-text').textContent()).toBe(`${open.length} of ${open.length} done · ${open.length} applied`);
    const card = page.locator(`[data-testid="replay-job"][data-id="${jobId}"]`);
    expect(await card.getByTestId('job-state').textContent()).toBe('Done');
    // Its items are read again once it ended: each with what the ERP answered, and written back to lineage.
    await expect.poll(async () => new Set(await detail.getByTestId('job-item-state').allTextContents()), { timeout: TIMEOUT_MS }).toEqual(new Set(['applied']));
    expect(await detail.getByTestId('job-item').count()).toBe(Math.min(100, open.length));
    expect(erp.applied()).toBe(open.length);
    const jobs = await api<ReplayJobList>('/api/v1/replays');
    expect(jobs.jobs[0]).toMatchObject({ id: jobId, state: 'done', requested_by: 'olga', approved_by: 'omar' });
    const history = await detail.getByTestId('job-history').textContent();
    expect(history).toContain('olga asked for it; it awaits approval');
    expect(history).toContain('omar approved it');
    await omar.close();
  });

  it('closes their exceptions: the inbox no longer lists them open, and lists them as recovered', async () => {
    await page.goto(`${server.baseUrl}/?view=exceptions&error=HTTP_503&state=recovered`);
    const rows = page.getByTestId('exception-row');
    const wanted = open.map((o) => o.correlation_id).sort();
    await expect
      .poll(async () => (await rows.evaluateAll((items) => items.map((i) => i.getAttribute('data-correlation')))).filter((c) => wanted.includes(c!)).length, { timeout: 30_000 })
      .toBe(Math.min(50, wanted.length));
    await page.goto(`${server.baseUrl}/?view=exceptions&error=HTTP_503`);
    await page.getByTestId('inbox-summary').waitFor({ timeout: TIMEOUT_MS });
    await expect.poll(async () => (await rows.evaluateAll((items) => items.map((i) => i.getAttribute('data-correlation')))).filter((c) => wanted.includes(c!))).toEqual([]);
  });

  it('shows the job as a link, in dark mode too; a second dry run of the same selection would send nothing again', async () => {
    const dark = await signedInPage(browser, server.baseUrl, 'olga', { viewport: { width: 1440, height: 1000 }, colorScheme: 'dark', locale: 'en-GB' });
    const jobs = await api<ReplayJobList>('/api/v1/replays');
    await dark.goto(`${server.baseUrl}/?view=replay&range=15m&job=${jobs.jobs[0]!.id}`);
    const detail = dark.getByTestId('replay-job-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(await detail.getByTestId('job-detail-state').textContent()).toBe('Done');
    await dark.screenshot({ path: `${SCREENSHOTS}replay-dark.png` });

    await dark.goto(`${server.baseUrl}/?view=replay&select=filter&system=erp&error=HTTP_503&range=15m`);
    const dryRun = dark.getByTestId('dry-run');
    await dryRun.waitFor({ timeout: TIMEOUT_MS });
    expect(await dryRun.getAttribute('data-send')).toBe('0');
    expect(await dark.getByTestId('dry-run-skips').textContent()).toContain(`${open.length} already replayed`);
    expect(await dark.getByRole('button', { name: 'Nothing to send' }).isDisabled()).toBe(true);
    await dark.close();
  });
});
