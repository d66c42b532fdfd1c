import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetail, AlertItem, AlertList, MuteList } from '../../server/contracts/alertApi.js';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import { replayRecentEstate, startEstateServer, type EstateServer } from '../support/simulatedEstate.js';

/**
 * The Alerts screen and the banner of issue 7, on what the simulator's `erp-outage` leaves behind: the shipped
 * rules (dashboards/alerts/) raise alerts as the SLA policies break, evaluated every second; the incident-log
 * webhook receiver is a real HTTP endpoint here. On-call sees the banner on any screen, follows it, acknowledges
 * the worst alert with a note, finds its breach on the SLA screen, mutes one and ends the mute — signed in as olga,
 * an operator, whom every action records. Real server, real embedded ClickHouse, the estate sending through every
 * receiver, real Chromium.
 */

const TIMEOUT_MS = 20_000;

let server: EstateServer;
let webhook: Server;
let browser: Browser;
let page: Page;

const api = async <T>(path: string) => (await (await server.api(path)).json()) as T;
const post = async <T>(path: string, body: unknown) => (await (await server.api(path, { method: 'POST', body })).json()) as T;
/** Firing, unacknowledged and not muted: what the banner counts. */
const needSomeone = async () => (await api<AlertList>('/api/v1/alerts?state=firing')).alerts.filter((a) => a.muted_by.length === 0);
const param = (name: string) => new URL(page.url()).searchParams.get(name);

