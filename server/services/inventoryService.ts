import type { ClickHouseClient } from '@clickhouse/client';
import type { InventoryLagNow, InventoryLagResponse, StaleStock, WorstLag } from '../contracts/inventoryApi.js';
import { shapeInventoryLag, shapeLagNow, shapeStaleStock } from '../domain/inventoryLag.js';
import { badParameter } from '../http/queryParams.js';
import type { InventoryMilestones } from '../catalog/catalog.js';
import { inventoryLag, inventoryStalenessNow, staleStock, worstInventoryLag, type LagScope } from '../store/queries/inventoryLag.js';
import { movementSnapshot } from '../store/queries/inventoryMovements.js';
import { SETTLE_MS } from './movementSnapshots.js';
import type { Schema } from '../store/schema.js';

export type InventoryService = {
  lag(q: { from: number; to: number; location?: string; sku?: string }): Promise<InventoryLagResponse>;
  lagNow(windowMs: number): Promise<InventoryLagNow>;
  worst(q: { from: number; to: number; by: 'location' | 'sku'; target: string; limit: number }): Promise<WorstLag>;
  stale(q: { thresholdMs: number; lookbackMs: number; channel?: string; limit: number }): Promise<StaleStock>;
};

/** Inventory lag, staleness and stale stock, for the inventory flow's milestones (from the flow catalog). */
export function createInventoryService(
  client: ClickHouseClient,
  schema: Schema,
  milestones: InventoryMilestones,
  options: { snapshotMaxAgeMs: number } = { snapshotMaxAgeMs: 0 },
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
      const rows = await worstInventoryLag(client, schema, await withSnapshot({ from: q.from, to: q.to }), clock(), q.by === 'location' ? 'location_id' : 'sku', q.target, q.limit);
      return { from: q.from, to: q.to, by: q.by, target: q.target, rows };
    },
    async stale(q) {
      if (q.channel !== undefined) checkTarget('channel', q.channel, false);
      const now = clock();
      const rows = await staleStock(client, schema, await withSnapshot({ from: now - q.lookbackMs, to: now }), now, q.thresholdMs, q.channel, q.limit);
      return shapeStaleStock(now, q.thresholdMs, q.lookbackMs, rows);
    },
  };
}
