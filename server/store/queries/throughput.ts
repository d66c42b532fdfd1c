import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql } from '../sql.js';

export type ThroughputRow = { flow: string; t: number; count: number };

/** Distinct events per flow and second of event time in [fromMs, toMs): a re-sent event counts once. */
export async function eventsPerSecondByFlow(client: ClickHouseClient, schema: Schema, fromMs: number, toMs: number): Promise<ThroughputRow[]> {
  const rows = await queryRows<{ flow: string; t: string; count: string }>(
    client,
    sql`SELECT flow, toUnixTimestamp64Milli(toStartOfSecond(occurred_at)) AS t, uniqExact(event_id) AS count
        FROM ${schema.table('events')}
        WHERE occurred_at >= ${param.dateTime64(fromMs)} AND occurred_at < ${param.dateTime64(toMs)}
        GROUP BY flow, t
        ORDER BY flow, t`,
  );
  return rows.map((r) => ({ flow: r.flow, t: Number(r.t), count: Number(r.count) }));
}
