import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiError } from '../../server/contracts/api.js';
import { inventoryLagByLocationSchema, inventoryLagNowSchema, inventoryLagResponseSchema, inventoryMovementsSchema, staleStockSchema, worstLagSchema } from '../../server/contracts/inventoryApi.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

const T = Date.now() - 30 * 60_000;
let server: TestServer;
const get = async (path: string) => {
  const response = await server.api(path, {}, 'viewer');
  return { status: response.status, body: (await response.json()) as unknown };
};
const movement = (id: string, location: string, steps: [string, number, string?][]) =>
  steps.map(([step, at, channel]) => ({ event_id: `${id}:${step}:${channel ?? ''}`, correlation_id: id, flow: 'inventory_sync', step, system: 'x', occurred_at: T + at, location_id: location, sku: 'SKU-7', quantity: -1, ...(channel ? { channel } : {}) }));

beforeAll(async () => {
  server = await startTestServer();
  const events = [
    ...movement('m1', 'store-001', [['pos.sale.captured', 0], ['erp.inventory.posted', 4_000], ['channel.published', 9_000, 'shopify'], ['channel.published', 30_000, 'amazon'], ['channel.published', 12_000, 'zalando']]),
    ...movement('m2', 'store-002', [['pos.sale.captured', 60_000], ['erp.inventory.posted', 62_000], ['channel.published', 65_000, 'shopify']]),
  ];
  expect((await postEvents(server, events)).status).toBe(200);
  await server.flush();
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/inventory/…', () => {
  it('answers lag per milestone over a range and per minute', async () => {
    const { status, body } = await get(`/api/v1/inventory/lag?from=${T - 1}&to=${new Date(T + 3_600_000).toISOString()}`);
    expect(status).toBe(200);
    const lag = inventoryLagResponseSchema.parse(body);
    expect(lag.targets.map((t) => [t.target, t.summary.count, t.summary.pending, t.summary.max])).toEqual([
      ['erp', 2, 0, 4_000],
      ['shopify', 2, 0, 9_000],
      ['amazon', 2, 1, 30_000],
      ['zalando', 2, 1, 12_000],
    ]);
    expect(lag.targets[1]!.series.map((s) => s.count)).toEqual([1, 1]);
    const one = inventoryLagResponseSchema.parse((await get(`/api/v1/inventory/lag?from=${T - 1}&location=store-002`)).body);
    expect(one.location).toBe('store-002');
    expect(one.targets[0]!.summary.count).toBe(1);
  });

  it('says how stale each channel is now, and which locations are worst', async () => {
    const now = inventoryLagNowSchema.parse((await get('/api/v1/inventory/lag/now?window=3600')).body);
    const amazon = now.targets.find((t) => t.target === 'amazon')!;
    expect(amazon.pending).toBe(1);
    expect(amazon.oldest_pending_ms).toBeGreaterThan(25 * 60_000);
    const worst = worstLagSchema.parse((await get(`/api/v1/inventory/lag/worst?from=${T - 1}&by=location&target=shopify`)).body);
    expect(worst.rows.map((r) => [r.key, r.p95])).toEqual([
      ['store-001', 9_000],
      ['store-002', 5_000],
    ]);
  });

  it('ranks SKUs at one location, or locations for one SKU', async () => {
    const skus = worstLagSchema.parse((await get(`/api/v1/inventory/lag/worst?from=${T - 1}&by=sku&target=shopify&location=store-002`)).body);
    expect(skus).toMatchObject({ location: 'store-002', sku: null, rows: [{ key: 'SKU-7', count: 1, p95: 5_000 }] });
    const none = worstLagSchema.parse((await get(`/api/v1/inventory/lag/worst?from=${T - 1}&by=location&sku=SKU-0`)).body);
    expect(none.rows).toEqual([]);
  });

  it('answers lag per location and target for the heatmap, worst location first', async () => {
    const { status, body } = await get(`/api/v1/inventory/lag/by-location?from=${T - 1}&percentile=p99`);
    expect(status).toBe(200);
    const heat = inventoryLagByLocationSchema.parse(body);
    expect(heat.targets.map((t) => t.target)).toEqual(['erp', 'shopify', 'amazon', 'zalando']);
    expect(heat.locations_total).toBe(2);
    // store-002 still waits for Amazon and Zalando, 29 minutes on: worse than store-001's 30 s.
    expect(heat.rows.map((r) => r.location)).toEqual(['store-002', 'store-001']);
    expect(heat.rows[1]!.targets.map((t) => [t.target, t.p99, t.pending])).toEqual([
      ['erp', 4_000, 0],
      ['shopify', 9_000, 0],
      ['amazon', 30_000, 0],
      ['zalando', 12_000, 0],
    ]);
    expect(heat.rows[0]!.targets[2]!.oldest_pending_ms).toBeGreaterThan(25 * 60_000);
    const one = inventoryLagByLocationSchema.parse((await get(`/api/v1/inventory/lag/by-location?from=${T - 1}&limit=1`)).body);
    expect(one.rows.map((r) => r.location)).toEqual(['store-002']);
  });

  it('lists the movements behind a minute, slowest first, with their correlation ids for lineage', async () => {
    const { status, body } = await get(`/api/v1/inventory/movements?from=${T}&to=${T + 120_000}&target=amazon`);
    expect(status).toBe(200);
    const list = inventoryMovementsSchema.parse(body);
    expect(list).toMatchObject({ target: 'amazon', count: 2, pending: 1 });
    expect(list.movements.map((m) => [m.correlation_id, m.location_id, m.sku, m.source_step, m.reached_at === null ? 'waiting' : m.reached_at - m.source_at])).toEqual([
      ['m2', 'store-002', 'SKU-7', 'pos.sale.captured', 'waiting'],
      ['m1', 'store-001', 'SKU-7', 'pos.sale.captured', 30_000],
    ]);
    expect(list.movements[0]!.lag_ms).toBeGreaterThan(25 * 60_000);
    const one = inventoryMovementsSchema.parse((await get(`/api/v1/inventory/movements?from=${T}&to=${T + 120_000}&target=erp&location=store-001`)).body);
    expect(one.movements.map((m) => [m.correlation_id, m.lag_ms])).toEqual([['m1', 4_000]]);
  });

  it('lists stale SKU-locations with their oversell risk', async () => {
    const stale = staleStockSchema.parse((await get('/api/v1/inventory/stale?threshold=600&channel=amazon')).body);
    expect(stale.rows).toEqual([expect.objectContaining({ sku: 'SKU-7', location_id: 'store-002', channel: 'amazon', units_sold_per_hour: expect.any(Number) })]);
    expect(stale.rows[0]!.stale_ms).toBeGreaterThan(25 * 60_000);
  });

  it.each([
    ['/api/v1/inventory/lag?from=yesterday', 'from: must be epoch milliseconds or an ISO 8601 time with a zone, e.g. 2026-11-27T10:00:00Z'],
    [`/api/v1/inventory/lag?from=${T}&to=${T - 1}`, 'to: must be later than from'],
    [`/api/v1/inventory/lag?from=${T - 8 * 86_400_000}&to=${T}`, 'from: the range is at most 7 days (604800 s); ask for a shorter one'],
    ['/api/v1/inventory/lag/now?window=10', 'window: window must be at least 60 seconds'],
    ['/api/v1/inventory/lag/worst?target=ebay', 'target: "ebay" is not erp or a channel of inventory_sync (shopify, amazon, zalando)'],
    ['/api/v1/inventory/lag/worst?by=region', 'by: by must be location or sku'],
    ['/api/v1/inventory/stale?channel=erp', 'channel: "erp" is not a channel of inventory_sync (shopify, amazon, zalando)'],
    ['/api/v1/inventory/lag/by-location?percentile=p90', 'percentile: percentile must be p50, p95 or p99'],
    ['/api/v1/inventory/lag/by-location?limit=500', 'limit: limit must be at most 200'],
    [`/api/v1/inventory/movements?from=${T}&to=${T + 60_000}`, 'target: target is required: erp or a channel'],
    [`/api/v1/inventory/movements?to=${T + 60_000}&target=erp`, 'from: from is required: epoch milliseconds or an ISO 8601 time with a zone'],
    [`/api/v1/inventory/movements?from=${T}&to=${T + 60_000}&target=ebay`, 'target: "ebay" is not erp or a channel of inventory_sync (shopify, amazon, zalando)'],
    [`/api/v1/inventory/movements?from=${T}&to=${T + 3_600_000}&target=erp`, 'to: the window is at most 10 minutes (600 s) after from; pick a point of the lag chart or ask for a shorter one'],
    [`/api/v1/inventory/movements?from=${T}&to=${T}&target=erp`, 'to: must be later than from'],
  ])('answers 400 naming the parameter: %s', async (path, message) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect((body as ApiError).error).toMatchObject({ code: 'invalid_query', message });
  });

  it('refuses an unknown parameter, naming it', async () => {
    const { status, body } = await get('/api/v1/inventory/lag?chanel=amazon');
    expect(status).toBe(400);
    expect((body as ApiError).error.message).toMatch(/chanel/);
  });
});