beforeAll(async () => {
  // The incident log: takes every notification (202), as a webhook receiver would.
  webhook = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/incidents`;
  server = await startEstateServer({ env: { FLOWLENS_ALERT_EVAL_INTERVAL_MS: '1000', FLOWLENS_ALERT_WEBHOOK_URL: hook } });
  await replayRecentEstate(server, { scenarios: ['erp-outage'], seed: '7', rate: 16, durationMs: 120_000 });
  // The rules hold for a minute or two (`for`) before they fire: wait until two alerts do.
  const deadline = Date.now() + 180_000;
  while ((await needSomeone()).length < 2) {
    if (Date.now() > deadline) throw new Error('no two alerts fired within 3 minutes of the erp-outage run');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  browser = await launchBrowser();
  page = await signedInPage(browser, server.baseUrl, 'olga', { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => webhook?.close(resolve));
});

const banner = () => page.getByTestId('alert-banner');
const rows = () => page.getByTestId('alert-row');
let acknowledged: AlertItem;

describe('the alert banner and the Alerts screen during an ERP outage', () => {
  it('shows on any screen how many alerts are firing unacknowledged and the worst one, and leads to them', async () => {
    await page.goto(`${server.baseUrl}/?view=inventory`);
    await expect.poll(() => banner().getAttribute('data-tone'), { timeout: TIMEOUT_MS }).toBe('alarm');
    // It counts what the API says needs someone (more alerts may fire meanwhile: both are read again).
    await expect.poll(async () => Number(await banner().getAttribute('data-count')) === (await needSomeone()).length, { timeout: TIMEOUT_MS }).toBe(true);
    expect(await banner().locator('.alert-banner-headline').textContent()).toMatch(/^\d+ alerts firing, not acknowledged$/);
    expect(await banner().textContent()).toMatch(/Worst: (Critical|Warning|Info) .+, firing for \d/);

    await banner().getByRole('link', { name: 'See firing alerts' }).click();
    expect([param('view'), param('state')]).toEqual(['alerts', 'firing']);
    await rows().first().waitFor({ timeout: TIMEOUT_MS });
    await expect.poll(async () => (await rows().count()) === (await api<AlertList>('/api/v1/alerts?state=firing')).alerts.length, { timeout: TIMEOUT_MS }).toBe(true);
    expect(new Set(await rows().evaluateAll((items) => items.map((i) => i.getAttribute('data-state'))))).toEqual(new Set(['firing']));
    // The incident-log webhook heard each one fire.
    await expect.poll(() => rows().first().getByTestId('alert-receivers').textContent(), { timeout: TIMEOUT_MS }).toMatch(/incident-log trigger delivered/);
  });

  it('acknowledges the worst alert from its pane with a note: it leaves the Firing tab and the banner counts it no more', async () => {
    const first = rows().first();
    const id = (await first.getAttribute('data-id'))!;
    await first.locator('.alert-open-link').click();
    expect(param('alert')).toBe(id);
    const detail = page.getByTestId('alert-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(await detail.getByTestId('detail-state').textContent()).toBe('Firing');
    const before = await api<AlertDetail>(`/api/v1/alerts/${id}`);
    expect(await detail.getByTestId('alert-detail-summary').textContent()).toBe(before.alert.summary);

    await detail.getByLabel('Note').fill('ERP back; the connector is draining its backlog');
    await detail.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => detail.getByTestId('detail-state').textContent(), { timeout: TIMEOUT_MS }).toBe('Acknowledged');
    await expect.poll(() => detail.getByTestId('alert-feedback').textContent(), { timeout: TIMEOUT_MS }).toBe(`Acknowledged: ${before.alert.rule_name}`);
    acknowledged = (await api<AlertDetail>(`/api/v1/alerts/${id}`)).alert;
    expect(acknowledged.acknowledged).toMatchObject({ by: 'olga', note: 'ERP back; the connector is draining its backlog' });
    await expect.poll(() => detail.getByTestId('alert-transition').allTextContents(), { timeout: TIMEOUT_MS }).toContainEqual(expect.stringMatching(/^Acknowledged olga/));
    // The webhook is told of the acknowledgement too.
    await expect.poll(() => detail.getByTestId('alert-notifications').textContent(), { timeout: TIMEOUT_MS }).toMatch(/incident-log\s*acknowledge\s*delivered/);
    await expect.poll(() => rows().evaluateAll((items) => items.map((i) => i.getAttribute('data-id'))), { timeout: TIMEOUT_MS }).not.toContain(id);
    await expect.poll(async () => Number(await banner().getAttribute('data-count')) === (await needSomeone()).length, { timeout: TIMEOUT_MS }).toBe(true);

    await page.keyboard.press('Escape');
    expect(param('alert')).toBeNull();
    await page.getByTestId('alert-tab-open').click();
    await expect.poll(() => page.locator(`[data-testid="alert-row"][data-id="${id}"]`).getAttribute('data-state'), { timeout: TIMEOUT_MS }).toBe('acknowledged');
    // Every fired alert's last notification per receiver is in.
    await expect.poll(() => rows().evaluateAll((items) => items.some((i) => i.textContent?.includes('…'))), { timeout: TIMEOUT_MS }).toBe(false);
    await page.screenshot({ path: `${SCREENSHOTS}alerts.png` });
  });

  it('links the alert to its breach on the SLA screen', async () => {
    await page.locator(`[data-testid="alert-row"][data-id="${acknowledged.id}"] .alert-open-link`).click();
    await page.getByTestId('alert-sla-link').click();
    expect([param('view'), param('policy')]).toEqual(['slas', acknowledged.policy]);
    await page.getByText(acknowledged.policy_name).first().waitFor({ timeout: TIMEOUT_MS });
    await page.goBack();
    expect(param('view')).toBe('alerts');
  });

  it('mutes a firing alert from its pane, shows it muted, and ends the mute from the Mutes panel', async () => {
    await page.goto(`${server.baseUrl}/?view=alerts&state=firing`);
    const first = rows().first();
    await first.waitFor({ timeout: TIMEOUT_MS });
    const id = (await first.getAttribute('data-id'))!;
    await first.locator('.alert-open-link').click();
    const detail = page.getByTestId('alert-detail');
    await detail.getByTestId('mute-form').waitFor({ timeout: TIMEOUT_MS });
    await detail.getByRole('button', { name: 'Mute' }).click();
    expect(await detail.getByTestId('mute-feedback').textContent()).toMatch(/Say why in the reason/);
    await detail.getByLabel('Reason').fill('Planned ERP maintenance until the backlog drains');
    await detail.getByLabel('For', { exact: true }).selectOption('2h');
    await detail.getByRole('button', { name: 'Mute' }).click();
    await expect.poll(() => detail.getByTestId('mute-feedback').textContent(), { timeout: TIMEOUT_MS }).toMatch(/^Muted this alert only.* until \d\d:\d\d:\d\d$/);
    await expect.poll(() => detail.getByTestId('alert-muted-by').textContent(), { timeout: TIMEOUT_MS }).toMatch(/^Muted by olga until/);
    await page.keyboard.press('Escape');
    await page.getByTestId('alert-tab-muted').click();
    await expect.poll(() => rows().evaluateAll((items) => items.map((i) => i.getAttribute('data-id'))), { timeout: TIMEOUT_MS }).toEqual([id]);

    const mute = page.locator('[data-testid="mute"][data-status="active"]');
    expect(await mute.textContent()).toContain(`alert ${id}`);
    expect(await mute.textContent()).toContain('olga: Planned ERP maintenance until the backlog drains');
    await mute.getByRole('button', { name: 'End mute' }).click();
    await expect.poll(() => page.locator('[data-testid="mute"]').first().getAttribute('data-status'), { timeout: TIMEOUT_MS }).toBe('ended');
    const mutes = await api<MuteList>('/api/v1/alerts/mutes');
    expect(mutes.mutes.find((m) => m.matcher.alert_id === id)?.ended?.by).toBe('olga');
    await expect.poll(() => rows().count(), { timeout: TIMEOUT_MS }).toBe(0);
    expect(await page.getByTestId('alert-empty').textContent()).toContain('No alerts are muted');
  });

  it('goes quiet live, without moving the screen, once nothing firing needs someone', async () => {
    await page.goto(`${server.baseUrl}/?view=exceptions`);
    await expect.poll(() => banner().getAttribute('data-tone'), { timeout: TIMEOUT_MS }).toBe('alarm');
    const top = (await page.locator('#main').boundingBox())!.y;
    // An operator's automation mutes every severity (from the API, with its token): what fires later is held back too.
    for (const severity of ['critical', 'warning', 'info']) {
      await post('/api/v1/alerts/mutes', { matcher: { severity }, ends_at: Date.now() + 3_600_000, reason: 'drill' });
    }
    await expect.poll(() => banner().getAttribute('data-tone'), { timeout: TIMEOUT_MS }).toBe('quiet');
    expect(await banner().textContent()).toMatch(/^No unmuted alert firing · \d+ firing but muted · 1 acknowledged/);
    expect((await page.locator('#main').boundingBox())!.y).toBe(top);
  });

  it('reads in dark mode too', async () => {
    const dark = await signedInPage(browser, server.baseUrl, 'olga', { viewport: { width: 1440, height: 1000 }, colorScheme: 'dark', locale: 'en-GB' });
    await dark.goto(`${server.baseUrl}/?view=alerts&state=all&alert=${acknowledged.id}`);
    await dark.getByTestId('alert-detail').getByTestId('alert-transitions').waitFor({ timeout: TIMEOUT_MS });
    await dark.getByTestId('alert-notifications').waitFor({ timeout: TIMEOUT_MS });
    await dark.screenshot({ path: `${SCREENSHOTS}alerts-dark.png` });
    await dark.close();
  });
});
