import { randomBytes } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { InventoryMilestones } from '../../catalog/catalog.js';
import { queryRows } from '../queryRows.js';
import { TABLE_NAMES, type Schema } from '../schema.js';
import { join, param, sql, type Sql } from '../sql.js';
import { firstOkArray } from './milestoneKeys.js';

/** Later events of a movement (ERP posting, publication) are read up to this long after its source, and no later than now. */
export const LAG_HORIZON_MS = 24 * 3_600_000;

/**
 * The snapshot in `inventory_movements`: movements whose source is in [coveredFrom, coveredTo), as of
 * refreshedAt; `minutes`: `inventory_lag_minutes` holds the same snapshot's lag per minute.
 */
export type MovementSnapshot = { coveredFrom: number; coveredTo: number; refreshedAt: number; minutes: boolean };

/**
 * Lag figures over rows of `movementTargets`: how many, how many not there yet, the exact high p50/p95/p99 of
 * the lag of those that are (the same rank rule as domain/percentiles.ts) and the largest. The snapshot's
 * per-minute rows are computed with this very fragment, so both read the same.
 */
export const LAG_STATS = sql`count() AS count, countIf(done_ms = 0) AS pending,
  quantilesExactHighIf(0.5, 0.95, 0.99)(lag_ms, done_ms > 0) AS q, maxIf(lag_ms, done_ms > 0) AS max`;

/** Movements whose source is in [from, to), optionally at one location or for one SKU; `snapshot` serves what it covers. */
export type MovementScope = { from: number; to: number; location?: string; sku?: string; milestones: InventoryMilestones; snapshot?: MovementSnapshot | null };

const targetsOf = (m: InventoryMilestones) => ['erp', ...m.channels];

/**
 * One row per movement whose source is in [from, to), merged across the hour buckets of `flow_milestones` it
 * spans: its source time, when it reached each target (`dones`, 0: not yet, in `targetsOf` order), and with
 * `withDims` its location, SKU and quantity (each costs a quarter of the read, so only when asked). Reads the
 * hours from `from` to `scanTo` (the sorting key). Rows are grouped by a 64-bit hash of the correlation id, a
 * third faster than by the string (a collision among a million movements has odds of about 1 in 25 million).
 */
function liveMovementRows(schema: Schema, m: InventoryMilestones, from: number, to: number, scanTo: number, withDims: boolean, filter: Sql): Sql {
  const targetKeys = [m.erpPosted, ...m.channels.map((c) => `${m.published}@${c}`)];
  const dims = withDims ? sql`max(location_id) AS location_id, max(sku) AS sku, max(quantity) AS quantity,` : sql``;
  return sql`SELECT cityHash64(correlation_id) AS movement, ${dims}
           arrayMin(arrayFilter(t -> t > 0, ${firstOkArray(m.sources)})) AS source_ms, ${firstOkArray(targetKeys)} AS dones
    FROM ${schema.table('flowMilestones')}
    WHERE flow = ${m.flow} AND hour >= toStartOfHour(${param.dateTime64(from)}) AND hour < ${param.dateTime64(scanTo)}
    GROUP BY movement
    HAVING source_ms >= ${param.int64(from)} AND source_ms < ${param.int64(to)} ${filter}`;
}

/**
 * One row per movement of the scope and target it must reach (`erp`, then each channel), with `done_ms` when it
 * did (0: not yet) and `lag_ms` (done − source). What the snapshot covers is read from `inventory_movements`;
 * the rest (the last hour, where movements are still in flight, and anything older than the snapshot) live
 * from `flow_milestones`, reading later events up to the horizon after each source and no later than now.
 */
export function movementTargets(schema: Schema, scope: MovementScope, now: number, withDims = scope.location !== undefined || scope.sku !== undefined): Sql {
  const m = scope.milestones;
  const filter = join([...(scope.location === undefined ? [] : [sql`AND location_id = ${scope.location}`]), ...(scope.sku === undefined ? [] : [sql`AND sku = ${scope.sku}`])], ' ');
  const dimColumns = withDims ? sql`location_id, sku, quantity,` : sql``;
  const parts: Sql[] = [];
  const snap = scope.snapshot;
  const live: [number, number][] = [];
  if (snap && scope.from < snap.coveredTo && snap.coveredFrom < scope.to) {
    const from = Math.max(scope.from, snap.coveredFrom);
    const to = Math.min(scope.to, snap.coveredTo);
    parts.push(sql`SELECT ${dimColumns} source_ms, target, done_ms
      FROM ${schema.table('inventoryMovements')}
      ARRAY JOIN targets AS target, dones AS done_ms
      WHERE flow = ${m.flow} AND source_ms >= ${param.int64(from)} AND source_ms < ${param.int64(to)} ${filter}`);
    if (scope.from < from) live.push([scope.from, from]);
    if (to < scope.to) live.push([to, scope.to]);
  } else {
    live.push([scope.from, scope.to]);
  }
  for (const [from, to] of live) {
    const scanTo = Math.min(to + LAG_HORIZON_MS, now + 3_600_000);
    parts.push(sql`SELECT ${dimColumns} source_ms, target, done_ms
      FROM (${liveMovementRows(schema, m, from, to, scanTo, withDims, filter)})
      ARRAY JOIN ${param.arrayString(targetsOf(m))} AS target, dones AS done_ms`);
  }
  return sql`(
    SELECT ${dimColumns} source_ms, target, done_ms, if(done_ms > 0, toInt32(done_ms - source_ms), 0) AS lag_ms
    FROM (${join(parts, ' UNION ALL ')})
  )`;
}

