import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Pipeline freshness: per emitting system and hour, the latest event time and the latest arrival, so "time since
 * the last event per source" reads a few hundred rows instead of the events of the day.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'source_freshness',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('sourceFreshness')} (
      system LowCardinality(String),
      hour DateTime('UTC'),
      last_occurred_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
      last_observed_at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
    )
    ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(hour)
    ORDER BY (hour, system)`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('sourceFreshnessMv')} TO ${s.table('sourceFreshness')} AS
    SELECT system, toStartOfHour(observed_at) AS hour, max(occurred_at) AS last_occurred_at, max(observed_at) AS last_observed_at
    FROM ${s.table('events')}
    GROUP BY system, hour`,
  ],
};
