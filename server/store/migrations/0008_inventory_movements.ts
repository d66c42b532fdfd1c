import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Inventory movements settled an hour ago or more, one row each: when its source happened, where and what, and
 * when it reached each target (`targets`: `erp`, then each channel; `dones`: epoch ms, 0 when not yet). A
 * snapshot rebuilt from `flow_milestones` every few minutes and swapped in whole (EXCHANGE TABLES), covering
 * sources in [covered_from, covered_to) (the same on every row). Lag over a day reads these rows by source time
 * (the sorting key) instead of merging a day of milestone rows per correlation; the last hour, where
 * movements are still in flight, is always read live. `inventory_lag_minutes` holds the same snapshot's lag per
 * target and minute of source (count, pending, p50/p95/p99, max), so a day's chart reads 1,440 rows per target.
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
    sql`CREATE TABLE IF NOT EXISTS ${s.table('inventoryLagMinutes')} (
      flow LowCardinality(String),
      target LowCardinality(String),
      minute Int64,
      movements UInt64,
      pending UInt64,
      q Array(Int32),
      max Int32,
      refreshed_at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (flow, minute, target)`,
  ],
};
