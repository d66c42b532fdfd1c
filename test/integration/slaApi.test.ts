import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../server/contracts/api.js';
import { slaBreachesSchema, slaSeriesSchema, slaStatusSchema } from '../../server/contracts/slaApi.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;
const T = Date.now() - 10 * 60_000;
const refund = (id: string, journalAfterMs?: number) => [
  { event_id: `${id}:refund`, correlation_id: `rtr-${id}`, flow: 'return_to_refund', step: 'payment.refund.created', system: 'stripe', occurred_at: T, keys: { refund_id: id } },
  ...(journalAfterMs === undefined ? [] : [{ event_id: `${id}:journal`, correlation_id: `rtr-${id}`, flow: 'return_to_refund', step: 'erp.journal.posted', system: 'erp', occurred_at: T + journalAfterMs, keys: { refund_id: id, journal_id: `JE-${id}` } }]),
];

/** An order on a channel, shipped after `shippedAfterMs` (never when undefined). */
const order = (id: string, channel: string, shippedAfterMs?: number) => [
  { event_id: `${id}:created`, correlation_id: `otc-${id}`, flow: 'order_to_cash', step: 'shop.order.created', system: 'shopify', channel, occurred_at: T, keys: { order_id: id } },
  ...(shippedAfterMs === undefined ? [] : [{ event_id: `${id}:shipped`, correlation_id: `otc-${id}`, flow: 'order_to_cash', step: 'wms.order.shipped', system: 'wms', channel, occurred_at: T + shippedAfterMs, keys: { order_id: id } }]),
];

