import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import { createInventoryService } from '../../services/inventoryService.js';
import { snapshotWindow } from '../../services/movementSnapshots.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { toEventRow } from '../eventRows.js';
import { migrate } from '../migrate.js';
import { queryRows } from '../queryRows.js';
import { schemaFor } from '../schema.js';
import { sql } from '../sql.js';
import { inventoryLag, staleStock, worstInventoryLag, type LagScope } from './inventoryLag.js';
import { dropAbandonedStaging, movementSnapshot, refreshMovementSnapshot } from './inventoryMovements.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-movements-'));
const NOW = Date.parse('2026-11-27T15:00:30Z');
const MIN = 60_000;
const milestones = { flow: 'inventory_sync', sources: ['pos.sale.captured', 'wms.receipt.posted'], erpPosted: 'erp.inventory.posted', published: 'channel.published', channels: ['shopify', 'amazon'] };
let store: StoreClients;

type Step = [correlation: string, step: string, minutesAgo: number, extra?: Record<string, unknown>];
async function insert(steps: Step[]): Promise<void> {
  const values = steps.map(([correlation, step, ago, extra], i) => {
    const result = validateEvent({ event_id: `${correlation}:${step}:${String(extra?.channel ?? '')}:${i}:${ago}`, correlation_id: correlation, flow: 'inventory_sync', step, system: 'x', occurred_at: NOW - ago * MIN, ...extra });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return toEventRow(result.event, '2026-11-27 15:00:00.000');
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow' });
}
const at = (location: string, sku: string, channel?: string) => ({ location_id: location, sku, quantity: -1, ...(channel ? { channel } : {}) });

/** A store sale `ago` minutes ago, posted after `erp` minutes and published after the given minutes per channel. */
function movement(id: string, ago: number, location: string, sku: string, erp?: number, published: Record<string, number> = {}): Step[] {
  return [
    [id, 'pos.sale.captured', ago, at(location, sku)],
    ...(erp === undefined ? [] : [[id, 'erp.inventory.posted', ago - erp, at(location, sku)] as Step]),
    ...Object.entries(published).map(([channel, after]) => [id, 'channel.published', ago - after, at(location, sku, channel)] as Step),
  ];
}

const scope = (extra: Partial<LagScope> = {}): LagScope => ({ from: NOW - 26 * 60 * MIN, to: NOW, milestones, ...extra });

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  await insert([
    // Settled (older than an hour): done everywhere, across an hour boundary, still pending on Amazon, and one a day ago.
    ...movement('m1', 180, 'store-001', 'SKU-1', 0.5, { shopify: 1, amazon: 2 }),
    ...movement('m2', 121, 'store-002', 'SKU-2', 1, { shopify: 2, amazon: 3 }),
    ...movement('m3', 95, 'store-001', 'SKU-1', 0.2, { shopify: 0.5 }),
    ...movement('m4', 24 * 60, 'store-003', 'SKU-3', 3, { shopify: 4, amazon: 5 }),
    // In flight: the last hour, read live.
    ...movement('m5', 30, 'store-002', 'SKU-2', 0.4, { shopify: 1 }),
    ...movement('m6', 2, 'store-001', 'SKU-1'),
  ]);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the inventory movement snapshot', () => {
  it('holds the settled movements of the day before the last hour, swapped in whole', async () => {
    expect(await movementSnapshot(store.query, schema, milestones.flow)).toBeNull();
    const window = snapshotWindow(NOW);
    expect(await refreshMovementSnapshot(store.query, schema, milestones, window, NOW)).toBe(4);
    expect(await refreshMovementSnapshot(store.query, schema, milestones, window, NOW)).toBe(4);
    expect(await movementSnapshot(store.query, schema, milestones.flow)).toEqual({ ...window, refreshedAt: NOW, minutes: true });
    const leftovers = await queryRows<{ name: string }>(store.query, sql`SELECT name FROM system.tables WHERE database = 'flowlens' AND name LIKE 'inventory_movements_%'`);
    expect(leftovers).toEqual([]);
  });

  it('gives the same lag, per minute and over the range, as reading every movement live', async () => {
    const snapshot = await movementSnapshot(store.query, schema, milestones.flow);
    expect(snapshot?.minutes).toBe(true);
    // Whole snapshot minutes, ranges cutting into a minute at either end, one location, one SKU.
    const ranges = [scope(), scope({ from: NOW - 100 * MIN }), scope({ from: NOW - 180 * MIN + 10, to: NOW - 95 * MIN - 10 }), scope({ from: NOW - 3 * 60 * MIN, to: NOW - 90 * MIN }), scope({ location: 'store-001' }), scope({ sku: 'SKU-2' })];
    for (const s of ranges) {
      const live = await inventoryLag(store.query, schema, s, NOW);
      const served = await inventoryLag(store.query, schema, { ...s, snapshot }, NOW);
      expect(served).toEqual(live);
      expect(live.summary.length).toBeGreaterThan(0);
    }
    const summary = (await inventoryLag(store.query, schema, { ...scope(), snapshot }, NOW)).summary;
    expect(summary.find((r) => r.target === 'amazon')).toMatchObject({ count: 6, pending: 3 });
  });

  it('ranks and finds stale stock the same way', async () => {
    const snapshot = await movementSnapshot(store.query, schema, milestones.flow);
    expect(await worstInventoryLag(store.query, schema, { ...scope(), snapshot }, NOW, 'location_id', 'amazon', 10)).toEqual(await worstInventoryLag(store.query, schema, scope(), NOW, 'location_id', 'amazon', 10));
    expect(await staleStock(store.query, schema, { ...scope(), snapshot }, NOW, 5 * MIN, undefined, 10)).toEqual(await staleStock(store.query, schema, scope(), NOW, 5 * MIN, undefined, 10));
  });

  it('shows a late publication of a settled movement once rebuilt', async () => {
    await insert([['m3', 'channel.published', 90, at('store-001', 'SKU-1', 'amazon')]]);
    const amazon = async (snapshot: Awaited<ReturnType<typeof movementSnapshot>>) => (await inventoryLag(store.query, schema, { ...scope(), snapshot }, NOW)).summary.find((r) => r.target === 'amazon');
    expect((await amazon(null))?.pending).toBe(2);
    expect((await amazon(await movementSnapshot(store.query, schema, milestones.flow)))?.pending).toBe(3);
    // The service reads a snapshot only while it is young enough (one no server rebuilds any more is not read).
    const served = (clock: number) => createInventoryService(store.query, schema, milestones, { snapshotMaxAgeMs: 10 * MIN }, () => clock).lag({ from: NOW - 26 * 60 * MIN, to: NOW });
    expect((await served(NOW + MIN)).targets.find((t) => t.target === 'amazon')?.summary.pending).toBe(3);
    expect((await served(NOW + 11 * MIN)).targets.find((t) => t.target === 'amazon')?.summary.pending).toBe(2);
    await refreshMovementSnapshot(store.query, schema, milestones, snapshotWindow(NOW), NOW);
    expect(await amazon(await movementSnapshot(store.query, schema, milestones.flow))).toEqual(await amazon(null));
  });

  it('drops staging tables a refresh abandoned (a crash mid-build), not one another server is building', async () => {
    await store.query.command({ query: 'CREATE TABLE flowlens.inventory_movements_next_deadbeef01 AS flowlens.inventory_movements' });
    await store.query.command({ query: 'CREATE TABLE flowlens.inventory_lag_minutes_next_deadbeef01 AS flowlens.inventory_lag_minutes' });
    const tables = async () => (await queryRows<{ name: string }>(store.query, sql`SELECT name FROM system.tables WHERE database = 'flowlens' AND name LIKE '%_next_%' ORDER BY name`)).map((r) => r.name);
    expect(await dropAbandonedStaging(store.query, schema, 3_600_000, Date.now())).toEqual([]);
    expect(await tables()).toEqual(['inventory_lag_minutes_next_deadbeef01', 'inventory_movements_next_deadbeef01']);
    expect(await dropAbandonedStaging(store.query, schema, 3_600_000, Date.now() + 2 * 3_600_000)).toEqual(['inventory_movements_next_deadbeef01', 'inventory_lag_minutes_next_deadbeef01']);
    expect(await tables()).toEqual([]);
  });
});
