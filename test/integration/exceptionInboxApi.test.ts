import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiError } from '../../server/contracts/api.js';
import { exceptionAgingSchema, exceptionDetailSchema, exceptionListSchema } from '../../server/contracts/exceptionApi.js';
import { TEST_PASSWORD } from '../support/access.js';
import { signIn } from '../support/accessProbe.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * What the exceptions inbox asks beyond the plain list: filters by error class and time range, counts per
 * filter value for its dropdowns, newest first, owner names for the aging chart, and the workflow history of one
 * exception — against the real engine, with the shared answer cache on (as in production), so an action must
 * show in the very next answer.
 */

const NOW = Date.now();
let server: TestServer;
/** Session cookies of two operators (olga, omar): the history names them. */
const cookies: Record<string, string> = {};
const get = async (path: string) => {
  const response = await server.api(path, {}, 'viewer');
  return { status: response.status, body: (await response.json()) as unknown };
};
/** An action as a signed-in operator. */
const post = async (path: string, body: unknown, who: 'olga' | 'omar') => {
  const response = await fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { cookie: cookies[who]!, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as unknown };
};
const list = async (query = '') => exceptionListSchema.parse((await get(`/api/v1/exceptions${query}`)).body);

/** A failed step `minutesAgo` minutes ago; business errors on refunds are finance's, technical ones integration support's. */
const failure = (correlation: string, minutesAgo: number, extra: Record<string, unknown> = {}) => ({
  event_id: `${correlation}:${minutesAgo}`,
  correlation_id: correlation,
  flow: 'return_to_refund',
  step: 'erp.credit_memo.posted',
  system: 'middleware',
  target_system: 'erp',
  occurred_at: NOW - minutesAgo * 60_000,
  status: 'failed',
  error_code: 'GL_ACCOUNT_LOCKED',
  error_class: 'business',
  error_message: 'posting period closed',
  keys: { refund_id: correlation.replace('rtr-', '') },
  ...extra,
});

beforeAll(async () => {
  server = await startTestServer({ env: { FLOWLENS_ANSWER_MAX_AGE_MS: '60000' } });
  cookies.olga = await signIn(server.baseUrl, 'olga', TEST_PASSWORD);
  cookies.omar = await signIn(server.baseUrl, 'omar', TEST_PASSWORD);
  const events = [
    failure('rtr-re_old', 300),
    failure('rtr-re_mid', 30),
    failure('rtr-re_new', 5),
    failure('rtr-re_tech', 20, { status: 'dead_lettered', error_code: 'HTTP_503', error_class: 'technical' }),
    failure('inv-1', 10, { flow: 'inventory_sync', step: 'erp.inventory.posted', error_code: 'HTTP_503', error_class: 'technical', keys: { receipt_id: 'R-1' } }),
  ];
  expect((await postEvents(server, events)).status).toBe(200);
  await server.flush();
});
afterAll(async () => {
  await server.close();
});

