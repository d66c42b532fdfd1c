import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKENS } from '../support/access.js';
import { rawRequest, type Answer } from '../support/accessProbe.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Issue 7: SQL-injection strings in every filter parameter change nothing. Through the real app, as an admin (who
 * may read everything), every query and path parameter of every GET API route gets each classic injection
 * string. Each answer must be no 5xx, and either a 4xx naming the parameter or the very answer a harmless value
 * that matches nothing gets; and afterwards the stored data must read the same as before.
 */

const T = Date.now() - 20 * 60_000;
const FROM = String(T - 10 * 60_000);
const TO = String(T + 15 * 60_000);
const ORDER = 'SO-7001';
const HARMLESS = 'zzz-no-such-value';

const PAYLOADS: readonly string[] = [
  "' OR 1=1 --",
  "' OR '1'='1",
  "') OR ('1'='1",
  "'; DROP TABLE business_events; --",
  '1) UNION SELECT * FROM system.users --',
  "x' UNION ALL SELECT name FROM system.tables --",
  "\\' OR \\'1\\'=\\'1",
  // A trailing backslash would swallow the closing quote of a naively escaped literal; \x27 is ClickHouse's quote.
  'x\\',
  '\\x27 OR 1=1 --',
  '`x`',
  '%27',
  '%27%20OR%201%3D1',
  'a\u0000b',
  '"; SELECT 1; --',
  // The engine's parameter placeholders (server/store/inlineParams.ts): text put in must never be read as one.
  '{x:String}',
  '{p0:String}',
  '1 OR 1=1',
  'x'.repeat(5000),
];
/** Also sent after a value that matches something, for the parameters named in a route's `realValues`. */
const ON_REAL_VALUE: readonly string[] = PAYLOADS.slice(0, 4);

type RouteSpec = {
  route: string;
  path: string;
  /** The rest of a valid query (a fixed range, so two answers can be compared). */
  base?: Record<string, string>;
  query: string[];
  /** A path parameter: its name and the path around the (encoded) value. */
  pathParam?: { name: string; at: (encoded: string) => string };
  /** Values that match stored data, to put injections after (`SO-7001' OR '1'='1`). */
  realValues?: Record<string, string>;
};