/** The snapshot currently in `inventory_movements` for the flow, or null when there is none yet. */
export async function movementSnapshot(client: ClickHouseClient, schema: Schema, flow: string): Promise<MovementSnapshot | null> {
  const [row] = await queryRows<{ covered_from: string | number; covered_to: string | number; refreshed_ms: string | number; minutes_ms: string | number }>(
    client,
    sql`SELECT covered_from, covered_to, toUnixTimestamp64Milli(refreshed_at) AS refreshed_ms,
               (SELECT toUnixTimestamp64Milli(refreshed_at) FROM ${schema.table('inventoryLagMinutes')} WHERE flow = ${flow} LIMIT 1) AS minutes_ms
        FROM ${schema.table('inventoryMovements')} WHERE flow = ${flow} LIMIT 1`,
  );
  if (!row) return null;
  // The two tables are swapped one after the other: the minutes count only when they belong to this snapshot.
  return { coveredFrom: Number(row.covered_from), coveredTo: Number(row.covered_to), refreshedAt: Number(row.refreshed_ms), minutes: Number(row.minutes_ms) === Number(row.refreshed_ms) };
}

/**
 * Rebuild the snapshot: every movement whose source is in [coveredFrom, coveredTo), computed from
 * `flow_milestones` as of `now`, and its lag per target and minute, each into a table of its own, then swapped
 * in whole with EXCHANGE TABLES (movements first), so readers see the old snapshot or the new one, never half
 * of one. Each refresh builds under its own names, so two servers refreshing at once each swap in complete
 * snapshots. Returns how many movements it holds.
 */
export async function refreshMovementSnapshot(client: ClickHouseClient, schema: Schema, m: InventoryMilestones, window: { coveredFrom: number; coveredTo: number }, now: number): Promise<number> {
  const suffix = `next_${randomBytes(6).toString('hex')}`;
  const movements = schema.stagingTable('inventoryMovements', suffix);
  const minutes = schema.stagingTable('inventoryLagMinutes', suffix);
  const scanTo = Math.min(window.coveredTo + LAG_HORIZON_MS, now + 3_600_000);
  try {
    await client.command(sql`CREATE TABLE ${movements} AS ${schema.table('inventoryMovements')}`.render());
    await client.command(sql`CREATE TABLE ${minutes} AS ${schema.table('inventoryLagMinutes')}`.render());
    await client.command(
      sql`INSERT INTO ${movements} (flow, movement, source_ms, location_id, sku, quantity, targets, dones, covered_from, covered_to, refreshed_at)
        SELECT ${m.flow}, movement, source_ms, location_id, sku, quantity, ${param.arrayString(targetsOf(m))}, dones,
               ${param.int64(window.coveredFrom)}, ${param.int64(window.coveredTo)}, ${param.dateTime64(now)}
        FROM (${liveMovementRows(schema, m, window.coveredFrom, window.coveredTo, scanTo, true, sql``)})`.render(),
    );
    await client.command(
      sql`INSERT INTO ${minutes} (flow, target, minute, movements, pending, q, max, refreshed_at)
        SELECT ${m.flow}, target, minute, count, pending, q, max, ${param.dateTime64(now)}
        FROM (
          SELECT target, intDiv(source_ms, 60000) * 60000 AS minute, ${LAG_STATS}
          FROM (SELECT source_ms, CAST(target, 'String') AS target, done_ms, if(done_ms > 0, toInt32(done_ms - source_ms), 0) AS lag_ms
                FROM ${movements} ARRAY JOIN targets AS target, dones AS done_ms)
          GROUP BY target, minute
        )`.render(),
    );
    const [count] = await queryRows<{ n: string | number }>(client, sql`SELECT count() AS n FROM ${movements}`);
    await client.command(sql`EXCHANGE TABLES ${movements} AND ${schema.table('inventoryMovements')}`.render());
    await client.command(sql`EXCHANGE TABLES ${minutes} AND ${schema.table('inventoryLagMinutes')}`.render());
    return Number(count?.n ?? 0);
  } finally {
    await client.command(sql`DROP TABLE IF EXISTS ${movements}`.render());
    await client.command(sql`DROP TABLE IF EXISTS ${minutes}`.render());
  }
}

/**
 * Staging tables a refresh left behind when its process died mid-build (older than `olderThanMs`: a refresh under
 * way on another server is younger), dropped. Returns their names.
 */
export async function dropAbandonedStaging(client: ClickHouseClient, schema: Schema, olderThanMs: number, now: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const role of ['inventoryMovements', 'inventoryLagMinutes'] as const) {
    const base = TABLE_NAMES[role];
    const rows = await queryRows<{ name: string }>(
      client,
      sql`SELECT name FROM system.tables
          WHERE database = ${schema.database} AND startsWith(name, ${`${base}_next_`})
            AND metadata_modification_time < ${param.typed("DateTime('UTC')", Math.floor((now - olderThanMs) / 1000))}`,
    );
    for (const { name } of rows) {
      const suffix = name.slice(base.length + 1);
      await client.command(sql`DROP TABLE IF EXISTS ${schema.stagingTable(role, suffix)}`.render());
      dropped.push(name);
    }
  }
  return dropped;
}