describe('the exceptions inbox API', () => {
  it('filters by error class and sorts newest first', async () => {
    const technical = await list('?error_class=technical');
    expect(technical.exceptions.map((e) => e.correlation_id)).toEqual(['rtr-re_tech', 'inv-1']);
    const newest = await list('?sort=newest&flow=return_to_refund');
    expect(newest.sort).toBe('newest');
    expect(newest.exceptions.map((e) => e.correlation_id)).toEqual(['rtr-re_new', 'rtr-re_tech', 'rtr-re_mid', 'rtr-re_old']);
  });

  it('counts every value of each filter under the other filters, with owner names', async () => {
    const { facets, total } = await list('?owner=finance');
    expect(total).toBe(3);
    expect(facets.owner).toEqual([
      { value: 'finance', label: 'Finance operations', count: 3 },
      { value: 'integration-support', label: 'Integration support', count: 2 },
    ]);
    expect(facets.error_code).toEqual([{ value: 'GL_ACCOUNT_LOCKED', label: 'GL_ACCOUNT_LOCKED', count: 3 }]);
    expect(facets.bucket).toEqual([
      { value: 'under_15m', label: '< 15 min', count: 1 },
      { value: '15m_1h', label: '15 min – 1 h', count: 1 },
      { value: '4h_24h', label: '4 – 24 h', count: 1 },
    ]);
  });

  it('narrows to an absolute range on when the exception first failed', async () => {
    const from = new Date(NOW - 40 * 60_000).toISOString();
    const to = new Date(NOW - 8 * 60_000).toISOString();
    const ranged = await list(`?from=${from}&to=${to}`);
    expect(ranged.exceptions.map((e) => e.correlation_id)).toEqual(['rtr-re_mid', 'rtr-re_tech', 'inv-1']);
    expect(ranged.lookback_ms).toBe(86_400_000);
    const aging = exceptionAgingSchema.parse((await get(`/api/v1/exceptions/aging?from=${from}&to=${to}`)).body);
    expect(aging.total).toBe(3);
    expect(aging.owners).toEqual({ finance: 'Finance operations', 'integration-support': 'Integration support' });
  });

  it('shows an action in the very next answer, and the whole history on the exception', async () => {
    const before = await list('?owner=finance');
    const [oldest, next] = before.exceptions;
    expect((await post(`/api/v1/exceptions/${oldest!.id}/actions`, { action: 'assign', assignee: 'omar' }, 'olga')).status).toBe(201);
    expect((await post('/api/v1/exceptions/actions', { ids: [oldest!.id, next!.id], action: 'acknowledge' }, 'omar')).status).toBe(201);
    const after = await list('?owner=finance');
    expect(after.exceptions.map((e) => [e.correlation_id, e.state, e.assignee])).toEqual([
      ['rtr-re_old', 'acknowledged', 'omar'],
      ['rtr-re_mid', 'acknowledged', null],
      ['rtr-re_new', 'open', null],
    ]);
    expect((await post(`/api/v1/exceptions/${oldest!.id}/actions`, { action: 'resolve', note: 'period reopened, posted again' }, 'omar')).status).toBe(201);
    expect((await list('?owner=finance')).exceptions.map((e) => e.correlation_id)).toEqual(['rtr-re_mid', 'rtr-re_new']);

    const detail = exceptionDetailSchema.parse((await get(`/api/v1/exceptions/${oldest!.id}`)).body);
    expect(detail).toMatchObject({ state: 'resolved', keys: { refund_id: 're_old' } });
    expect(detail.history.map((h) => [h.action, h.actor, h.assignee, h.note])).toEqual([
      ['assign', 'olga', 'omar', null],
      ['acknowledge', 'omar', null, null],
      ['resolve', 'omar', null, 'period reopened, posted again'],
    ]);
    expect(detail.history.every((h) => Math.abs(h.at - Date.now()) < 60_000)).toBe(true);
  });

  it.each([
    ['/api/v1/exceptions?sort=age', 'sort: sort must be one of oldest, newest'],
    ['/api/v1/exceptions?error_class=fatal', 'error_class: error_class must be one of business, technical'],
    ['/api/v1/exceptions?to=2026-11-27T10:00:00Z', 'from: required with to: the start of the range'],
    ['/api/v1/exceptions?from=yesterday', 'from: must be epoch milliseconds or an ISO 8601 time with a zone, e.g. 2026-11-27T10:00:00Z'],
    [`/api/v1/exceptions/aging?from=${NOW - 100 * 86_400_000}`, 'from: must be within the last 90 days: exceptions are read from at most 90 days of failures'],
    [`/api/v1/exceptions/aging?from=${NOW}&to=${NOW - 1000}`, 'to: must be later than from'],
  ])('answers 400 naming the parameter: %s', async (path, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect((body as ApiError).error.message).toBe(message);
  });
});