// The parameters, route by route, as the zod query schemas of server/http/routes/*.ts and server/auth/auditQuery.ts
// declare them (and the path parameters their handlers read). A route added there belongs here too.
const ROUTES: readonly RouteSpec[] = [
  // lineageRoutes.ts: lineageQuery { key, depth }; exportQuery adds { format }. `key` is the lineage search key.
  { route: 'GET /api/v1/lineage', path: '/api/v1/lineage', base: { key: ORDER }, query: ['key', 'depth'], realValues: { key: ORDER } },
  { route: 'GET /api/v1/lineage/export', path: '/api/v1/lineage/export', base: { key: ORDER }, query: ['key', 'depth', 'format'], realValues: { key: ORDER } },
  // apiRoutes.ts: throughputQuery { window }.
  { route: 'GET /api/v1/throughput', path: '/api/v1/throughput', query: ['window'] },
  // inventoryRoutes.ts: lagQuery, nowQuery, worstQuery, byLocationQuery, movementsQuery, staleQuery.
  { route: 'GET /api/v1/inventory/lag', path: '/api/v1/inventory/lag', base: { from: FROM, to: TO }, query: ['from', 'to', 'location', 'sku'], realValues: { location: 'store-001', sku: 'SKU-7' } },
  { route: 'GET /api/v1/inventory/lag/now', path: '/api/v1/inventory/lag/now', query: ['window'] },
  {
    route: 'GET /api/v1/inventory/lag/worst',
    path: '/api/v1/inventory/lag/worst',
    base: { from: FROM, to: TO },
    query: ['from', 'to', 'by', 'target', 'limit', 'location', 'sku'],
    realValues: { target: 'erp', location: 'store-001', sku: 'SKU-7' },
  },
  { route: 'GET /api/v1/inventory/lag/by-location', path: '/api/v1/inventory/lag/by-location', base: { from: FROM, to: TO }, query: ['from', 'to', 'percentile', 'limit', 'sku'], realValues: { sku: 'SKU-7' } },
  {
    route: 'GET /api/v1/inventory/movements',
    path: '/api/v1/inventory/movements',
    base: { from: String(T - 60_000), to: String(T + 5 * 60_000), target: 'erp' },
    query: ['from', 'to', 'target', 'location', 'sku', 'limit'],
    realValues: { target: 'erp', location: 'store-001', sku: 'SKU-7' },
  },
  { route: 'GET /api/v1/inventory/stale', path: '/api/v1/inventory/stale', query: ['threshold', 'lookback', 'channel', 'limit'], realValues: { channel: 'shopify' } },
  // exceptionRoutes.ts: listQuery, agingQuery, lookbackQuery and the exception id.
  {
    route: 'GET /api/v1/exceptions',
    path: '/api/v1/exceptions',
    query: ['lookback', 'from', 'to', 'state', 'kind', 'owner', 'flow', 'system', 'bucket', 'error_code', 'error_class', 'sort', 'limit', 'offset'],
    realValues: { flow: 'return_to_refund', system: 'middleware', error_code: 'GL_ACCOUNT_LOCKED', owner: 'finance' },
  },
  { route: 'GET /api/v1/exceptions/aging', path: '/api/v1/exceptions/aging', query: ['lookback', 'from', 'to'] },
  { route: 'GET /api/v1/exceptions/:id', path: '/api/v1/exceptions/0123456789abcdef', query: ['lookback'], pathParam: { name: 'id', at: (id) => `/api/v1/exceptions/${id}` } },
  // slaRoutes.ts: breachQuery, seriesQuery and the SLA id.
  { route: 'GET /api/v1/slas/:id/breaches', path: '/api/v1/slas/refund-ledger/breaches', query: ['outcome', 'group', 'limit', 'offset'], pathParam: { name: 'id', at: (id) => `/api/v1/slas/${id}/breaches` }, realValues: { group: 'channel:' } },
  { route: 'GET /api/v1/slas/:id/series', path: '/api/v1/slas/refund-ledger/series', query: ['group', 'buckets'], pathParam: { name: 'id', at: (id) => `/api/v1/slas/${id}/series` }, realValues: { group: 'channel:' } },
  // reconciliationRoutes.ts: listQuery and settlementParams.
  {
    route: 'GET /api/v1/reconciliation',
    path: '/api/v1/reconciliation',
    base: { from: FROM, to: TO },
    query: ['from', 'to', 'status', 'reason', 'source', 'currency', 'order', 'limit', 'offset'],
    realValues: { source: 'amazon' },
  },
  { route: 'GET /api/v1/reconciliation/:settlementId', path: '/api/v1/reconciliation/STL-7001', query: [], pathParam: { name: 'settlementId', at: (id) => `/api/v1/reconciliation/${id}` } },
  // alertRoutes.ts: listQuery and the alert id.
  { route: 'GET /api/v1/alerts', path: '/api/v1/alerts', query: ['state', 'lookback', 'limit', 'offset'] },
  { route: 'GET /api/v1/alerts/:id', path: '/api/v1/alerts/0123456789abcdef', query: [], pathParam: { name: 'id', at: (id) => `/api/v1/alerts/${id}` } },
  // replayRoutes.ts: listQuery, detailQuery and the job id.
  { route: 'GET /api/v1/replays', path: '/api/v1/replays', query: ['limit', 'offset', 'state'] },
  { route: 'GET /api/v1/replays/:id', path: '/api/v1/replays/rpl-0123456789abcdef0123', query: ['limit', 'offset'], pathParam: { name: 'id', at: (id) => `/api/v1/replays/${id}` } },
  // auditRoutes.ts with server/auth/auditQuery.ts: auditQuerySchema.
  { route: 'GET /api/v1/audit', path: '/api/v1/audit', base: { from: FROM, to: TO }, query: ['from', 'to', 'actor', 'action', 'target', 'result', 'limit', 'offset'], realValues: { action: 'session.login' } },
  // Routes that take no parameter (z.strictObject({})): one that is not theirs is refused, whatever it holds.
  { route: 'GET /api/v1/overview', path: '/api/v1/overview', query: ['q'] },
  { route: 'GET /api/v1/dashboards', path: '/api/v1/dashboards', query: ['q'] },
  { route: 'GET /api/v1/slas', path: '/api/v1/slas', query: ['q'] },
  { route: 'GET /api/v1/alerts/mutes', path: '/api/v1/alerts/mutes', query: ['q'] },
];

