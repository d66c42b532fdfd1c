import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Canonical business events. A re-sent event can be stored twice (after the ingest's recent-id memory has
 * forgotten it), so every query reads events `LIMIT 1 BY event_id` or counts `uniqExact(event_id)`: nothing
 * counts twice. Plain MergeTree, not ReplacingMergeTree: it inserts about twice as fast here (measured with
 * test/bench), and the collapse would not spare queries the de-duplication anyway.
 * non_replicated_deduplication_window makes `insert_deduplication_token` work on this non-replicated table,
 * so a batch retried after an ambiguous failure is stored once.
 * Lineage reaches events by correlation id (bloom filter below) inside a time range from the key lookup; no
 * other skip index is kept, as each one costs insert speed (measured: two more bloom filters, -15 %).
 */
export const migration0001: Migration = {
  version: 1,
  name: 'business_events',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('events')} (
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
      replay_of String CODEC(ZSTD(1)),
      INDEX idx_correlation_id correlation_id TYPE bloom_filter(0.001) GRANULARITY 1
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMMDD(occurred_at)
    ORDER BY (flow, step, occurred_at, event_id)
    SETTINGS non_replicated_deduplication_window = 1000`,
  ],
};
