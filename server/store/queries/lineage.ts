import type { ClickHouseClient } from '@clickhouse/client';
import type { KeyHit } from '../../domain/lineage.js';
import type { EventRow } from '../eventRows.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql } from '../sql.js';

/** When a correlation was first and last seen, and in which flows. */
export type CorrelationSpan = { firstAt: number; lastAt: number; flows: string[] };

/**
 * Which correlations carry any of these key values (or are these correlation ids), with when they were seen
 * carrying it, and each correlation's whole time span (the lookup records every correlation id as a key of its
 * own) and its flows: one read of the lookup by its sorting key, at most `limit` hits.
 */
export async function correlationsForKeyValues(
  client: ClickHouseClient,
  schema: Schema,
  values: readonly string[],
  limit: number,
): Promise<{ hits: KeyHit[]; spans: Map<string, CorrelationSpan> }> {
  if (values.length === 0) return { hits: [], spans: new Map() };
  const rows = await queryRows<{ key_value: string; key_name: string; correlation_id: string; flow: string; first_ms: string; last_ms: string }>(
    client,
    sql`SELECT key_value, key_name, correlation_id, flow,
               toUnixTimestamp64Milli(min(first_at)) AS first_ms, toUnixTimestamp64Milli(max(last_at)) AS last_ms
        FROM ${schema.table('keyLookup')}
        WHERE key_value IN ${param.arrayString(values)}
           OR (key_name = 'correlation_id' AND key_value IN (
                SELECT correlation_id FROM ${schema.table('keyLookup')} WHERE key_value IN ${param.arrayString(values)}
                GROUP BY correlation_id ORDER BY min(first_at) LIMIT ${param.uint32(limit)}))
        GROUP BY key_value, key_name, correlation_id, flow
        ORDER BY first_ms, correlation_id, key_value
        LIMIT ${param.uint32(limit)} BY key_value IN ${param.arrayString(values)}`,
  );
  const asked = new Set(values);
  const spans = new Map<string, CorrelationSpan>();
  for (const r of rows) {
    if (r.key_name !== 'correlation_id' || r.key_value !== r.correlation_id) continue;
    const span = spans.get(r.correlation_id);
    const first = Number(r.first_ms);
    const last = Number(r.last_ms);
    if (span) {
      span.firstAt = Math.min(span.firstAt, first);
      span.lastAt = Math.max(span.lastAt, last);
      span.flows.push(r.flow);
    } else spans.set(r.correlation_id, { firstAt: first, lastAt: last, flows: [r.flow] });
  }
  return {
    hits: rows.filter((r) => asked.has(r.key_value)).map((r) => ({
      keyValue: r.key_value,
      keyName: r.key_name,
      correlationId: r.correlation_id,
      flow: r.flow,
      firstAt: Number(r.first_ms),
      lastAt: Number(r.last_ms),
    })),
    spans,
  };
}

/**
 * Every event of these correlations inside [fromMs, toMs], each event once, in time order. Their flows (from
 * the lookup) narrow the read to those flows' parts of the sorting key before the correlation-id index.
 */
export async function eventsForCorrelations(
  client: ClickHouseClient,
  schema: Schema,
  correlationIds: readonly string[],
  flows: readonly string[],
  fromMs: number,
  toMs: number,
  limit: number,
): Promise<EventRow[]> {
  if (correlationIds.length === 0) return [];
  return queryRows<EventRow>(
    client,
    sql`SELECT * FROM ${schema.table('events')}
        WHERE flow IN ${param.arrayString(flows)} AND correlation_id IN ${param.arrayString(correlationIds)}
          AND occurred_at >= ${param.dateTime64(fromMs)} AND occurred_at <= ${param.dateTime64(toMs)}
        ORDER BY occurred_at, event_id
        LIMIT 1 BY event_id
        LIMIT ${param.uint32(limit)}`,
  );
}
