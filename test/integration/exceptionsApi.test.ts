import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFingerprint } from '../../server/auth/apiTokens.js';
import { type ApiError } from '../../server/contracts/api.js';
import { auditPageSchema, type AuditEntryRow } from '../../server/contracts/accessApi.js';
import { exceptionActionResultSchema, exceptionAgingSchema, exceptionDetailSchema, exceptionListSchema } from '../../server/contracts/exceptionApi.js';
import { TEST_PASSWORD, TEST_TOKENS } from '../support/access.js';
import { signIn } from '../support/accessProbe.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

const T = Date.now() - 20 * 60_000;
let server: TestServer;
/** Session cookies of two operators who sign in (olga, omar): the workflow records them by name. */
const cookies: Record<string, string> = {};
/** Reads need no more than a viewer. */
const get = async (path: string) => {
  const response = await server.api(path, {}, 'viewer');
  return { status: response.status, body: (await response.json()) as unknown };
};
/** An action as a signed-in operator. */
const post = async (path: string, body: unknown, who: 'olga' | 'omar' = 'olga') => {
  const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { cookie: cookies[who]!, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as unknown };
};
const openException = async (correlation: string) => {
  const list = exceptionListSchema.parse((await get('/api/v1/exceptions')).body);
  const found = list.exceptions.find((e) => e.correlation_id === correlation);
  if (found === undefined) throw new Error(`no open exception for ${correlation}`);
  return found;
};
/** The audit trail's rows for a target, as an admin reads them; rows are written within about a second. */
async function auditRowsFor(target: string, until: (rows: AuditEntryRow[]) => boolean): Promise<AuditEntryRow[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const response = await server.api(`/api/v1/audit?target=${encodeURIComponent(target)}&from=${T - 60_000}`, {}, 'admin');
    expect(response.status).toBe(200);
    const { rows } = auditPageSchema.parse(await response.json());
    if (until(rows) || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
const failed = (correlation: string, step: string, at: number, status: string, extra: Record<string, unknown> = {}) => ({
  event_id: `${correlation}:${step}:${at}`,
  correlation_id: correlation,
  flow: 'return_to_refund',
  step,
  system: 'middleware',
  target_system: 'erp',
  occurred_at: T + at,
  status,
  error_code: 'GL_ACCOUNT_LOCKED',
  error_class: 'business',
  error_message: 'posting period closed for account 4010',
  keys: { refund_id: correlation.replace('rtr-', ''), order_id: '#1001' },
  ...extra,
});

beforeAll(async () => {
  server = await startTestServer();
  cookies.olga = await signIn(server.baseUrl, 'olga', TEST_PASSWORD);
  cookies.omar = await signIn(server.baseUrl, 'omar', TEST_PASSWORD);
  const events = [
    failed('rtr-re_1', 'erp.credit_memo.posted', 0, 'retrying'),
    failed('rtr-re_1', 'erp.credit_memo.posted', 5_000, 'failed'),
    failed('rtr-re_2', 'erp.credit_memo.posted', 1_000, 'dead_lettered', { error_class: 'technical', error_code: 'HTTP_503' }),
    failed('rtr-re_3', 'erp.credit_memo.posted', 2_000, 'failed'),
    { ...failed('rtr-re_3', 'erp.credit_memo.posted', 9_000, 'ok'), error_code: undefined, error_class: undefined, error_message: undefined, system: 'erp', target_system: undefined },
  ];
  expect((await postEvents(server, events)).status).toBe(200);
  await server.flush();
});
afterAll(async () => {
  await server.close();
});

describe('exceptions API', () => {
  it('lists open exceptions once each, with owner, age, error, attempts and business keys', async () => {
    const list = exceptionListSchema.parse((await get('/api/v1/exceptions')).body);
    expect(list.total).toBe(2);
    // Oldest first: re_2 dead-lettered at 1 s; re_1 retried at 0 s and failed at 5 s (retries alone are no exception).
    const [second, first] = list.exceptions;
    expect(first).toMatchObject({ correlation_id: 'rtr-re_1', state: 'open', attempts: 2, last_status: 'failed', owner: { id: 'finance' }, age_bucket: '15m_1h', error: { code: 'GL_ACCOUNT_LOCKED', class: 'business' }, keys: { refund_id: 're_1', order_id: '#1001' } });
    expect(first!.first_failed_at).toBe(T + 5_000);
    expect(second).toMatchObject({ correlation_id: 'rtr-re_2', owner: { id: 'integration-support' }, last_status: 'dead_lettered' });
  });

  it('closes an exception by itself when the step later succeeds', async () => {
    const recovered = exceptionListSchema.parse((await get('/api/v1/exceptions?state=recovered')).body);
    expect(recovered.exceptions.map((e) => [e.correlation_id, e.recovered_at])).toEqual([['rtr-re_3', T + 9_000]]);
  });

  it('records assign, acknowledge, comment and resolve append-only, and derives the state', async () => {
    const list = exceptionListSchema.parse((await get('/api/v1/exceptions?flow=return_to_refund&owner=finance')).body);
    const id = list.exceptions[0]!.id;
    expect((await post(`/api/v1/exceptions/${id}/actions`, { action: 'assign', assignee: 'omar' }, 'olga')).status).toBe(201);
    const ack = exceptionActionResultSchema.parse((await post(`/api/v1/exceptions/${id}/actions`, { action: 'acknowledge' }, 'omar')).body);
    expect(ack.recorded[0]).toMatchObject({ id, action: 'acknowledge', state: 'acknowledged' });
    await post(`/api/v1/exceptions/${id}/actions`, { action: 'comment', note: 'period 11 reopened by finance' }, 'omar');
    const resolved = exceptionActionResultSchema.parse((await post(`/api/v1/exceptions/${id}/actions`, { action: 'resolve', note: 'credit memo posted by hand' }, 'omar')).body);
    expect(resolved.recorded[0]!.state).toBe('resolved');
    const detail = exceptionDetailSchema.parse((await get(`/api/v1/exceptions/${id}`)).body);
    expect(detail).toMatchObject({ state: 'resolved', assignee: 'omar', acknowledged: { by: 'omar' }, resolved: { by: 'omar', note: 'credit memo posted by hand' }, comments: [{ by: 'omar', note: 'period 11 reopened by finance' }] });
    expect(detail.history.map((h) => [h.action, h.actor])).toEqual([
      ['assign', 'olga'],
      ['acknowledge', 'omar'],
      ['comment', 'omar'],
      ['resolve', 'omar'],
    ]);
    const open = exceptionListSchema.parse((await get('/api/v1/exceptions')).body);
    expect(open.exceptions.map((e) => e.correlation_id)).toEqual(['rtr-re_2']);
  });

  it('acts on several exceptions at once, and counts aging by owner', async () => {
    const all = exceptionListSchema.parse((await get('/api/v1/exceptions?state=open,acknowledged,resolved')).body);
    const bulk = exceptionActionResultSchema.parse((await post('/api/v1/exceptions/actions', { ids: all.exceptions.map((e) => e.id), action: 'reopen' }, 'olga')).body);
    expect(bulk.recorded).toHaveLength(2);
    for (const { id } of all.exceptions) {
      const detail = exceptionDetailSchema.parse((await get(`/api/v1/exceptions/${id}`)).body);
      expect(detail.history.at(-1)).toMatchObject({ action: 'reopen', actor: 'olga' });
    }
    const aging = exceptionAgingSchema.parse((await get('/api/v1/exceptions/aging')).body);
    expect(aging.total).toBe(2);
    expect(aging.by_owner).toEqual({ finance: expect.objectContaining({ '15m_1h': 1 }), 'integration-support': expect.objectContaining({ '15m_1h': 1 }) });
    expect(aging.buckets.map((b) => b.id)).toEqual(['under_15m', '15m_1h', '1h_4h', '4h_24h', 'over_24h']);
  });

  it.each([
    ['/api/v1/exceptions?state=closed', 'state: unknown state closed; use open, acknowledged, resolved, recovered, or several separated by commas'],
    ['/api/v1/exceptions?lookback=10', 'lookback: lookback must be at least 60 seconds'],
    ['/api/v1/exceptions?bucket=old', 'bucket: bucket must be one of under_15m, 15m_1h, 1h_4h, 4h_24h, over_24h'],
  ])('answers 400 naming the parameter: %s', async (path, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect((body as ApiError).error.message).toBe(message);
  });

  it.each([
    [{ action: 'assign' }, 'assignee: required to assign'],
    [{ action: 'resolve' }, 'note: required to resolve: say how it was fixed'],
    [{ action: 'close' }, 'action: action must be one of assign, acknowledge, comment, resolve, reopen'],
    [{ action: 'acknowledge', actor: 'omar' }, 'actor: is not taken: an action is recorded as the signed-in user or the API token that sends it'],
  ])('refuses a bad action with 400 naming the field: %j', async (body, message) => {
    const list = exceptionListSchema.parse((await get('/api/v1/exceptions')).body);
    const { status, body: answer } = await post(`/api/v1/exceptions/${list.exceptions[0]!.id}/actions`, body);
    expect(status).toBe(400);
    expect((answer as ApiError).error.message).toBe(message);
  });

  it('answers 404 for an exception it does not know, recording nothing', async () => {
    const { status, body } = await post('/api/v1/exceptions/0123456789abcdef/actions', { action: 'acknowledge' });
    expect(status).toBe(404);
    expect((body as ApiError).error.code).toBe('exception_not_found');
  });

  it('records an action taken with an API token as the token, never as a name in the body', async () => {
    const exception = await openException('rtr-re_2');
    const claimed = await server.api(`/api/v1/exceptions/${exception.id}/actions`, { method: 'POST', body: { action: 'comment', note: 'as someone else', actor: 'ada' } });
    expect(claimed.status).toBe(400);
    const commented = await server.api(`/api/v1/exceptions/${exception.id}/actions`, { method: 'POST', body: { action: 'comment', note: 'checked by the nightly job' } });
    expect(commented.status).toBe(201);
    const detail = exceptionDetailSchema.parse((await get(`/api/v1/exceptions/${exception.id}`)).body);
    expect(detail.comments.map((c) => [c.by, c.note])).toEqual([[`token:${tokenFingerprint(TEST_TOKENS.operator)}`, 'checked by the nightly job']]);
  });
});

describe('the audit trail of exception actions', () => {
  it('names who acted, what they did, on which exception and how it ended, refusals included', async () => {
    const { id } = await openException('rtr-re_2');
    expect((await post(`/api/v1/exceptions/${id}/actions`, { action: 'acknowledge' }, 'omar')).status).toBe(201);
    const refused = await server.api(`/api/v1/exceptions/${id}/actions`, { method: 'POST', body: { action: 'resolve', note: 'a viewer tries' } }, 'viewer');
    expect(refused.status).toBe(403);
    expect(exceptionDetailSchema.parse((await get(`/api/v1/exceptions/${id}`)).body).state).toBe('acknowledged');

    const viewer = `token:${tokenFingerprint(TEST_TOKENS.viewer)}`;
    const rows = await auditRowsFor(id, (r) => r.some((row) => row.actor === 'omar') && r.some((row) => row.actor === viewer));
    expect(rows.filter((r) => r.actor === 'omar')).toEqual([
      expect.objectContaining({ actor: 'omar', actor_kind: 'operator', action: 'exception.act', target: id, method: 'POST', path: `/api/v1/exceptions/${id}/actions`, status: 201, result: 'ok', detail: 'acknowledge' }),
    ]);
    expect(rows.filter((r) => r.actor === viewer)).toEqual([
      expect.objectContaining({ actor_kind: 'viewer', action: 'exception.act', target: id, status: 403, result: 'denied', detail: 'needs_operator' }),
    ]);
    // The trail is the admins': an operator may not read it.
    expect((await server.api('/api/v1/audit')).status).toBe(403);
  });
});
