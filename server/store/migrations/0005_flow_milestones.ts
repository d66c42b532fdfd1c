import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Milestones per correlation and hour of event time: when each step first succeeded (also per channel, as
 * `step@channel`), when it last succeeded and last failed, which system reported each step, and the
 * transaction's location, SKU, channel, region and quantity (for SLA groups and stale stock).
 * A correlation whose events span hours has one row per hour; queries bound the hours they read (the sorting
 * key) and merge a correlation's rows with GROUP BY. Every aggregate is idempotent (min, max, minMap,
 * maxMap), so a re-sent event changes nothing. Lag, SLA, stale stock and exception queries read this, not raw
 * events. In the view, `e.` keeps the source columns apart from the output aliases of the same name.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'flow_milestones',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('flowMilestones')} (
      flow LowCardinality(String),
      hour DateTime('UTC'),
      correlation_id String,
      location_id SimpleAggregateFunction(max, String),
      sku SimpleAggregateFunction(max, String),
      channel SimpleAggregateFunction(max, String),
      region SimpleAggregateFunction(max, String),
      step_system SimpleAggregateFunction(maxMap, Map(String, String)),
      quantity SimpleAggregateFunction(max, Nullable(Float64)),
      first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
      last_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
      first_ok SimpleAggregateFunction(minMap, Map(String, DateTime64(3, 'UTC'))),
      last_ok SimpleAggregateFunction(maxMap, Map(String, DateTime64(3, 'UTC'))),
      last_failed SimpleAggregateFunction(maxMap, Map(String, DateTime64(3, 'UTC')))
    )
    ENGINE = AggregatingMergeTree
    PARTITION BY toYYYYMM(hour)
    ORDER BY (flow, hour, correlation_id)`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('flowMilestonesMv')} TO ${s.table('flowMilestones')} AS
    SELECT
      flow,
      toStartOfHour(occurred_at) AS hour,
      correlation_id,
      max(location_id) AS location_id,
      max(sku) AS sku,
      max(CAST(e.channel, 'String')) AS channel,
      max(CAST(e.region, 'String')) AS region,
      maxMap(map(CAST(step, 'String'), CAST(system, 'String'))) AS step_system,
      max(quantity) AS quantity,
      min(occurred_at) AS first_at,
      max(occurred_at) AS last_at,
      minMapIf(if(e.channel = '', map(CAST(step, 'String'), occurred_at), map(CAST(step, 'String'), occurred_at, concat(step, '@', e.channel), occurred_at)), status = 'ok') AS first_ok,
      maxMapIf(map(CAST(step, 'String'), occurred_at), status = 'ok') AS last_ok,
      maxMapIf(map(CAST(step, 'String'), occurred_at), status IN ('failed', 'dead_lettered')) AS last_failed
    FROM ${s.table('events')} AS e
    GROUP BY flow, hour, correlation_id`,
  ],
};
