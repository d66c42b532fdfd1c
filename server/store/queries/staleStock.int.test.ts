import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import { snapshotWindow } from '../../services/movementSnapshots.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { toEventRow } from '../eventRows.js';
import { migrate } from '../migrate.js';
import { queryRows } from '../queryRows.js';
import { schemaFor } from '../schema.js';
import { param, sql } from '../sql.js';
import { staleStock, type LagScope, type StaleStockRow } from './inventoryLag.js';
import { movementSnapshot, movementTargets, refreshMovementSnapshot, type MovementSnapshot } from './inventoryMovements.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-stale-'));
const NOW = Date.parse('2026-11-27T15:00:30Z');
const MIN = 60_000;
const milestones = { flow: 'inventory_sync', sources: ['pos.sale.captured', 'wms.receipt.posted'], erpPosted: 'erp.inventory.posted', published: 'channel.published', channels: ['shopify', 'amazon'] };
let store: StoreClients;
let snapshot: MovementSnapshot | null;

type Movement = { id: string; ago: number; location: string; sku: string; quantity: number; source?: string; published?: Record<string, number> };

async function insert(movements: Movement[]): Promise<void> {
  const values = movements.flatMap((m) => {
    const facts = { location_id: m.location, quantity: m.quantity, ...(m.sku ? { sku: m.sku } : {}) };
    const steps: [string, number, string?][] = [
      [m.source ?? (m.quantity < 0 ? 'pos.sale.captured' : 'wms.receipt.posted'), m.ago],
      ['erp.inventory.posted', m.ago - 0.2],
      ...Object.entries(m.published ?? {}).map(([channel, after]): [string, number, string] => ['channel.published', m.ago - after, channel]),
    ];
    return steps.map(([step, ago, channel]) => {
      const result = validateEvent({ event_id: `${m.id}:${step}:${channel ?? ''}`, correlation_id: m.id, flow: 'inventory_sync', step, system: 'x', occurred_at: NOW - ago * MIN, ...facts, ...(channel ? { channel } : {}) });
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return toEventRow(result.event, '2026-11-27 15:00:00.000');
    });
  });
  await store.ingest.insert({ table: schema.insertTarget('events'), values, format: 'JSONEachRow' });
}

/**
 * The formulation this replaced (every SKU-location-channel of the lookback grouped): the reference the
 * two-phase query must match row for row.
 */
async function groupingEverything(scope: LagScope, now: number, thresholdMs: number, channel: string | undefined, limit: number): Promise<StaleStockRow[]> {
  const oneChannel = channel === undefined ? sql`` : sql`AND target = ${channel}`;
  const rows = await queryRows<{ sku: string; location_id: string; channel: string; latest: string | number; sold: string | number }>(
    store.query,
    sql`SELECT sku, location_id, target AS channel, max(source_ms) AS latest, argMax(done_ms, source_ms) AS latest_done,
               sumIf(-quantity, quantity < 0) AS sold
        FROM ${movementTargets(schema, scope, now, true)}
        WHERE target != 'erp' AND sku != '' AND location_id != '' ${oneChannel}
        GROUP BY sku, location_id, target
        HAVING latest_done = 0 AND latest < ${param.int64(now - thresholdMs)}
        ORDER BY (${param.int64(now)} - latest) * greatest(sold, 0.001) DESC, latest ASC, sku, location_id, channel
        LIMIT ${param.uint32(limit)}`,
  );
  return rows.map((r) => ({ sku: r.sku, location_id: r.location_id, channel: r.channel, latestSourceMs: Number(r.latest), staleMs: now - Number(r.latest), unitsSold: Number(r.sold) }));
}

