import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayJob } from '../../server/contracts/replayApi.js';
import { TEST_PASSWORD, testUsersEnv } from '../support/access.js';
import { SCREENSHOTS, launchBrowser, signedInPage } from '../support/browser.js';
import { deadLetteredPosting } from '../support/replayTarget.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Signing in, as people meet it (issue 7): the sign-in form in front of every screen, its errors, a deep link
 * (an alert notification's link to an SLA breach) that survives signing in, who is signed in and signing out,
 * a sign-in that ends under way (the account removed from the users file, the cookie gone), and what a viewer may
 * not do. Real server with access control on (the users of test/support/access.ts, in a users file), real
 * embedded ClickHouse, real Chromium.
 */

const TIMEOUT_MS = 10_000;
const run = Date.now().toString(36);
/** The link a notification of an SLA alert carries (server/domain/alertNotifications.ts). */
const DEEP_LINK = '/?view=slas&policy=refund-ledger&range=1h&outcome=open_breached';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let job: ReplayJob;
let usersDir: string;
let usersFile: string;
let everyone: unknown[];
const posting = deadLetteredPosting(`otc-${run}`, Date.now() - 120_000, 'order_to_cash', 'erp.invoice.posted');

beforeAll(async () => {
  // A replay target (never reached: the job waits for approval), so an operator can ask for a job a viewer then sees.
  const targets = { erp: { url: 'http://127.0.0.1:9/erp/v1/postings' } };
  // The people in a users file, read again when it changes: removing someone ends their sign-in.
  usersDir = mkdtempSync(path.join(tmpdir(), 'flowlens-users-'));
  usersFile = path.join(usersDir, 'users.json');
  everyone = JSON.parse(await testUsersEnv()) as unknown[];
  writeFileSync(usersFile, JSON.stringify({ users: everyone }));
  server = await startTestServer({ env: { FLOWLENS_REPLAY_TARGETS: JSON.stringify(targets), FLOWLENS_USERS: '', FLOWLENS_USERS_FILE: usersFile } });
  const response = await postEvents(server, [posting]);
  expect(response.status, await response.clone().text()).toBe(200);
  await server.flush();
  const created = await server.api('/api/v1/replays', { method: 'POST', body: { selection: { kind: 'event', event_id: posting.event_id }, reason: 'ERP is back' } });
  expect(created.status, await created.clone().text()).toBe(202);
  job = (await created.json()) as ReplayJob;
  expect(job.state).toBe('awaiting_approval');
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', locale: 'en-GB' });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (usersDir !== undefined) rmSync(usersDir, { recursive: true, force: true });
});

const form = () => page.getByTestId('sign-in');
const param = (name: string) => new URL(page.url()).searchParams.get(name);

async function signInWithForm(name: string, password: string): Promise<void> {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('signing in', () => {
  it('shows the sign-in form in front of a deep link, and says when the name or password is wrong', async () => {
    await page.goto(`${server.baseUrl}${DEEP_LINK}`);
    await form().waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByLabel('Name').getAttribute('autocomplete')).toBe('username');
    expect(await page.getByLabel('Password').getAttribute('autocomplete')).toBe('current-password');
    expect(await page.locator('.app-header').count()).toBe(0);
    await page.screenshot({ path: `${SCREENSHOTS}sign-in.png` });

    await signInWithForm('olga', 'not her password');
    await expect.poll(() => page.getByTestId('sign-in-error').textContent(), { timeout: TIMEOUT_MS }).toBe('Wrong name or password. Check both (the password is case-sensitive) and try again.');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await form().count()).toBe(1);
  });

  it('lands on the deep-linked screen once signed in, and says who is signed in', async () => {
    await signInWithForm('olga', TEST_PASSWORD);
    await page.getByTestId('sla-drill-title').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('sla-drill-title').textContent()).toContain('Refunds in the ledger within 2 min');
    expect([param('view'), param('policy'), param('range'), param('outcome')]).toEqual(['slas', 'refund-ledger', '1h', 'open_breached']);
    expect(await page.getByTestId('session-user').textContent()).toBe('olga · operator');
    await page.getByTestId('live-indicator').and(page.locator('[data-status="live"]')).waitFor({ timeout: TIMEOUT_MS });
    // An operator is not offered the admins' audit screen.
    expect(await page.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).not.toContain('Audit');
  });

  it('signs out: the sign-in form comes back and the API answers 401', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await form().waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('session-ended').count()).toBe(0);
    expect((await context.request.get(`${server.baseUrl}/api/v1/session`)).status()).toBe(401);
    expect((await context.request.get(`${server.baseUrl}/api/v1/overview`)).status()).toBe(401);
  });

  it('brings the sign-in page back, saying why, when the account is removed under way; signing in again returns to the same screen', async () => {
    await signInWithForm('olga', TEST_PASSWORD);
    await page.getByTestId('session-user').waitFor({ timeout: TIMEOUT_MS });
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Exceptions' }).click();
    await page.getByTestId('exception-inbox').waitFor({ timeout: TIMEOUT_MS });
    // An admin takes olga out of the users file: her next request is refused, whatever screen makes it (here the
    // SLA screen, whose code is loaded already: a file fetched first would be answered, and the cookie dropped).
    writeFileSync(usersFile, JSON.stringify({ users: everyone.filter((u) => (u as { name: string }).name !== 'olga') }));
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'SLAs' }).click();
    await page.getByTestId('session-ended').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('session-ended').textContent()).toBe(
      'Your session has ended — sign in again.Your session has ended (your account was removed or its role changed): sign in again.',
    );
    expect(param('view')).toBe('slas');
    expect(await page.locator('.app-header').count()).toBe(0);

    // Back in the file, she signs in again and is where she was.
    writeFileSync(usersFile, JSON.stringify({ users: everyone }));
    await signInWithForm('olga', TEST_PASSWORD);
    await page.getByRole('heading', { level: 1, name: 'SLAs' }).waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('session-user').textContent()).toBe('olga · operator');
  });

  it('brings the sign-in page back when the cookie is gone altogether (signed out in another tab)', async () => {
    await context.clearCookies();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Exceptions' }).click();
    await page.getByTestId('session-ended').waitFor({ timeout: TIMEOUT_MS });
    expect(await page.getByTestId('session-ended').textContent()).toBe('Your session has ended — sign in again.This browser is no longer signed in.');
  });

  it('says how long to wait after too many failed sign-ins', async () => {
    for (let i = 0; i < 20; i++) {
      const refused = await context.request.post(`${server.baseUrl}/api/v1/session`, { data: { name: 'mallory', password: `guess-${i}` } });
      if (refused.status() === 429) break;
      expect(refused.status()).toBe(401);
    }
    await signInWithForm('mallory', 'one more guess');
    await expect.poll(() => page.getByTestId('sign-in-error').textContent(), { timeout: TIMEOUT_MS }).toMatch(/^Too many failed sign-ins for this name from your address\. Try again in \d+ s\.$/);
    expect(await page.getByRole('button', { name: 'Sign in' }).isDisabled()).toBe(true);
  });
});

