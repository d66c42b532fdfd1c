import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Per-correlation flow state, maintained incrementally as events arrive: first and last time, first time of
 * each step, last status and last step. Every aggregate is idempotent (min, max, minMap, argMax), so a re-sent
 * event changes nothing. Lag and SLA queries read this instead of raw events.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'flow_state',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('flowState')} (
      flow LowCardinality(String),
      correlation_id String,
      first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
      last_at SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
      step_first_at SimpleAggregateFunction(minMap, Map(String, DateTime64(3, 'UTC'))),
      last_status AggregateFunction(argMax, Enum8('ok' = 1, 'failed' = 2, 'retrying' = 3, 'dead_lettered' = 4, 'skipped' = 5), DateTime64(3, 'UTC')),
      last_step AggregateFunction(argMax, String, DateTime64(3, 'UTC'))
    )
    ENGINE = AggregatingMergeTree
    ORDER BY (flow, correlation_id)`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('flowStateMv')} TO ${s.table('flowState')} AS
    SELECT
      flow,
      correlation_id,
      min(occurred_at) AS first_at,
      max(occurred_at) AS last_at,
      minMap(map(CAST(step, 'String'), occurred_at)) AS step_first_at,
      argMaxState(status, occurred_at) AS last_status,
      argMaxState(CAST(step, 'String'), occurred_at) AS last_step
    FROM ${s.table('events')}
    GROUP BY flow, correlation_id`,
  ],
};