const day = (served: boolean, lookbackMs = 24 * 60 * MIN): LagScope => ({ from: NOW - lookbackMs, to: NOW, milestones, snapshot: served ? snapshot : null });
const row = (sku: string, location_id: string, channel: string, agoMinutes: number, unitsSold: number): StaleStockRow => ({ sku, location_id, channel, latestSourceMs: NOW - agoMinutes * MIN, staleMs: agoMinutes * MIN, unitsSold });

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  await insert([
    // SKU-A at store-001: its latest movement (150 min ago, in the snapshot) never reached Amazon: stale there.
    { id: 'a1', ago: 180, location: 'store-001', sku: 'SKU-A', quantity: -1, published: { shopify: 1, amazon: 2 } },
    { id: 'a2', ago: 150, location: 'store-001', sku: 'SKU-A', quantity: -1, published: { shopify: 1 } },
    // SKU-B at store-002: an earlier movement (snapshot) is still pending on Amazon, the later one (live) reached it: not stale.
    { id: 'b1', ago: 120, location: 'store-002', sku: 'SKU-B', quantity: -2, published: { shopify: 1 } },
    { id: 'b2', ago: 40, location: 'store-002', sku: 'SKU-B', quantity: -1, published: { shopify: 1, amazon: 1 } },
    // SKU-C at store-003: pending everywhere, but only 3 minutes old: younger than a 5-minute threshold.
    { id: 'c1', ago: 3, location: 'store-003', sku: 'SKU-C', quantity: -1 },
    // SKU-D at store-004: a receipt (not sold) then a sale of 3, live, that Shopify has not shown yet.
    { id: 'd1', ago: 300, location: 'store-004', sku: 'SKU-D', quantity: 5, published: { shopify: 1, amazon: 1 } },
    { id: 'd2', ago: 30, location: 'store-004', sku: 'SKU-D', quantity: -3, published: { amazon: 1 } },
    // SKU-F at store-001: published in the snapshot, the latest (live) pending on Amazon.
    { id: 'f1', ago: 90, location: 'store-001', sku: 'SKU-F', quantity: -1, published: { shopify: 1, amazon: 1 } },
    { id: 'f2', ago: 20, location: 'store-001', sku: 'SKU-F', quantity: -1, published: { shopify: 1 } },
    // No SKU: never a stale SKU-location.
    { id: 'x1', ago: 50, location: 'store-005', sku: '', quantity: -1 },
  ]);
  expect(await refreshMovementSnapshot(store.query, schema, milestones, snapshotWindow(NOW), NOW)).toBe(5);
  snapshot = await movementSnapshot(store.query, schema, milestones.flow);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('stale stock', () => {
  it.each([false, true])('lists SKU-locations whose latest movement is pending past the threshold, riskiest first (snapshot served: %s)', async (served) => {
    // Risk: A 150 min × 2 sold, D 30 × 3, F 20 × 2. B's later movement reached Amazon; C is younger than 5 minutes.
    expect(await staleStock(store.query, schema, day(served), NOW, 5 * MIN, undefined, 10)).toEqual([
      row('SKU-A', 'store-001', 'amazon', 150, 2),
      row('SKU-D', 'store-004', 'shopify', 30, 3),
      row('SKU-F', 'store-001', 'amazon', 20, 2),
    ]);
    expect(await staleStock(store.query, schema, day(served), NOW, 5 * MIN, 'shopify', 10)).toEqual([row('SKU-D', 'store-004', 'shopify', 30, 3)]);
    expect(await staleStock(store.query, schema, day(served), NOW, 5 * MIN, 'amazon', 1)).toEqual([row('SKU-A', 'store-001', 'amazon', 150, 2)]);
    // A 1-minute threshold lets C in on both channels; a 2.5 h lookback no longer sees A's first sale.
    expect((await staleStock(store.query, schema, day(served), NOW, MIN, undefined, 10)).slice(3)).toEqual([row('SKU-C', 'store-003', 'amazon', 3, 1), row('SKU-C', 'store-003', 'shopify', 3, 1)]);
    expect((await staleStock(store.query, schema, day(served, 155 * MIN), NOW, 5 * MIN, 'amazon', 10))[0]).toEqual(row('SKU-A', 'store-001', 'amazon', 150, 1));
  });

  it('gives exactly the answer of grouping every SKU-location of the lookback, live or from the snapshot', async () => {
    let asked = 0;
    let compared = 0;
    for (const served of [false, true])
      for (const lookback of [24 * 60 * MIN, 155 * MIN, 25 * MIN])
        for (const threshold of [1_000, 5 * MIN, 100 * MIN])
          for (const channel of [undefined, 'shopify', 'amazon'])
            for (const limit of [2, 10]) {
              const scope = day(served, lookback);
              const expected = await groupingEverything(scope, NOW, threshold, channel, limit);
              expect(await staleStock(store.query, schema, scope, NOW, threshold, channel, limit), JSON.stringify({ served, lookback, threshold, channel, limit })).toEqual(expected);
              asked++;
              if (expected.length > 0) compared++;
            }
    // Most of the questions have an answer to compare, not just an empty list.
    expect(compared).toBeGreaterThan(asked / 2);
  });
});
