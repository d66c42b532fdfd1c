import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import { snapshotWindow } from '../../services/movementSnapshots.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { toEventRow } from '../eventRows.js';
import { migrate } from '../migrate.js';
import { schemaFor } from '../schema.js';
import { inventoryLagByLocation, slowestMovements } from './inventoryDrillDown.js';
import type { LagScope } from './inventoryLag.js';
import { movementSnapshot, refreshMovementSnapshot } from './inventoryMovements.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-drilldown-'));
// Half a minute past the hour: movements of the last hour are read live, older ones from the snapshot.
const NOW = Date.parse('2026-11-27T15:00:30Z');
const SEC = 1_000;
const MIN = 60_000;
const milestones = { flow: 'inventory_sync', sources: ['pos.sale.captured', 'wms.receipt.posted'], erpPosted: 'erp.inventory.posted', published: 'channel.published', channels: ['shopify', 'amazon'] };
let store: StoreClients;

type Step = [correlation: string, step: string, at: number, extra?: Record<string, unknown>];
async function insert(steps: Step[]): Promise<void> {
  const values = steps.map(([correlation, step, at, extra], i) => {
    const result = validateEvent({ event_id: `${correlation}:${step}:${String(extra?.channel ?? '')}:${i}`, correlation_id: correlation, flow: 'inventory_sync', step, system: 'x', occurred_at: at, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, '2026-11-27 15:00:00.000');
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow' });
}

/** A movement at `at`: `source` step, then the ERP after `erp` seconds and each channel after its seconds. */
function movement(id: string, at: number, location: string, sku: string, erp?: number, published: Record<string, number> = {}, source = 'pos.sale.captured'): Step[] {
  const where = (channel?: string) => ({ location_id: location, sku, quantity: -2, ...(channel ? { channel } : {}) });
  return [
    [id, source, at, where()],
    ...(erp === undefined ? [] : [[id, 'erp.inventory.posted', at + erp * SEC, where()] as Step]),
    ...Object.entries(published).map(([channel, after]) => [id, 'channel.published', at + after * SEC, where(channel)] as Step),
  ];
}

const HOUR_AGO = NOW - 2 * 60 * MIN; // settled: served from the snapshot
const RECENT = NOW - 10 * MIN; // in flight: read live

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  await insert([
    // Two hours ago: store-001 slow on Amazon, store-002 quick everywhere, the DC never reached Amazon.
    ...movement('old-1', HOUR_AGO, 'store-001', 'SKU-1', 2, { shopify: 5, amazon: 300 }),
    ...movement('old-2', HOUR_AGO + 10 * SEC, 'store-001', 'SKU-2', 3, { shopify: 6, amazon: 200 }),
    ...movement('old-3', HOUR_AGO + 20 * SEC, 'store-002', 'SKU-1', 1, { shopify: 2, amazon: 4 }),
    ...movement('old-4', HOUR_AGO + 30 * SEC, 'dc-berlin', 'SKU-3', 1, { shopify: 3 }, 'wms.receipt.posted'),
    // Ten minutes ago, one minute: three movements, one still waiting for the ERP and every channel.
    ...movement('new-1', RECENT + 5 * SEC, 'store-002', 'SKU-1', 4, { shopify: 10, amazon: 90 }),
    ...movement('new-2', RECENT + 15 * SEC, 'store-001', 'SKU-2', 2, { shopify: 20 }),
    ...movement('new-3', RECENT + 25 * SEC, 'store-003', 'SKU-9'),
    // Just outside that minute, before and after.
    ...movement('edge-before', RECENT - 1, 'store-001', 'SKU-1', 1, { shopify: 1, amazon: 1 }),
    ...movement('edge-after', RECENT + MIN, 'store-001', 'SKU-1', 1, { shopify: 1, amazon: 1 }),
    // Source a minute before the hour, its publication after it: one movement across two hour rows.
    ...movement('span', Date.parse('2026-11-27T13:59:30Z'), 'store-004', 'SKU-4', 20, { shopify: 45, amazon: 75 }),
  ]);
  await refreshMovementSnapshot(store.query, schema, milestones, snapshotWindow(NOW), NOW);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const scope = (extra: Partial<LagScope> = {}): LagScope => ({ from: NOW - 3 * 60 * MIN, to: NOW, milestones, ...extra });

describe('lag by location and target', () => {
  it('ranks locations by their worst p95 on any target, a movement still waiting counting at its age', async () => {
    const { rows, locationsTotal } = await inventoryLagByLocation(store.query, schema, scope(), NOW, 'p95', 10);
    expect(locationsTotal).toBe(5);
    // The DC has waited 2 h on Amazon; store-001's new-2 9 min 45 s (beyond its p95 of 300 s), store-003's new-3
    // 9 min 35 s on everything; store-002's Amazon p95 is 90 s, store-004's 75 s.
    expect([...new Set(rows.map((r) => r.location))]).toEqual(['dc-berlin', 'store-001', 'store-003', 'store-002', 'store-004']);
    const store001 = rows.filter((r) => r.location === 'store-001');
    expect(store001.map((r) => [r.target, r.count, r.pending, r.p95, r.max])).toEqual([
      ['amazon', 5, 1, 300 * SEC, 300 * SEC],
      ['erp', 5, 0, 3 * SEC, 3 * SEC],
      ['shopify', 5, 0, 20 * SEC, 20 * SEC],
    ]);
    expect(store001[0]).toMatchObject({ oldestPendingMs: NOW - RECENT - 15 * SEC, worstMs: NOW - RECENT - 15 * SEC });
    expect(rows.find((r) => r.location === 'dc-berlin' && r.target === 'amazon')).toMatchObject({ count: 1, pending: 1, oldestPendingMs: NOW - HOUR_AGO - 30 * SEC });
  });

  it('keeps the worst `limit` locations, by the percentile asked, for one SKU if asked', async () => {
    const two = await inventoryLagByLocation(store.query, schema, scope({ from: NOW - 3 * 60 * MIN, to: NOW - 30 * MIN }), NOW, 'p50', 2);
    expect([...new Set(two.rows.map((r) => r.location))]).toEqual(['dc-berlin', 'store-001']);
    expect(two.locationsTotal).toBe(4);
    const sku1 = await inventoryLagByLocation(store.query, schema, scope({ sku: 'SKU-1' }), NOW, 'p95', 10);
    expect([...new Set(sku1.rows.map((r) => r.location))]).toEqual(['store-001', 'store-002']);
  });

  it('gives the same figures from the snapshot as from reading every movement live', async () => {
    const snapshot = await movementSnapshot(store.query, schema, milestones.flow);
    expect(snapshot).not.toBeNull();
    for (const s of [scope(), scope({ sku: 'SKU-1' }), scope({ from: NOW - 150 * MIN, to: NOW - 100 * MIN })]) {
      const live = await inventoryLagByLocation(store.query, schema, s, NOW, 'p95', 10);
      expect(await inventoryLagByLocation(store.query, schema, { ...s, snapshot }, NOW, 'p95', 10)).toEqual(live);
      expect(live.rows.length).toBeGreaterThan(0);
    }
  });
});

describe('the movements behind a point of the chart', () => {
  const minute = { from: RECENT, to: RECENT + MIN, milestones };

  it('lists the minute\'s movements slowest first, one still waiting at its age, with what lineage needs', async () => {
    const amazon = await slowestMovements(store.query, schema, minute, NOW, 'amazon', 50);
    expect(amazon).toMatchObject({ count: 3, pending: 2 });
    // Ten minutes on, new-2 and new-3 still wait (9 min 45 s and 9 min 35 s); new-1 took 90 s.
    expect(amazon.rows.map((r) => [r.correlationId, r.doneMs === 0 ? 'waiting' : 'reached', r.lagMs])).toEqual([
      ['new-2', 'waiting', 585 * SEC],
      ['new-3', 'waiting', 575 * SEC],
      ['new-1', 'reached', 90 * SEC],
    ]);
    expect(amazon.rows[2]).toEqual({ correlationId: 'new-1', sourceStep: 'pos.sale.captured', sourceMs: RECENT + 5 * SEC, locationId: 'store-002', sku: 'SKU-1', quantity: -2, doneMs: RECENT + 95 * SEC, lagMs: 90 * SEC });
  });

  it('orders by lag to the target asked, narrows to a location or SKU, and keeps to the limit', async () => {
    const erp = await slowestMovements(store.query, schema, minute, NOW, 'erp', 2);
    expect(erp).toMatchObject({ count: 3, pending: 1 });
    expect(erp.rows.map((r) => r.correlationId)).toEqual(['new-3', 'new-1']);
    expect((await slowestMovements(store.query, schema, { ...minute, location: 'store-001' }, NOW, 'shopify', 50)).rows.map((r) => r.correlationId)).toEqual(['new-2']);
    expect((await slowestMovements(store.query, schema, { ...minute, sku: 'SKU-9' }, NOW, 'shopify', 50)).rows.map((r) => r.correlationId)).toEqual(['new-3']);
    expect(await slowestMovements(store.query, schema, { ...minute, sku: 'nothing' }, NOW, 'shopify', 50)).toEqual({ rows: [], count: 0, pending: 0 });
  });

  it('merges a movement whose later steps are in the next hour, and names its source step', async () => {
    const at = Date.parse('2026-11-27T13:59:00Z');
    const [span] = (await slowestMovements(store.query, schema, { from: at, to: at + MIN, milestones }, NOW, 'amazon', 50)).rows;
    expect(span).toMatchObject({ correlationId: 'span', lagMs: 75 * SEC, doneMs: Date.parse('2026-11-27T14:00:45Z') });
    const [receipt] = (await slowestMovements(store.query, schema, { from: HOUR_AGO + 30 * SEC, to: HOUR_AGO + 31 * SEC, milestones }, NOW, 'amazon', 50)).rows;
    expect(receipt).toMatchObject({ correlationId: 'old-4', sourceStep: 'wms.receipt.posted', doneMs: 0, lagMs: NOW - HOUR_AGO - 30 * SEC });
  });

  it('counts the same movements per minute as the lag chart', async () => {
    const { rows } = await inventoryLagByLocation(store.query, schema, scope({ from: RECENT, to: RECENT + MIN }), NOW, 'p95', 10);
    const charted = rows.filter((r) => r.target === 'amazon').reduce((n, r) => n + r.count, 0);
    expect((await slowestMovements(store.query, schema, minute, NOW, 'amazon', 50)).count).toBe(charted);
  });
});
