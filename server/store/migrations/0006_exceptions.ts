import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Exceptions. `step_failures` keeps every failed, dead-lettered or retrying step (few, next to all events),
 * ordered by time, so the open ones are found from recent failures without reading all events; whether a later
 * success closed one comes from `flow_milestones`. `exception_actions` is the append-only workflow: who assigned,
 * acknowledged, commented on or resolved which exception, when; the current state is derived from it.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'exceptions',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('stepFailures')} (
      flow LowCardinality(String),
      correlation_id String,
      step LowCardinality(String),
      occurred_at DateTime64(3, 'UTC'),
      event_id String,
      status Enum8('ok' = 1, 'failed' = 2, 'retrying' = 3, 'dead_lettered' = 4, 'skipped' = 5),
      system LowCardinality(String),
      target_system LowCardinality(String),
      channel LowCardinality(String),
      error_code LowCardinality(String),
      error_class Enum8('' = 0, 'business' = 1, 'technical' = 2),
      error_message String CODEC(ZSTD(1)),
      replay_target LowCardinality(String),
      replay_of String
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (occurred_at, correlation_id, step)`,
    sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('stepFailuresMv')} TO ${s.table('stepFailures')} AS
    SELECT flow, correlation_id, step, occurred_at, event_id, status, system, target_system, channel, error_code, error_class, error_message, replay_target, replay_of
    FROM ${s.table('events')}
    WHERE status IN ('failed', 'dead_lettered', 'retrying')`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('exceptionActions')} (
      action_id String,
      exception_id String,
      flow LowCardinality(String),
      correlation_id String,
      step LowCardinality(String),
      action Enum8('assign' = 1, 'acknowledge' = 2, 'comment' = 3, 'resolve' = 4, 'reopen' = 5),
      actor String,
      assignee String,
      note String CODEC(ZSTD(1)),
      at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (exception_id, at, action_id)
    SETTINGS non_replicated_deduplication_window = 1000`,
  ],
};