beforeAll(async () => {
  server = await startTestServer();
  const orders = [...order('SO-1', 'shopify', 60_000), ...order('SO-2', 'shopify', 200_000), ...order('AZ-1', 'amazon')];
  expect((await postEvents(server, [...refund('re_ok', 30_000), ...refund('re_late', 300_000), ...refund('re_lost'), ...orders])).status).toBe(200);
  await server.flush();
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/slas', () => {
  it('evaluates each policy: met, finished late, still open past the deadline', async () => {
    const body = (await (await server.api('/api/v1/slas', {}, 'viewer')).json()) as { policies: { id: string; met: number; late: number; open_breached: number; attainment: number; breaching: boolean; owner: string; deadline_ms: number }[] };
    expect(body.policies.map((p) => p.id)).toContain('inventory-published');
    const ledger = body.policies.find((p) => p.id === 'refund-ledger')!;
    expect(ledger).toMatchObject({ met: 1, late: 1, open_breached: 1, attainment: 1 / 3, breaching: true, owner: 'finance', deadline_ms: 120_000 });
  });

  it('says what each policy measures and how much of its error budget is left, in the shape the web app parses', async () => {
    const body = slaStatusSchema.parse(await (await server.api('/api/v1/slas', {}, 'viewer')).json());
    const ledger = body.policies.find((p) => p.id === 'refund-ledger')!;
    expect(ledger).toMatchObject({ start_steps: ['payment.refund.created'], end_step: 'erp.journal.posted', per_channel: false, end_channel: null, severity: 'critical', window_ms: 3_600_000 });
    // 99 % of 3 decided allows 0.03 broken; 2 broke: the budget is spent about 66 times over.
    expect(ledger.error_budget).toEqual({ allowed: expect.closeTo(0.03, 9), spent: 2, remaining: expect.closeTo(1 - 2 / 0.03, 6) });
    // All three refunds started 10 min ago: nothing decided in the 5 min window, so no alert however bad the hour.
    expect(ledger.burn).toMatchObject({ factor: 14.4, alerting: false, short: { window_ms: 300_000, rate: null }, long: { window_ms: 3_600_000, rate: expect.closeTo(2 / 3 / 0.01, 6) } });
    const shipped = body.policies.find((p) => p.id === 'order-shipped')!;
    expect(shipped.group_by).toEqual(['channel']);
    expect(shipped.groups.map((g) => [g.group.channel, g.met, g.late, g.open_breached, g.attainment])).toEqual([
      ['amazon', 0, 0, 1, 0],
      ['shopify', 1, 1, 0, 0.5],
    ]);
  });

  it('lists the breaches per business key, most overdue first', async () => {
    const body = (await (await server.api('/api/v1/slas/refund-ledger/breaches', {}, 'viewer')).json()) as { total: number; breaches: { correlation_id: string; outcome: string; overdue_by_ms: number; keys: Record<string, string> }[] };
    expect(body.total).toBe(2);
    expect(body.breaches.map((b) => [b.correlation_id, b.outcome, b.keys.refund_id])).toEqual([
      ['rtr-re_lost', 'open_breached', 're_lost'],
      ['rtr-re_late', 'late', 're_late'],
    ]);
    expect(body.breaches[1]!.overdue_by_ms).toBe(180_000);
    const open = slaBreachesSchema.parse(await (await server.api('/api/v1/slas/refund-ledger/breaches?outcome=open_breached', {}, 'viewer')).json());
    expect(open).toMatchObject({ total: 1, deadline_ms: 120_000, group: {}, by_outcome: { late: 1, open_breached: 1 } });
    expect(open.breaches[0]).toMatchObject({ correlation_id: 'rtr-re_lost', start_ms: T, due_ms: T + 120_000, end_ms: null });
  });

  it('lists the breaches of one group of a grouped policy', async () => {
    const all = slaBreachesSchema.parse(await (await server.api('/api/v1/slas/order-shipped/breaches', {}, 'viewer')).json());
    expect(all.breaches.map((b) => [b.keys.order_id, b.group.channel, b.outcome])).toEqual([
      ['AZ-1', 'amazon', 'open_breached'],
      ['SO-2', 'shopify', 'late'],
    ]);
    const shopify = slaBreachesSchema.parse(await (await server.api('/api/v1/slas/order-shipped/breaches?group=channel:shopify', {}, 'viewer')).json());
    expect(shopify).toMatchObject({ total: 1, group: { channel: 'shopify' }, by_outcome: { late: 1, open_breached: 0 } });
    expect(shopify.breaches[0]).toMatchObject({ outcome: 'late', end_ms: T + 200_000, overdue_by_ms: 80_000 });
  });

  it('gives the attainment over the window by start time, for all or one group', async () => {
    const series = slaSeriesSchema.parse(await (await server.api('/api/v1/slas/order-shipped/series?buckets=60', {}, 'viewer')).json());
    expect(series).toMatchObject({ policy: 'order-shipped', objective: 0.99, bucket_ms: 60_000, group: {} });
    expect(series.to - series.from).toBe(3_600_000);
    const started = series.points.filter((p) => p.met + p.late + p.open_breached + p.in_progress > 0);
    expect(started).toEqual([{ t: Math.floor(T / 60_000) * 60_000, met: 1, late: 1, open_breached: 1, in_progress: 0, attainment: 1 / 3 }]);
    expect(series.points.every((p, i) => i === 0 || p.t - series.points[i - 1]!.t === 60_000)).toBe(true);
    const amazon = slaSeriesSchema.parse(await (await server.api('/api/v1/slas/order-shipped/series?group=channel:amazon', {}, 'viewer')).json());
    expect(amazon.points.filter((p) => p.open_breached > 0).map((p) => [p.open_breached, p.attainment])).toEqual([[1, 0]]);
  });

  it('lists a step missing past its deadline as an exception owned by the policy\'s team', async () => {
    const body = (await (await server.api('/api/v1/exceptions?kind=missing_step&flow=return_to_refund', {}, 'viewer')).json()) as { total: number; exceptions: { kind: string; correlation_id: string; step: string; owner: { id: string }; error: { code: string; message: string }; age_ms: number }[] };
    expect(body.exceptions.map((e) => [e.kind, e.correlation_id, e.step, e.owner.id, e.error.code])).toEqual([['missing_step', 'rtr-re_lost', 'erp.journal.posted', 'finance', 'SLA_DEADLINE_MISSED']]);
    expect(body.exceptions[0]!.error.message).toMatch(/^erp\.journal\.posted not seen \d+[smh] past the 2m deadline of "Refunds in the ledger within 2 min"$/);
    const bad = await server.api('/api/v1/exceptions?kind=late', {}, 'viewer');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.message).toBe('kind: unknown kind late; use failed_step, missing_step, mismatch, or several separated by commas');
  });

  it('answers 404 naming the policies for an unknown one, and 400 for a bad parameter', async () => {
    const missing = await server.api('/api/v1/slas/refund-ledgr/breaches', {}, 'viewer');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ApiError).error.message).toMatch(/^no SLA policy refund-ledgr; the policies are .*refund-ledger/);
    const bad = await server.api('/api/v1/slas/refund-ledger/breaches?outcome=slow', {}, 'viewer');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.message).toBe('outcome: outcome must be late or open_breached');
  });

  it.each([
    ['/api/v1/slas/order-shipped/breaches?group=region:eu', 'group: "region:eu" names no dimension the policy groups by; use dimension:value with a dimension of this policy (channel), e.g. channel:…'],
    ['/api/v1/slas/refund-ledger/series?group=channel:amazon', 'group: "channel:amazon" names no dimension the policy groups by; this policy has no groups'],
    ['/api/v1/slas/order-shipped/series?buckets=5', 'buckets: buckets must be at least 10'],
    ['/api/v1/slas/order-shipped/series?from=0', 'from'],
  ])('answers 400 naming the parameter: %s', async (path, message) => {
    const response = await server.api(path, {}, 'viewer');
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiError).error.message).toContain(message);
  });

  it('answers 404 for the series of an unknown policy', async () => {
    expect((await server.api('/api/v1/slas/nope/series', {}, 'viewer')).status).toBe(404);
  });
});
