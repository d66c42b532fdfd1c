import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Inventory movements settled an hour ago or more, one row each: when its source happened, where and what, and
 * when it reached each target (`targets`: `erp`, then each channel; `dones`: epoch ms, 0 when not yet). A
 * snapshot rebuilt from `flow_milestones` every few minutes and swapped in whole (EXCHANGE TABLES), covering
 * sources in [covered_from, covered_to) (the same on every row). Lag over a day reads these rows by source time
 * (the sorting key) instead of merging a day of milestone rows per correlation; the last hour, where
 * movements are still in flight, is always read live.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'inventory_movements',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('inventoryMovements')} (
      flow LowCardinality(String),
      movement UInt64,
      source_ms Int64,
      location_id LowCardinality(String),
      sku String,
      quantity Nullable(Float64),
      targets Array(LowCardinality(String)),
      dones Array(Int64),
      covered_from Int64,
      covered_to Int64,
      refreshed_at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (flow, source_ms)`,
  ],
};
