import { quoteIdentifier, sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Spans, in the table layout of the OpenTelemetry Collector's ClickHouse exporter (exporter/clickhouseexporter,
 * internal/sqltemplates: traces_table.sql, traces_id_ts_lookup_table.sql, traces_id_ts_lookup_mv.sql): same
 * columns and types, partitioning, sorting key and skip indexes, so a team that already runs that exporter
 * can point Flowlens at its tables and tools built for them read ours. No TTL, as the exporter's default.
 * One addition: non_replicated_deduplication_window, so a batch the group committer retries with the same
 * insert_deduplication_token (after an ambiguous failure) is stored once.
 * `otel_traces_trace_id_ts` gives each trace's time span, so a trace is read by TraceId inside its window.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'otel_traces',
  statements: (s) => [
    sql`CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(s.otelDatabase)}`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('otelTraces')} (
      Timestamp DateTime64(9) CODEC(Delta, ZSTD(1)),
      TraceId String CODEC(ZSTD(1)),
      SpanId String CODEC(ZSTD(1)),
      ParentSpanId String CODEC(ZSTD(1)),
      TraceState String CODEC(ZSTD(1)),
      SpanName LowCardinality(String) CODEC(ZSTD(1)),
      SpanKind LowCardinality(String) CODEC(ZSTD(1)),
      ServiceName LowCardinality(String) CODEC(ZSTD(1)),
      ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      ScopeName String CODEC(ZSTD(1)),
      ScopeVersion String CODEC(ZSTD(1)),
      SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
      Duration UInt64 CODEC(ZSTD(1)),
      StatusCode LowCardinality(String) CODEC(ZSTD(1)),
      StatusMessage String CODEC(ZSTD(1)),
      Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
      ) CODEC(ZSTD(1)),
      Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
      ) CODEC(ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
      INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
      INDEX idx_duration Duration TYPE minmax GRANULARITY 1
    )
    ENGINE = MergeTree
    PARTITION BY toDate(Timestamp)
    ORDER BY (ServiceName, SpanName, toDateTime(Timestamp))
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('otelTracesTraceIdTs')} (
      TraceId String CODEC(ZSTD(1)),
      Start DateTime CODEC(Delta, ZSTD(1)),
      End DateTime CODEC(Delta, ZSTD(1)),
      INDEX idx_trace_id TraceId TYPE bloom_filter(0.01) GRANULARITY 1
    )
    ENGINE = MergeTree
    PARTITION BY toDate(Start)
    ORDER BY (TraceId, Start)
    SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('otelTracesTraceIdTsMv')} TO ${s.table('otelTracesTraceIdTs')} AS
    SELECT
      TraceId,
      min(Timestamp) AS Start,
      max(Timestamp) AS End
    FROM ${s.table('otelTraces')}
    WHERE TraceId != ''
    GROUP BY TraceId`,
  ],
};
