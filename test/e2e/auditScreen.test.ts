import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPageAnswer } from '../../server/contracts/accessApi.js';
import type { ExceptionList } from '../../server/contracts/exceptionApi.js';
import { TEST_PASSWORD } from '../support/access.js';
import { SCREENSHOTS, launchBrowser, signIn, signedInPage } from '../support/browser.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * The audit screen (issue 7) as an admin reads it: olga, an operator, acknowledges an exception; a viewer's
 * automation tries to resolve it and is refused; ada, the admin, finds both in the trail — who, what, on which
 * exception, how it ended — and filters to the refusals. A viewer who opens the screen is told it is for admins.
 * Real server with access control on, real embedded ClickHouse, real Chromium.
 */

const TIMEOUT_MS = 10_000;
const run = Date.now().toString(36);
const VIEWPORT = { viewport: { width: 1440, height: 1000 }, colorScheme: 'light', locale: 'en-GB' } as const;

let server: TestServer;
let browser: Browser;
let ada: Page;
let exceptionId: string;

beforeAll(async () => {
  server = await startTestServer();
  const failed = {
    event_id: `${run}-f`, correlation_id: `rtr-re_${run}`, flow: 'return_to_refund', step: 'erp.credit_memo.posted', system: 'middleware', target_system: 'erp',
    status: 'failed', error_code: 'GL_PERIOD_CLOSED', error_class: 'business', error_message: 'posting period 11 is closed', occurred_at: new Date(Date.now() - 300_000).toISOString(),
    keys: { refund_id: `re_${run}` },
  };
  const response = await postEvents(server, [failed]);
  expect(response.status, await response.clone().text()).toBe(200);
  await server.flush();
  const list = (await (await server.api('/api/v1/exceptions?lookback=86400', {}, 'viewer')).json()) as ExceptionList;
  exceptionId = list.exceptions.find((e) => e.correlation_id === `rtr-re_${run}`)!.id;
  browser = await launchBrowser();

  // olga acknowledges it, signed in (as from her browser); a viewer's token tries to resolve it.
  const olga = await browser.newContext();
  await signIn(olga, server.baseUrl, 'olga', TEST_PASSWORD);
  const acknowledged = await olga.request.post(`${server.baseUrl}/api/v1/exceptions/${exceptionId}/actions`, { data: { action: 'acknowledge' } });
  expect(acknowledged.status(), await acknowledged.text()).toBe(201);
  await olga.close();
  const refused = await server.api(`/api/v1/exceptions/${exceptionId}/actions`, { method: 'POST', body: { action: 'resolve', note: 'closing it from a script' } }, 'viewer');
  expect(refused.status).toBe(403);
  // Both are in the trail once written (within a second of the answer).
  const deadline = Date.now() + TIMEOUT_MS;
  while (((await (await server.api(`/api/v1/audit?target=${exceptionId}`, {}, 'admin')).json()) as AuditPageAnswer).rows.length < 2) {
    if (Date.now() > deadline) throw new Error('the two actions on the exception did not reach the audit trail');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  ada = await signedInPage(browser, server.baseUrl, 'ada', VIEWPORT);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const rows = () => ada.getByTestId('audit-row');
const param = (name: string) => new URL(ada.url()).searchParams.get(name);
/** Each row as actor, action, target, result, status. */
const shown = () =>
  rows().evaluateAll((items) =>
    items.map((row) => ['audit-actor', 'audit-action', 'audit-target', 'audit-result'].map((id) => row.querySelector(`[data-testid="${id}"]`)?.textContent ?? '').concat(row.querySelector('.audit-status')?.textContent ?? '')),
  );

describe('the audit screen', () => {
  it("lists an operator's action with who, what, on which target and how it ended, newest first", async () => {
    await ada.goto(`${server.baseUrl}/?view=audit`);
    await rows().first().waitFor({ timeout: TIMEOUT_MS });
    expect(await ada.getByTestId('session-user').textContent()).toBe('ada · admin');
    expect(await ada.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).toContain('Audit');
    const all = await shown();
    // The viewer's refusal came last, so it is first; the sign-ins are in the trail too.
    const ours = all.filter((r) => r[2] === exceptionId);
    expect(ours).toEqual([
      [expect.stringMatching(/^token:[0-9a-f]{12}viewer$/), 'exception.act', exceptionId, 'denied', '403'],
      ['olgaoperator', 'exception.act', exceptionId, 'ok', '201'],
    ]);
    expect(all.some((r) => r[0] === 'olgaoperator' && r[1] === 'session.login' && r[3] === 'ok')).toBe(true);
    expect(await ada.getByTestId('audit-summary').textContent()).toMatch(/^\d+ entr(y|ies) · newest first · .+ UTC$/);
    // The time is UTC; the hover gives the reader's own.
    const time = rows().first().locator('time');
    expect(await time.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await time.getAttribute('title')).toMatch(/your time$/);
    await ada.screenshot({ path: `${SCREENSHOTS}audit.png` });
  });

  it("filters to what was refused, kept in the link: the viewer's attempt, and why", async () => {
    await ada.getByLabel('Denied').check();
    await expect.poll(() => param('result'), { timeout: TIMEOUT_MS }).toBe('denied');
    await expect.poll(async () => (await shown()).map((r) => r[3]), { timeout: TIMEOUT_MS }).toEqual(['denied']);
    const [refusal] = await shown();
    expect(refusal).toEqual([expect.stringMatching(/^token:[0-9a-f]{12}viewer$/), 'exception.act', exceptionId, 'denied', '403']);
    expect(await rows().first().locator('.audit-detail').textContent()).toBe('needs_operator');

    // The same link brings the same trail back.
    await ada.goto(ada.url());
    await expect.poll(async () => (await shown()).map((r) => r[3]), { timeout: TIMEOUT_MS }).toEqual(['denied']);
    expect(await ada.getByLabel('Denied').isChecked()).toBe(true);
  });

  it('narrows to one actor from a row, and to one action from the list of known actions', async () => {
    await ada.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => param('result'), { timeout: TIMEOUT_MS }).toBeNull();
    await rows().filter({ hasText: 'olga' }).first().getByTestId('audit-actor').getByRole('button').click();
    await expect.poll(() => param('actor'), { timeout: TIMEOUT_MS }).toBe('olga');
    await expect.poll(async () => new Set((await shown()).map((r) => r[0])), { timeout: TIMEOUT_MS }).toEqual(new Set(['olgaoperator']));

    await ada.getByLabel('Action').selectOption('exception.act');
    await expect.poll(() => param('action'), { timeout: TIMEOUT_MS }).toBe('exception.act');
    await expect.poll(shown, { timeout: TIMEOUT_MS }).toEqual([['olgaoperator', 'exception.act', exceptionId, 'ok', '201']]);

    await ada.getByLabel('Action').selectOption('replay.approve');
    await ada.getByTestId('audit-empty').waitFor({ timeout: TIMEOUT_MS });
    expect(await ada.getByTestId('audit-empty').textContent()).toContain('No audited actions match these filters in this range');
  });

  it('says so in a range with nothing audited, and what would show up', async () => {
    const from = new Date(Date.now() - 6 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 5 * 86_400_000).toISOString();
    await ada.goto(`${server.baseUrl}/?view=audit&from=${from}&to=${to}`);
    await ada.getByTestId('audit-empty').waitFor({ timeout: TIMEOUT_MS });
    expect(await ada.getByTestId('audit-empty').textContent()).toContain('No audited actions in this range');
    expect(await ada.getByTestId('audit-empty').textContent()).toContain('acknowledging an alert');
  });

  it('tells a viewer the audit trail is for admins, and leaves it out of their menu', async () => {
    const vera = await signedInPage(browser, server.baseUrl, 'vera', VIEWPORT);
    await vera.goto(`${server.baseUrl}/?view=audit`);
    const note = vera.getByTestId('audit-admin-only');
    await note.waitFor({ timeout: TIMEOUT_MS });
    expect(await note.textContent()).toContain('The audit trail is for admins.');
    expect(await note.textContent()).toContain('GET /api/v1/audit needs the admin role; vera is viewer');
    expect(await vera.locator('[role="alert"]').count()).toBe(0);
    expect(await vera.getByRole('navigation', { name: 'Screens' }).getByRole('link').allTextContents()).not.toContain('Audit');
    await vera.close();
  });
});
