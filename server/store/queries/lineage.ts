import type { ClickHouseClient } from '@clickhouse/client';
import type { KeyHit } from '../../domain/lineage.js';
import type { EventRow } from '../eventRows.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql } from '../sql.js';
import { eachEventOnce, keyHits, spansOf, type HitOrder, type Span } from './lineageRows.js';

/** At most this many stored rows are read to be merged, de-duplicated and ordered in Node; past it the engine does. */
const ROWS_READ_AS_STORED = 1_000;

type LookupRow = { key_value: string; key_name: string; correlation_id: string; flow: string; first_ms: string | number; last_ms: string | number };

/**
 * Which correlations carry any of these key values (or are these correlation ids: the lookup records every
 * correlation id as a key of its own, and every SKU at a location as `SKU@location`), with when they were seen
 * carrying it: one read of the lookup by its sorting key, the first `limit` hits in `order` (the first in time, or
 * the latest). The few rows a key has are merged in Node (lineageRows.ts); a key with more than `rowsAsStored`
 * stored rows is merged by the engine.
 */
export async function correlationsForKeyValues(
  client: ClickHouseClient,
  schema: Schema,
  values: readonly string[],
  limit: number,
  { order = 'first', rowsAsStored = ROWS_READ_AS_STORED }: { order?: HitOrder; rowsAsStored?: number } = {},
): Promise<KeyHit[]> {
  if (values.length === 0) return [];
  const stored = await queryRows<LookupRow>(
    client,
    sql`SELECT key_value, key_name, correlation_id, flow, toUnixTimestamp64Milli(first_at) AS first_ms, toUnixTimestamp64Milli(last_at) AS last_ms
        FROM ${schema.table('keyLookup')}
        WHERE key_value IN ${param.arrayString(values)}
        LIMIT ${param.uint32(rowsAsStored + 1)}`,
  );
  const rows =
    stored.length <= rowsAsStored
      ? stored
      : await queryRows<LookupRow>(
          client,
          sql`SELECT key_value, key_name, correlation_id, flow,
                     toUnixTimestamp64Milli(min(first_at)) AS first_ms, toUnixTimestamp64Milli(max(last_at)) AS last_ms
              FROM ${schema.table('keyLookup')}
              WHERE key_value IN ${param.arrayString(values)}
              GROUP BY key_value, key_name, correlation_id, flow
              ORDER BY ${order === 'first' ? sql`first_ms` : sql`last_ms DESC`}, correlation_id, key_value, key_name, flow
              LIMIT ${param.uint32(limit)}`,
        );
  const hits = rows.map((r) => ({ keyValue: r.key_value, keyName: r.key_name, correlationId: r.correlation_id, flow: r.flow, firstAt: Number(r.first_ms), lastAt: Number(r.last_ms) }));
  return keyHits(hits, limit, order);
}

/**
 * Every event of these correlations, each event once (of an event stored twice, the copy observed first), in
 * time order, at most `limit` — read from `lineage_events` by its sorting key (correlation id) — with each
 * correlation's whole time span over all its stored rows. Up to `rowsAsStored` stored rows are read as they are
 * and shaped in Node; past that the engine cuts the read at `limit` (spans computed before the cut: a
 * correlation the cut left without any event has no span here).
 */
export async function eventsOfCorrelations(
  client: ClickHouseClient,
  schema: Schema,
  correlationIds: readonly string[],
  limit: number,
  rowsAsStored = ROWS_READ_AS_STORED,
): Promise<{ events: EventRow[]; spans: Map<string, Span> }> {
  if (correlationIds.length === 0) return { events: [], spans: new Map() };
  const asStored = Math.min(limit, rowsAsStored);
  const stored = await queryRows<EventRow>(
    client,
    sql`SELECT * FROM ${schema.table('lineageEvents')} WHERE correlation_id IN ${param.arrayString(correlationIds)} LIMIT ${param.uint32(asStored + 1)}`,
  );
  if (stored.length <= asStored) return { events: eachEventOnce(stored), spans: spansOf(stored) };
  const rows = await queryRows<EventRow & { span_first_ms: string | number; span_last_ms: string | number }>(
    client,
    sql`SELECT *, toUnixTimestamp64Milli(min(occurred_at) OVER correlation) AS span_first_ms,
               toUnixTimestamp64Milli(max(occurred_at) OVER correlation) AS span_last_ms
        FROM ${schema.table('lineageEvents')}
        WHERE correlation_id IN ${param.arrayString(correlationIds)}
        WINDOW correlation AS (PARTITION BY correlation_id)
        ORDER BY occurred_at, event_id, observed_at
        LIMIT 1 BY event_id
        LIMIT ${param.uint32(limit)}`,
  );
  const spans = new Map<string, Span>();
  const events = rows.map(({ span_first_ms, span_last_ms, ...event }) => {
    if (!spans.has(event.correlation_id)) spans.set(event.correlation_id, { firstAt: Number(span_first_ms), lastAt: Number(span_last_ms) });
    return event;
  });
  return { events, spans };
}

/** Each correlation's whole time span, for those an event read cut off before any of their events. */
export async function spansOfCorrelations(client: ClickHouseClient, schema: Schema, correlationIds: readonly string[]): Promise<Map<string, Span>> {
  if (correlationIds.length === 0) return new Map();
  const rows = await queryRows<{ correlation_id: string; first_ms: string | number; last_ms: string | number }>(
    client,
    sql`SELECT correlation_id, toUnixTimestamp64Milli(min(occurred_at)) AS first_ms, toUnixTimestamp64Milli(max(occurred_at)) AS last_ms
        FROM ${schema.table('lineageEvents')}
        WHERE correlation_id IN ${param.arrayString(correlationIds)}
        GROUP BY correlation_id`,
  );
  return new Map(rows.map((r) => [r.correlation_id, { firstAt: Number(r.first_ms), lastAt: Number(r.last_ms) }]));
}
