import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/** Every column of `business_events`, in its order: the copy below holds the same rows, read the same way. */
const COLUMNS = sql`event_id, correlation_id, flow, step, system, target_system, channel, region, location_id, sku, quantity, amount,
      currency, status, error_code, error_class, error_message, occurred_at, observed_at, keys, payload, replay_target,
      trace_id, span_id, replay_of`;

/**
 * Events by correlation, for lineage (issue 5): the same rows as `business_events`, sorted by correlation id, so
 * a walk reads a correlation's events (and with them the keys that lead on, and its time span) from one
 * 1,024-row granule a part instead of an 8,192-row granule of every column for each step in `business_events`.
 * Parts stay compact (one file, each column of each granule compressed apart): a handful of events costs one read
 * instead of one per column (measured at 10.6M events, two correlations: ~13 ms, wide parts ~18–25 ms), for ~15.5
 * bytes an event (wide: ~13). A re-sent event may be stored twice, as in `business_events`: reads keep one copy.
 * Events stored before this migration are copied in (10.6M events: ~100 s); an event loaded between the view and
 * the copy, or a copy repeated after an interrupted run, is stored twice, which the reads absorb.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'lineage_events',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('lineageEvents')} (
      event_id String CODEC(ZSTD(1)),
      correlation_id String CODEC(ZSTD(1)),
      flow LowCardinality(String),
      step LowCardinality(String),
      system LowCardinality(String),
      target_system LowCardinality(String),
      channel LowCardinality(String),
      region LowCardinality(String),
      location_id LowCardinality(String),
      sku String CODEC(ZSTD(1)),
      quantity Nullable(Float64),
      amount Nullable(Decimal(18, 4)),
      currency LowCardinality(String),
      status Enum8('ok' = 1, 'failed' = 2, 'retrying' = 3, 'dead_lettered' = 4, 'skipped' = 5),
      error_code LowCardinality(String),
      error_class Enum8('' = 0, 'business' = 1, 'technical' = 2),
      error_message String CODEC(ZSTD(1)),
      occurred_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
      observed_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
      keys Map(LowCardinality(String), String),
      payload String CODEC(ZSTD(1)),
      replay_target LowCardinality(String),
      trace_id String CODEC(ZSTD(1)),
      span_id String CODEC(ZSTD(1)),
      replay_of String CODEC(ZSTD(1))
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (correlation_id, occurred_at, event_id)
    SETTINGS index_granularity = 1024, min_bytes_for_wide_part = 1099511627776`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('lineageEventsMv')} TO ${s.table('lineageEvents')} AS
    SELECT ${COLUMNS} FROM ${s.table('events')}`,
    sql`INSERT INTO ${s.table('lineageEvents')} (${COLUMNS}) SELECT ${COLUMNS} FROM ${s.table('events')}`,
  ],
};
