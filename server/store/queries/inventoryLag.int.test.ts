import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { toEventRow } from '../eventRows.js';
import { migrate } from '../migrate.js';
import { schemaFor } from '../schema.js';
import { inventoryLag, inventoryStalenessNow, staleStock, worstInventoryLag, type LagScope } from './inventoryLag.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-lag-'));
const T = Date.parse('2026-11-27T10:59:00Z');
const milestones = { flow: 'inventory_sync', sources: ['pos.sale.captured', 'wms.receipt.posted'], erpPosted: 'erp.inventory.posted', published: 'channel.published', channels: ['shopify', 'amazon'] };
const scope = (extra: Partial<LagScope> = {}): LagScope => ({ from: T, to: T + 3_600_000, milestones, ...extra });
let store: StoreClients;

type Step = [correlation: string, step: string, atSeconds: number, extra?: Record<string, unknown>];
async function insert(steps: Step[]): Promise<void> {
  const values = steps.map(([correlation, step, at, extra], i) => {
    const result = validateEvent({ event_id: `${correlation}:${step}:${String(extra?.channel ?? '')}:${String(extra?.status ?? 'ok')}:${i}:${at}`, correlation_id: correlation, flow: 'inventory_sync', step, system: 'x', occurred_at: T + at * 1000, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, '2026-11-27 12:00:00.000');
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow' });
}
const where = (location: string, sku: string, quantity = -1) => ({ location_id: location, sku, quantity });

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  // m1: a store sale across the hour boundary, published on both channels (the Amazon update sent twice).
  await insert([
    ['m1', 'pos.sale.captured', 59, where('store-001', 'SKU-1')],
    ['m1', 'erp.inventory.posted', 62, where('store-001', 'SKU-1')],
  ]);
  await insert([
    ['m1', 'channel.published', 65, { ...where('store-001', 'SKU-1'), channel: 'shopify' }],
    ['m1', 'channel.published', 70, { ...where('store-001', 'SKU-1'), channel: 'amazon', status: 'retrying' }],
    ['m1', 'channel.published', 89, { ...where('store-001', 'SKU-1'), channel: 'amazon' }],
    ['m1', 'channel.published', 99, { ...where('store-001', 'SKU-1'), channel: 'amazon' }],
  ]);
  // m2: arrives out of order (publication first); Amazon still pending.
  await insert([['m2', 'channel.published', 140, { ...where('store-002', 'SKU-2', -2), channel: 'shopify' }]]);
  await insert([
    ['m2', 'erp.inventory.posted', 130, where('store-002', 'SKU-2', -2)],
    ['m2', 'pos.sale.captured', 120, where('store-002', 'SKU-2', -2)],
  ]);
  // m3: a goods receipt not posted yet; m0: a movement before the scope.
  await insert([
    ['m3', 'wms.receipt.posted', 200, where('dc-berlin', 'SKU-1', 48)],
    ['m0', 'pos.sale.captured', -30, where('store-001', 'SKU-1')],
    ['m0', 'erp.inventory.posted', 10, where('store-001', 'SKU-1')],
  ]);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('inventory lag queries on the real engine', () => {
  it('measures each movement from its source to the ERP and to each channel, pending ones counted apart', async () => {
    const { summary: rows } = await inventoryLag(store.query, schema, scope(), T + 7_200_000);
    expect(rows).toEqual([
      // m1: 30 s; m2 (out of order): 30 s; m3 pending on all three.
      { target: 'amazon', count: 3, pending: 2, p50: 30_000, p95: 30_000, p99: 30_000, max: 30_000 },
      { target: 'erp', count: 3, pending: 1, p50: 10_000, p95: 10_000, p99: 10_000, max: 10_000 },
      { target: 'shopify', count: 3, pending: 1, p50: 20_000, p95: 20_000, p99: 20_000, max: 20_000 },
    ]);
  });

  it('splits it per minute of the source time', async () => {
    const { series: rows } = await inventoryLag(store.query, schema, scope(), T + 7_200_000);
    const shopify = rows.filter((r) => r.target === 'shopify').map((r) => [r.t - T, r.count, r.pending, r.p95]);
    expect(shopify).toEqual([
      [0, 1, 0, 6_000],
      [120_000, 1, 0, 20_000],
      [180_000, 1, 1, 0],
    ]);
  });

  it('narrows to one location or SKU, and leaves out movements whose source is outside the range', async () => {
    const { summary: store2 } = await inventoryLag(store.query, schema, scope({ location: 'store-002' }), T + 7_200_000);
    expect(store2.map((r) => [r.target, r.count, r.pending])).toEqual([
      ['amazon', 1, 1],
      ['erp', 1, 0],
      ['shopify', 1, 0],
    ]);
    const { summary: sku1 } = await inventoryLag(store.query, schema, scope({ sku: 'SKU-1', from: T + 100_000 }), T + 7_200_000);
    expect(sku1.map((r) => [r.target, r.count])).toEqual([
      ['amazon', 1],
      ['erp', 1],
      ['shopify', 1],
    ]);
  });

  it('says how stale each channel is now, pending movements counted at their age so far', async () => {
    const now = T + 260_000;
    const rows = await inventoryStalenessNow(store.query, schema, scope(), now);
    const amazon = rows.find((r) => r.target === 'amazon')!;
    // m1 30 s; m2 pending for 140 s; m3 pending for 60 s.
    expect(amazon).toMatchObject({ count: 3, pending: 2, p50: 60_000, p95: 140_000, max: 140_000, oldestPendingMs: 140_000 });
  });

  it('ranks the worst locations for a channel', async () => {
    const rows = await worstInventoryLag(store.query, schema, scope(), T + 7_200_000, 'location_id', 'shopify', 10);
    expect(rows).toEqual([
      { key: 'store-002', count: 1, pending: 0, p95: 20_000, max: 20_000 },
      { key: 'store-001', count: 1, pending: 0, p95: 6_000, max: 6_000 },
      { key: 'dc-berlin', count: 1, pending: 1, p95: 0, max: 0 },
    ]);
  });

  it('lists stale SKU-locations with the units sold there, worst risk first', async () => {
    const now = T + 400_000;
    const rows = await staleStock(store.query, schema, scope(), now, 60_000, undefined, 10);
    expect(rows).toEqual([
      { sku: 'SKU-2', location_id: 'store-002', channel: 'amazon', latestSourceMs: T + 120_000, staleMs: 280_000, unitsSold: 2 },
      { sku: 'SKU-1', location_id: 'dc-berlin', channel: 'amazon', latestSourceMs: T + 200_000, staleMs: 200_000, unitsSold: 0 },
      { sku: 'SKU-1', location_id: 'dc-berlin', channel: 'shopify', latestSourceMs: T + 200_000, staleMs: 200_000, unitsSold: 0 },
    ]);
    expect(await staleStock(store.query, schema, scope(), now, 250_000, 'amazon', 10)).toHaveLength(1);
  });
});
