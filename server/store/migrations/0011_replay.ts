import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/** Settings of every replay table: a retried insert (same token) is stored once, and an insert is on disk when it returns. */
const DURABLE = sql`SETTINGS non_replicated_deduplication_window = 1000, fsync_after_insert = 1, fsync_part_directory = 1`;

/**
 * Replay (issue 7), append-only like the exception workflow: nothing is updated, the current state is the
 * latest row. `replay_jobs` holds each job's transitions (created awaiting approval or queued, approved,
 * running, done, cancelled, failed; who and why). `replay_job_items` is each job's fixed list of events, as
 * planned when it was created. `replay_item_transitions` is the durable claim of each (event, target): claimed →
 * sending → applied | rejected | unknown | refused | blocked | cancelled, settled_applied | settled_not_applied
 * after a lookup; `skipped` and `recorded` rows note a job's decision and the replay step written, without
 * changing who holds the item. Every insert is fsync'd (`fsync_after_insert`): a `sending` row is on disk before
 * a byte goes to the target, so a crash can never forget that something may have been sent.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'replay',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('replayJobs')} (
      job_id String,
      seq UInt64,
      state Enum8('awaiting_approval' = 1, 'queued' = 2, 'running' = 3, 'done' = 4, 'cancelled' = 5, 'failed' = 6),
      actor String,
      note String CODEC(ZSTD(1)),
      at DateTime64(3, 'UTC'),
      created_at DateTime64(3, 'UTC'),
      requested_by String,
      reason String CODEC(ZSTD(1)),
      selection String CODEC(ZSTD(1)),
      approval_flows Array(String),
      item_count UInt32
    )
    ENGINE = MergeTree
    ORDER BY (job_id, seq)
    ${DURABLE}`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('replayJobItems')} (
      job_id String,
      position UInt32,
      event_id String,
      target LowCardinality(String),
      idempotency_key String,
      flow LowCardinality(String),
      correlation_id String,
      step LowCardinality(String),
      event_occurred_at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (job_id, position)
    ${DURABLE}`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('replayItemTransitions')} (
      event_id String,
      target LowCardinality(String),
      seq UInt64,
      job_id String,
      state Enum8('claimed' = 1, 'sending' = 2, 'applied' = 3, 'rejected' = 4, 'unknown' = 5, 'refused' = 6, 'blocked' = 7,
                  'skipped' = 8, 'cancelled' = 9, 'settled_applied' = 10, 'settled_not_applied' = 11, 'recorded' = 12),
      attempt UInt16,
      idempotency_key String,
      actor String,
      http_status UInt16,
      detail String CODEC(ZSTD(1)),
      at DateTime64(3, 'UTC'),
      INDEX idx_job_id job_id TYPE bloom_filter(0.001) GRANULARITY 1
    )
    ENGINE = MergeTree
    ORDER BY (event_id, target, seq)
    ${DURABLE}`,
  ],
};
