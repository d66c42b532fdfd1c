import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql } from '../sql.js';

export type FreshnessRow = { system: string; lastOccurredMs: number; lastObservedMs: number };

/** Per emitting system, its latest event and latest arrival since `since` (hours of `source_freshness`). */
export async function sourceFreshness(client: ClickHouseClient, schema: Schema, since: number): Promise<FreshnessRow[]> {
  const rows = await queryRows<{ system: string; occurred: string | number; observed: string | number }>(
    client,
    sql`SELECT system, toUnixTimestamp64Milli(max(last_occurred_at)) AS occurred, toUnixTimestamp64Milli(max(last_observed_at)) AS observed
        FROM ${schema.table('sourceFreshness')}
        WHERE hour >= toStartOfHour(${param.dateTime64(since)})
        GROUP BY system ORDER BY system`,
  );
  return rows.map((r) => ({ system: r.system, lastOccurredMs: Number(r.occurred), lastObservedMs: Number(r.observed) }));
}
