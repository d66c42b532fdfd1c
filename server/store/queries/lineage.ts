import type { ClickHouseClient } from '@clickhouse/client';
import type { KeyHit } from '../../domain/lineage.js';
import type { EventRow } from '../eventRows.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql } from '../sql.js';

/** Which correlations carry any of these key values (or are these correlation ids), with when they were seen. */
export async function correlationsForKeyValues(
  client: ClickHouseClient,
  schema: Schema,
  values: readonly string[],
  limit: number,
): Promise<KeyHit[]> {
  if (values.length === 0) return [];
  const rows = await queryRows<{ key_value: string; key_name: string; correlation_id: string; flow: string; first_ms: string; last_ms: string }>(
    client,
    sql`SELECT key_value, key_name, correlation_id, flow,
          toUnixTimestamp64Milli(min(first_at)) AS first_ms, toUnixTimestamp64Milli(max(last_at)) AS last_ms
        FROM ${schema.table('keyLookup')}
        WHERE key_value IN ${param.arrayString(values)}
        GROUP BY key_value, key_name, correlation_id, flow
        ORDER BY first_ms
        LIMIT ${param.uint32(limit)}`,
  );
  return rows.map((r) => ({
    keyValue: r.key_value,
    keyName: r.key_name,
    correlationId: r.correlation_id,
    flow: r.flow,
    firstAt: Number(r.first_ms),
    lastAt: Number(r.last_ms),
  }));
}

/** Every event of these correlations inside [fromMs, toMs], each event once, in time order. */
export async function eventsForCorrelations(
  client: ClickHouseClient,
  schema: Schema,
  correlationIds: readonly string[],
  fromMs: number,
  toMs: number,
  limit: number,
): Promise<EventRow[]> {
  if (correlationIds.length === 0) return [];
  return queryRows<EventRow>(
    client,
    sql`SELECT * FROM ${schema.table('events')}
        WHERE correlation_id IN ${param.arrayString(correlationIds)}
          AND occurred_at >= ${param.dateTime64(fromMs)} AND occurred_at <= ${param.dateTime64(toMs)}
        ORDER BY occurred_at, event_id
        LIMIT 1 BY event_id
        LIMIT ${param.uint32(limit)}`,
  );
}

/** The full time span of each correlation (the lookup records every correlation id as a key of its own). */
export async function correlationSpans(
  client: ClickHouseClient,
  schema: Schema,
  correlationIds: readonly string[],
): Promise<Map<string, { firstAt: number; lastAt: number }>> {
  if (correlationIds.length === 0) return new Map();
  const rows = await queryRows<{ correlation_id: string; first_ms: string; last_ms: string }>(
    client,
    sql`SELECT key_value AS correlation_id,
          toUnixTimestamp64Milli(min(first_at)) AS first_ms, toUnixTimestamp64Milli(max(last_at)) AS last_ms
        FROM ${schema.table('keyLookup')}
        WHERE key_value IN ${param.arrayString(correlationIds)} AND key_name = 'correlation_id'
        GROUP BY key_value`,
  );
  return new Map(rows.map((r) => [r.correlation_id, { firstAt: Number(r.first_ms), lastAt: Number(r.last_ms) }]));
}