describe('a viewer', () => {
  let vera: Page;

  beforeAll(async () => {
    vera = await signedInPage(browser, server.baseUrl, 'vera', { viewport: { width: 1280, height: 900 }, colorScheme: 'light', locale: 'en-GB' });
  });

  it('sees the exception actions disabled, with the reason, not a refusal after a click', async () => {
    await vera.goto(`${server.baseUrl}/?view=exceptions`);
    await vera.getByTestId('session-user').waitFor({ timeout: TIMEOUT_MS });
    expect(await vera.getByTestId('session-user').textContent()).toBe('vera · viewer');
    const row = vera.locator(`[data-testid="exception-row"][data-correlation="${posting.correlation_id as string}"]`);
    await row.getByRole('link', { name: 'erp.invoice.posted' }).click({ timeout: TIMEOUT_MS });
    const detail = vera.getByTestId('exception-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(await detail.getByRole('button', { name: 'Acknowledge' }).isDisabled()).toBe(true);
    expect(await detail.getByRole('button', { name: 'Resolve with this note' }).isDisabled()).toBe(true);
    expect(await detail.getByTestId('permission-note').textContent()).toBe("Viewers can't assign, acknowledge, comment on or resolve exceptions — ask an operator");
  });

  it('sees the replay actions disabled, with the reason, and no dry run', async () => {
    await vera.goto(`${server.baseUrl}/?view=replay&range=15m&job=${job.id}`);
    const detail = vera.getByTestId('replay-job-detail');
    await detail.waitFor({ timeout: TIMEOUT_MS });
    expect(await detail.getByTestId('job-approve').isDisabled()).toBe(true);
    expect(await detail.getByTestId('job-cancel').isDisabled()).toBe(true);
    expect(await detail.getByTestId('job-approve').getAttribute('title')).toBe("Viewers can't dry-run, run, approve or cancel replays — ask an operator");
    expect(await vera.getByTestId('replay-jobs').getByTestId('permission-note').textContent()).toBe("Viewers can't dry-run, run, approve or cancel replays — ask an operator");

    await vera.goto(`${server.baseUrl}/?view=replay&range=15m&select=event&event=${encodeURIComponent(posting.event_id as string)}`);
    await vera.getByTestId('replay-selection').getByTestId('permission-note').waitFor({ timeout: TIMEOUT_MS });
    expect(await vera.getByTestId('dry-run').count()).toBe(0);
  });

  it('is refused by the server too (403 with the reason), so the disabled buttons are not the only guard', async () => {
    const refused = await vera.context().request.post(`${server.baseUrl}/api/v1/replays/${job.id}/approve`, { data: {} });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('POST /api/v1/replays/:id/approve needs the operator role; vera is viewer');
  });
});