type Probe = { param: string; url: (value: string) => string; prefix: string };

function probesOf(spec: RouteSpec): Probe[] {
  const withQuery = (path: string, query: Record<string, string>) => (Object.keys(query).length === 0 ? path : `${path}?${new URLSearchParams(query)}`);
  const probes: Probe[] = [];
  const prefixes = (param: string) => ['', ...(spec.realValues?.[param] === undefined ? [] : [spec.realValues[param]!])];
  for (const param of spec.query) {
    for (const prefix of prefixes(param)) probes.push({ param, prefix, url: (value) => withQuery(spec.path, { ...spec.base, [param]: value }) });
  }
  if (spec.pathParam) {
    const { name, at } = spec.pathParam;
    probes.push({ param: name, prefix: '', url: (value) => withQuery(at(encodeURIComponent(value)), spec.base ?? {}) });
  }
  return probes;
}
const payloadsFor = (probe: Probe) => (probe.prefix === '' ? PAYLOADS : ON_REAL_VALUE).map((p) => probe.prefix + p);
const COMBINATIONS = ROUTES.flatMap(probesOf).reduce((sum, probe) => sum + payloadsFor(probe).length, 0);
const PARAMETERS = ROUTES.reduce((sum, spec) => sum + spec.query.length + (spec.pathParam ? 1 : 0), 0);

let server: TestServer;
const get = (url: string) => rawRequest(server.baseUrl, 'GET', url, { authorization: `Bearer ${TEST_TOKENS.admin}` });

/**
 * An answer's body with what varies by itself taken out: the value sent (echoed back) and times (epoch ms,
 * ISO 8601), so two answers to different non-matching values compare equal when they say the same.
 */
