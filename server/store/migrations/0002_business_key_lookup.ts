import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Business key → correlation lookup, the counterpart of the OpenTelemetry ClickHouse exporter's
 * otel_traces_trace_id_ts: one row per (key, correlation) with the time span it was seen in, so lineage reads
 * events by correlation inside a known time range instead of scanning history. The correlation id itself is
 * recorded as a key named `correlation_id`, so one lookup serves both kinds of search.
 * min/max columns merge in the background and are read with min()/max() GROUP BY, so a re-sent event changes
 * nothing. The view does not GROUP BY itself: per-insert aggregation cost more than the rows it saved.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'business_key_lookup',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('keyLookup')} (
      key_value String,
      key_name LowCardinality(String),
      correlation_id String,
      flow LowCardinality(String),
      first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
      last_at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
    )
    ENGINE = AggregatingMergeTree
    ORDER BY (key_value, key_name, correlation_id, flow)`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('keyLookupMv')} TO ${s.table('keyLookup')} AS
    SELECT
      kv.2 AS key_value,
      kv.1 AS key_name,
      correlation_id,
      flow,
      occurred_at AS first_at,
      occurred_at AS last_at
    FROM ${s.table('events')}
    ARRAY JOIN arrayConcat(
      [tuple('correlation_id', correlation_id)],
      arrayZip(CAST(mapKeys(keys), 'Array(String)'), mapValues(keys))
    ) AS kv`,
  ],
};
