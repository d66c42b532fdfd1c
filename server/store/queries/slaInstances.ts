import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql } from '../sql.js';

/** What one SLA policy measures: start steps, the end step (`step`, or `step@channel` per target), the flow. */
export type SlaQuery = { flow: string; startSteps: readonly string[]; endKeys: readonly string[]; from: number; to: number; scanTo: number };

export type SlaInstanceRow = {
  correlation_id: string;
  start_ms: number;
  /** When each end key was first reached (0: not yet), in `endKeys` order. */
  ends: number[];
  location_id: string;
  sku: string;
  channel: string;
  region: string;
  /** The system that reported the start step. */
  system: string;
};

/**
 * Correlations of a flow whose first start step succeeded in [from, to), with when each end key was first
 * reached: read from `flow_milestones`, only the hours from `from` to `scanTo` (the sorting key).
 */
export async function slaInstances(client: ClickHouseClient, schema: Schema, q: SlaQuery): Promise<SlaInstanceRow[]> {
  const rows = await queryRows<{ correlation_id: string; start_ms: string | number; ends: (string | number)[]; location_id: string; sku: string; channel: string; region: string; system: string }>(
    client,
    sql`SELECT correlation_id, starts[1].1 AS start_ms, arrayMap(k -> toUnixTimestamp64Milli(ok[k]), ${param.arrayString(q.endKeys)}) AS ends,
               location_id, sku, channel, region, systems[starts[1].2] AS system
        FROM (
          SELECT correlation_id, max(location_id) AS location_id, max(sku) AS sku, max(channel) AS channel, max(region) AS region,
                 maxMap(step_system) AS systems, minMap(first_ok) AS ok,
                 arraySort(x -> x.1, arrayFilter(x -> x.1 > 0, arrayMap(s -> (toUnixTimestamp64Milli(ok[s]), s), ${param.arrayString(q.startSteps)}))) AS starts
          FROM ${schema.table('flowMilestones')}
          WHERE flow = ${q.flow} AND hour >= toStartOfHour(${param.dateTime64(q.from)}) AND hour < ${param.dateTime64(q.scanTo)}
          GROUP BY correlation_id
          HAVING length(starts) > 0 AND starts[1].1 >= ${param.int64(q.from)} AND starts[1].1 < ${param.int64(q.to)}
        )
        ORDER BY start_ms, correlation_id`,
  );
  return rows.map((r) => ({ ...r, start_ms: Number(r.start_ms), ends: r.ends.map(Number) }));
}