function normalised(text: string, sent: readonly string[]): string {
  let out = text;
  const forms = [...new Set(sent.flatMap((v) => [v, v.trim()]).filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
  for (const form of forms) out = out.split(JSON.stringify(form).slice(1, -1)).join('<value>');
  return out.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>').replace(/\b1\d{12}\b/g, '<ms>');
}

type Verdict = { ok: true; how: 'refused_naming_it' | 'same_as_harmless' } | { ok: false; why: string };

/** Whether an answer to an injection is acceptable: what issue 7 means by "changes nothing". */
function verdictOn(param: string, value: string, sent: Answer, harmlessValue: string, harmless: Answer): Verdict {
  if (sent.status >= 500) return { ok: false, why: `${sent.status} ${sent.code ?? ''} ${sent.text.slice(0, 160)}` };
  const names = (sent.fields ?? []).includes(param) || new RegExp(`(^|[^A-Za-z_])${param}([^A-Za-z_]|$)`).test(sent.message ?? '');
  if (sent.status >= 400 && names) return { ok: true, how: 'refused_naming_it' };
  if (sent.status !== harmless.status) return { ok: false, why: `${sent.status} ${sent.code ?? ''}, but ${harmless.status} ${harmless.code ?? ''} for a harmless value` };
  if (sent.status >= 400) return sent.code === harmless.code ? { ok: true, how: 'same_as_harmless' } : { ok: false, why: `error ${sent.code}, but ${harmless.code} for a harmless value` };
  const a = normalised(sent.text, [value, value.slice(value.indexOf(':') + 1)]);
  const b = normalised(harmless.text, [harmlessValue, harmlessValue.slice(harmlessValue.indexOf(':') + 1)]);
  return a === b ? { ok: true, how: 'same_as_harmless' } : { ok: false, why: `answer differs from a harmless value's: ${a.slice(0, 200)} … vs ${b.slice(0, 200)}` };
}

/** What the stored data says: lineage of each transaction, the exceptions, inventory lag, settlements, replays. */
async function storedState() {
  const read = async (url: string) => {
    const res = await get(url);
    expect(res.status, url).toBe(200);
    return JSON.parse(res.text) as unknown;
  };
  const lineage = async (key: string) => {
    const graph = (await read(`/api/v1/lineage?key=${key}`)) as { correlations: { correlation_id: string; event_count: number }[]; events: { event_id: string }[] };
    return { correlations: graph.correlations.map((c) => [c.correlation_id, c.event_count]), events: graph.events.map((e) => e.event_id).sort() };
  };
  const exceptions = (await read(`/api/v1/exceptions?state=open,acknowledged,resolved,recovered`)) as { total: number; exceptions: { id: string; state: string; attempts: number }[] };
  return {
    lineage: [await lineage(ORDER), await lineage('rtr-sqli-1'), await lineage('inv-sqli-1'), await lineage('STL-7001')],
    exceptions: [exceptions.total, exceptions.exceptions.map((e) => [e.id, e.state, e.attempts])],
    lag: normalised(JSON.stringify(await read(`/api/v1/inventory/lag?from=${FROM}&to=${TO}`)), []),
    settlements: normalised(JSON.stringify(await read(`/api/v1/reconciliation?from=${FROM}&to=${TO}`)), []),
    replays: normalised(JSON.stringify(await read('/api/v1/replays')), []),
    mutes: normalised(JSON.stringify(await read('/api/v1/alerts/mutes')), []),
  };
}

let before: Awaited<ReturnType<typeof storedState>>;
const tally = { sent: 0, refused_naming_it: 0, same_as_harmless: 0, same_as_harmless_2xx: 0 };

beforeAll(async () => {
  server = await startTestServer();
  const event = (id: string, correlation: string, flow: string, step: string, at: number, extra: Record<string, unknown>) => ({ event_id: id, correlation_id: correlation, flow, step, occurred_at: T + at, ...extra });
  const events = [
    event('o1', `otc-${ORDER}`, 'order_to_cash', 'shop.order.created', 0, { system: 'shopify', keys: { order_id: ORDER } }),
    event('o2', `otc-${ORDER}`, 'order_to_cash', 'payment.charge.succeeded', 2_000, { system: 'stripe', keys: { order_id: ORDER } }),
    event('r1', 'rtr-sqli-1', 'return_to_refund', 'erp.credit_memo.posted', 3_000, { system: 'middleware', target_system: 'erp', status: 'failed', error_code: 'GL_ACCOUNT_LOCKED', error_class: 'business', error_message: 'period closed', keys: { refund_id: 're_sqli', order_id: ORDER } }),
    event('i1', 'inv-sqli-1', 'inventory_sync', 'pos.sale.captured', 4_000, { system: 'pos', location_id: 'store-001', sku: 'SKU-7', quantity: -1 }),
    event('i2', 'inv-sqli-1', 'inventory_sync', 'erp.inventory.posted', 6_000, { system: 'erp', location_id: 'store-001', sku: 'SKU-7', quantity: -1 }),
    event('i3', 'inv-sqli-1', 'inventory_sync', 'channel.published', 9_000, { system: 'shopify', location_id: 'store-001', sku: 'SKU-7', quantity: -1, channel: 'shopify' }),
    event('s1', 'settlement-STL-7001', 'settlement_to_ledger', 'marketplace.settlement.reported', 10_000, { system: 'amazon', amount: '10.00', currency: 'EUR', keys: { settlement_id: 'STL-7001' } }),
  ];
  const res = await postEvents(server, events);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { accepted: number }).accepted).toBe(events.length);
  await server.flush();
  before = await storedState();
  // Something to change: the order's lineage, the failed refund's exception, the stock movement.
  expect(before.lineage[0]!.events).toEqual(expect.arrayContaining(['o1', 'o2']));
  expect(before.lineage[2]!.events).toEqual(['i1', 'i2', 'i3']);
  expect(before.exceptions[0]).toBeGreaterThanOrEqual(1);
});
afterAll(async () => {
  await server?.close();
});

