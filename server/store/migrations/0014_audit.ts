import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * The audit trail (issue 7), append-only: every mutating request — replay, approval, assignment, acknowledgement,
 * resolution, mute, sign-in, and attempts refused — with who, what, target, when (UTC), from where and the result.
 * Nothing in Flowlens updates or deletes it. Each row names its own id, so a retried insert is read once.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'audit',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('auditLog')} (
      at DateTime64(3, 'UTC'),
      audit_id String,
      actor String,
      actor_kind LowCardinality(String),
      action LowCardinality(String),
      target String,
      method LowCardinality(String),
      path String,
      from_ip String,
      status UInt16,
      result Enum8('ok' = 1, 'denied' = 2, 'failed' = 3),
      detail String CODEC(ZSTD(1))
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMM(at)
    ORDER BY (at, audit_id)
    SETTINGS non_replicated_deduplication_window = 1000`,
  ],
};
