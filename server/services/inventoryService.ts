import type { ClickHouseClient } from '@clickhouse/client';
import type { InventoryLagByLocation, InventoryLagNow, InventoryLagResponse, InventoryMovements, StaleStock, WorstLag } from '../contracts/inventoryApi.js';
import { shapeInventoryLag, shapeLagByLocation, shapeLagNow, shapeMovements, shapeStaleStock } from '../domain/inventoryLag.js';
import { badParameter } from '../http/queryParams.js';
import type { InventoryMilestones } from '../catalog/catalog.js';
import { inventoryLagByLocation, slowestMovements, type LagPercentile } from '../store/queries/inventoryDrillDown.js';
import { inventoryLag, inventoryStalenessNow, staleStock, worstInventoryLag, type LagScope } from '../store/queries/inventoryLag.js';
import { movementSnapshot } from '../store/queries/inventoryMovements.js';
import { SETTLE_MS } from './movementSnapshots.js';
import { sharedResult, type Shared } from './sharedResult.js';
import type { Schema } from '../store/schema.js';

export type InventoryService = {
  lag(q: { from: number; to: number; location?: string; sku?: string }): Promise<InventoryLagResponse>;
  lagNow(windowMs: number): Promise<InventoryLagNow>;
  worst(q: { from: number; to: number; by: 'location' | 'sku'; target: string; limit: number; location?: string; sku?: string }): Promise<WorstLag>;
  byLocation(q: { from: number; to: number; percentile: LagPercentile; limit: number; sku?: string }): Promise<InventoryLagByLocation>;
  movements(q: { from: number; to: number; target: string; limit: number; location?: string; sku?: string }): Promise<InventoryMovements>;
  /** Stale stock, shared by every caller asking the same (the wall asks every 2 s); `at` says when it was computed. */
  stale(q: StaleQuery): Promise<StaleStock>;
  /** New data was loaded (a flush): shared answers are computed afresh for the next caller. */
  invalidate(): void;
  /** New data was loaded: read afresh as soon as it is cheap enough (sharedResult `changed`). */
  changed(): void;
};

type StaleQuery = { thresholdMs: number; lookbackMs: number; channel?: string; location?: string; sku?: string; limit: number };

/** Stale-stock questions kept for sharing at once (screens ask one or two; the map stays small). */
const MAX_SHARED_STALE = 8;

/**
 * Inventory lag, staleness and stale stock, for the inventory flow's milestones (from the flow catalog). Stale
 * stock is shared per question for up to `maxAgeMs` (0, the default: only a computation in flight is shared).
 */
export function createInventoryService(
  client: ClickHouseClient,
  schema: Schema,
  milestones: InventoryMilestones,
  options: { snapshotMaxAgeMs: number; maxAgeMs?: number } = { snapshotMaxAgeMs: 0 },
  clock: () => number = Date.now,
): InventoryService {
  /**
   * Settled movements come from the snapshot (see store/queries/inventoryMovements.ts) while it is younger than
   * `snapshotMaxAgeMs`: one left behind by a server that no longer rebuilds it is not read (0: never read).
   */
  const withSnapshot = async (q: { from: number; to: number; location?: string; sku?: string }): Promise<LagScope> => {
    // Movements younger than the settle point are never in it: the overview's last 15 minutes skip the lookup.
    const mayHold = options.snapshotMaxAgeMs > 0 && q.from < clock() - SETTLE_MS;
    const snapshot = mayHold ? await movementSnapshot(client, schema, milestones.flow) : null;
    return { ...q, milestones, snapshot: snapshot && snapshot.refreshedAt >= clock() - options.snapshotMaxAgeMs ? snapshot : null };
  };
  const checkTarget = (field: string, target: string, allowErp: boolean) => {
    const known = allowErp ? ['erp', ...milestones.channels] : milestones.channels;
    if (!known.includes(target)) throw badParameter(field, `"${target}" is not ${allowErp ? 'erp or ' : ''}a channel of ${milestones.flow} (${milestones.channels.join(', ')})`);
  };
  const readStale = async (at: number, q: StaleQuery): Promise<StaleStock> => {
    const rows = await staleStock(client, schema, await withSnapshot({ from: at - q.lookbackMs, to: at, location: q.location, sku: q.sku }), at, q.thresholdMs, q.channel, q.limit);
    return shapeStaleStock(at, q.thresholdMs, q.lookbackMs, rows);
  };
  // Each question asked lately, shared by every caller; the oldest asked is dropped first.
  const sharedStale = new Map<string, Shared<StaleStock>>();
  const staleFor = (q: StaleQuery): Shared<StaleStock> => {
    const key = JSON.stringify([q.thresholdMs, q.lookbackMs, q.channel ?? null, q.location ?? null, q.sku ?? null, q.limit]);
    let entry = sharedStale.get(key);
    if (!entry) {
      if (sharedStale.size >= MAX_SHARED_STALE) sharedStale.delete(sharedStale.keys().next().value!);
      const question = { thresholdMs: q.thresholdMs, lookbackMs: q.lookbackMs, channel: q.channel, location: q.location, sku: q.sku, limit: q.limit };
      entry = sharedResult((at) => readStale(at, question), options.maxAgeMs ?? 0, clock);
      sharedStale.set(key, entry);
    }
    return entry;
  };
  return {
    async lag(q) {
      const now = clock();
      const { summary, series } = await inventoryLag(client, schema, await withSnapshot(q), now);
      return shapeInventoryLag(q, milestones.channels, summary, series);
    },
    async lagNow(windowMs) {
      const now = clock();
      const rows = await inventoryStalenessNow(client, schema, await withSnapshot({ from: now - windowMs, to: now }), now);
      return shapeLagNow(now, windowMs, milestones.channels, rows);
    },
    async worst(q) {
      checkTarget('target', q.target, true);
      const scope = await withSnapshot({ from: q.from, to: q.to, location: q.location, sku: q.sku });
      const rows = await worstInventoryLag(client, schema, scope, clock(), q.by === 'location' ? 'location_id' : 'sku', q.target, q.limit);
      return { from: q.from, to: q.to, by: q.by, target: q.target, location: q.location ?? null, sku: q.sku ?? null, rows };
    },
    async byLocation(q) {
      const at = clock();
      const { rows, locationsTotal } = await inventoryLagByLocation(client, schema, await withSnapshot({ from: q.from, to: q.to, sku: q.sku }), at, q.percentile, q.limit);
      return shapeLagByLocation({ ...q, at }, milestones.channels, rows, locationsTotal);
    },
    async movements(q) {
      checkTarget('target', q.target, true);
      const at = clock();
      // Read live: the snapshot keeps no correlation ids, and a few minutes of milestones are cheap to merge.
      const found = await slowestMovements(client, schema, { from: q.from, to: q.to, location: q.location, sku: q.sku, milestones }, at, q.target, q.limit);
      return shapeMovements({ ...q, at }, found);
    },
    async stale(q) {
      if (q.channel !== undefined) checkTarget('channel', q.channel, false);
      return (await staleFor(q).get()).value;
    },
    invalidate() {
      for (const entry of sharedStale.values()) entry.invalidate();
      sharedStale.clear();
    },
    changed() {
      for (const entry of sharedStale.values()) entry.changed();
    },
  };
}