describe('verdictOn (the check can fail)', () => {
  const answer = (status: number, text: string, code?: string): Answer => ({ status, headers: {}, text, ...(code === undefined ? {} : { code, message: '', fields: [] }) });
  it('refuses an answer that found more than a harmless value did, a 5xx, and an unnamed error', () => {
    const none = answer(200, '{"total":0,"exceptions":[]}');
    expect(verdictOn('owner', "' OR 1=1 --", answer(200, '{"total":1,"exceptions":[{"id":"x"}]}'), HARMLESS, none)).toMatchObject({ ok: false });
    expect(verdictOn('owner', "' OR 1=1 --", answer(500, '{}', 'internal'), HARMLESS, none)).toMatchObject({ ok: false });
    expect(verdictOn('owner', "' OR 1=1 --", answer(400, '{}', 'invalid_query'), HARMLESS, none)).toMatchObject({ ok: false });
    expect(verdictOn('owner', "' OR 1=1 --", answer(200, '{"owner":"\' OR 1=1 --","total":0,"exceptions":[]}'), HARMLESS, answer(200, `{"owner":"${HARMLESS}","total":0,"exceptions":[]}`))).toEqual({ ok: true, how: 'same_as_harmless' });
  });
});

describe(`SQL injection in every filter parameter changes nothing: ${ROUTES.length} routes, ${PARAMETERS} parameters, ${COMBINATIONS} (route, parameter, payload) combinations`, () => {
  for (const spec of ROUTES) {
    it(`${spec.route}: ${[...spec.query, ...(spec.pathParam ? [`:${spec.pathParam.name}`] : [])].join(', ')}`, { timeout: 180_000 }, async () => {
      const problems: string[] = [];
      for (const probe of probesOf(spec)) {
        const harmlessValue = probe.prefix + HARMLESS;
        const harmless = await get(probe.url(harmlessValue));
        expect(harmless.status, `${spec.route} ${probe.param}=${harmlessValue}: ${harmless.text.slice(0, 200)}`).toBeLessThan(500);
        const values = payloadsFor(probe);
        // A few at once, as the dashboard does, so the engine's connections are exercised together.
        for (let i = 0; i < values.length; i += 6) {
          const batch = values.slice(i, i + 6);
          const answers = await Promise.all(batch.map((value) => get(probe.url(value))));
          answers.forEach((answer, j) => {
            const value = batch[j]!;
            const verdict = verdictOn(probe.param, value, answer, harmlessValue, harmless);
            if (verdict.ok) {
              tally[verdict.how]++;
              if (verdict.how === 'same_as_harmless' && answer.status < 300) tally.same_as_harmless_2xx++;
            } else problems.push(`${probe.param}=${JSON.stringify(value.length > 60 ? `${value.slice(0, 20)}…(${value.length} chars)` : value)}: ${verdict.why}`);
          });
        }
        tally.sent += values.length;
      }
      expect(problems).toEqual([]);
    });
  }

  it('leaves the stored data as it was', async () => {
    console.info(`sql injection: ${tally.sent} of ${COMBINATIONS} (route, parameter, payload) combinations sent: ${tally.refused_naming_it} refused naming the parameter, ${tally.same_as_harmless} answered as a harmless value (${tally.same_as_harmless_2xx} of them 2xx)`);
    expect(tally.sent).toBe(COMBINATIONS);
    expect(await storedState()).toEqual(before);
  });
});
