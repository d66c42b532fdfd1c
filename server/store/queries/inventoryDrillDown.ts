import type { ClickHouseClient } from '@clickhouse/client';
import type { InventoryMilestones } from '../../catalog/catalog.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { join, param, sql } from '../sql.js';
import { LAG_STATS, LAG_HORIZON_MS, movementTargets } from './inventoryMovements.js';
import type { LagScope, LagStatsRow } from './inventoryLag.js';
import { firstOkArray, firstOkMs } from './milestoneKeys.js';

/**
 * The inventory screen's drill-downs: lag per location and target (the heatmap), and the movements behind one
 * point of the lag chart (with their correlation ids, for lineage).
 */

export type LagPercentile = 'p50' | 'p95' | 'p99';
const PERCENTILE_INDEX: Record<LagPercentile, number> = { p50: 1, p95: 2, p99: 3 };

export type LocationLagRow = LagStatsRow & { location: string; oldestPendingMs: number; worstMs: number };

/**
 * Lag per location and target over the scope (snapshot and live alike, through `movementTargets`), for the
 * `limit` worst locations: ranked by the highest `percentile` on any target, a movement still waiting counting at
 * its age so far (a location whose stock never reached a channel is not the best one). Returns the rows of those
 * locations, worst first, and how many locations had movements at all. Only figures leave the engine: at most
 * `limit` × targets rows.
 */
export async function inventoryLagByLocation(
  client: ClickHouseClient,
  schema: Schema,
  scope: LagScope,
  now: number,
  percentile: LagPercentile,
  limit: number,
): Promise<{ rows: LocationLagRow[]; locationsTotal: number }> {
  const rows = await queryRows<{ location: string; target: string; count: string | number; pending: string | number; q: (string | number)[]; max: string | number; oldest: string | number; worst: string | number; total: string | number }>(
    client,
    sql`SELECT location, target, count, pending, q, max, oldest, worst, total
        FROM (
          SELECT location, target, count, pending, q, max, oldest, worst,
                 dense_rank() OVER (ORDER BY worst DESC, location ASC) AS place,
                 uniqExact(location) OVER () AS total
          FROM (
            SELECT location, target, count, pending, q, max, oldest,
                   max(greatest(toInt64(q[${param.uint32(PERCENTILE_INDEX[percentile])}]), oldest)) OVER (PARTITION BY location) AS worst
            FROM (
              SELECT location_id AS location, target, ${LAG_STATS},
                     greatest(maxIf(${param.int64(now)} - source_ms, done_ms = 0), 0) AS oldest
              FROM ${movementTargets(schema, scope, now, true)}
              WHERE location_id != ''
              GROUP BY location, target
            )
          )
        )
        WHERE place <= ${param.uint32(limit)}
        ORDER BY worst DESC, location ASC, target ASC`,
  );
  const total = rows.length === 0 ? 0 : Number(rows[0]!.total);
  return {
    locationsTotal: total,
    rows: rows.map((r) => {
      const [p50 = 0, p95 = 0, p99 = 0] = r.q.map(Number);
      return { location: r.location, target: r.target, count: Number(r.count), pending: Number(r.pending), p50, p95, p99, max: Number(r.max), oldestPendingMs: Number(r.oldest), worstMs: Number(r.worst) };
    }),
  };
}

export type MovementRow = {
  correlationId: string;
  sourceStep: string;
  sourceMs: number;
  locationId: string;
  sku: string;
  quantity: number | null;
  /** When it reached the target; 0: not yet. */
  doneMs: number;
  /** Source to target, or its age at `now` while waiting. */
  lagMs: number;
};

/**
 * The movements whose source is in [from, to) (a few minutes), optionally at one location or for one SKU, the
 * slowest to `target` (`erp` or a channel) first, one still waiting counting at its age so far; plus how many
 * the window holds and how many of them are waiting. Read live from `flow_milestones` (the snapshot keeps no
 * correlation ids), with the same rules as the lag figures: a movement's rows from the hour of `from` on, later
 * events up to the horizon after its source and no later than now. The correlations are first picked from the
 * rows holding a source step in the window, so only theirs are merged across the later hours.
 */
export async function slowestMovements(
  client: ClickHouseClient,
  schema: Schema,
  scope: { from: number; to: number; location?: string; sku?: string; milestones: InventoryMilestones },
  now: number,
  target: string,
  limit: number,
): Promise<{ rows: MovementRow[]; count: number; pending: number }> {
  const m = scope.milestones;
  const targetKey = target === 'erp' ? m.erpPosted : `${m.published}@${target}`;
  const scanTo = Math.min(scope.to + LAG_HORIZON_MS, now + 3_600_000);
  const from = param.dateTime64(scope.from);
  const to = param.dateTime64(scope.to);
  const filter = join([...(scope.location === undefined ? [] : [sql`AND location_id = ${scope.location}`]), ...(scope.sku === undefined ? [] : [sql`AND sku = ${scope.sku}`])], ' ');
  const rows = await queryRows<{ correlation_id: string; source_step: string; source_ms: string | number; location_id: string; sku: string; quantity: number | null; done_ms: string | number; lag_ms: string | number; total: string | number; waiting: string | number }>(
    client,
    sql`SELECT correlation_id, source_step, source_ms, location_id, sku, quantity, done_ms,
               if(done_ms > 0, done_ms - source_ms, greatest(${param.int64(now)} - source_ms, 0)) AS lag_ms,
               count() OVER () AS total, countIf(done_ms = 0) OVER () AS waiting
        FROM (
          SELECT correlation_id, max(location_id) AS location_id, max(sku) AS sku, max(quantity) AS quantity,
                 ${firstOkArray(m.sources)} AS sources_ms,
                 arrayMin(arrayFilter(t -> t > 0, sources_ms)) AS source_ms,
                 ${param.arrayString(m.sources)}[indexOf(sources_ms, source_ms)] AS source_step,
                 ${firstOkMs(targetKey)} AS done_ms
          FROM ${schema.table('flowMilestones')}
          WHERE flow = ${m.flow} AND hour >= toStartOfHour(${from}) AND hour < ${param.dateTime64(scanTo)}
            AND correlation_id IN (
              SELECT correlation_id FROM ${schema.table('flowMilestones')}
              WHERE flow = ${m.flow} AND hour >= toStartOfHour(${from}) AND hour < ${to}
                AND arrayExists(s -> mapContains(first_ok, s) AND first_ok[s] >= ${from} AND first_ok[s] < ${to}, ${param.arrayString(m.sources)})
            )
          GROUP BY correlation_id
          HAVING source_ms >= ${param.int64(scope.from)} AND source_ms < ${param.int64(scope.to)} ${filter}
        )
        ORDER BY lag_ms DESC, source_ms ASC, correlation_id ASC
        LIMIT ${param.uint32(limit)}`,
  );
  const first = rows[0];
  return {
    count: first === undefined ? 0 : Number(first.total),
    pending: first === undefined ? 0 : Number(first.waiting),
    rows: rows.map((r) => ({
      correlationId: r.correlation_id,
      sourceStep: r.source_step,
      sourceMs: Number(r.source_ms),
      locationId: r.location_id,
      sku: r.sku,
      quantity: r.quantity === null ? null : Number(r.quantity),
      doneMs: Number(r.done_ms),
      lagMs: Number(r.lag_ms),
    })),
  };
}
