import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Replay with several servers (issue 8). `replay_job_leases`: which server runs a job — one row per take,
 * renewal and release of a lease, append-only; the latest term decides, and a lease its holder stopped renewing
 * expires, so another server resumes the job. A term is taken with the deduplication token `lease:<job>:<term>`:
 * when two servers take the same term at once the store keeps one row, and the server it names runs the job.
 *
 * `replay_item_transitions` gains `instance` (the server that wrote a row) and `basis` (the sequence number of
 * the item's state a change was decided on): a change of an item's state is a compare-and-set — every server
 * deciding on the same state inserts with one deduplication token, the store keeps one, and the row with that
 * basis names the server that won. Rows written before this read '' and 0.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'replay_leases',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('replayJobLeases')} (
      job_id String,
      term UInt32,
      instance String,
      action Enum8('take' = 1, 'renew' = 2, 'release' = 3),
      at DateTime64(3, 'UTC'),
      expires_at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (job_id, term, at)
    TTL toDateTime(at) + INTERVAL 30 DAY
    SETTINGS non_replicated_deduplication_window = 1000, fsync_after_insert = 1, fsync_part_directory = 1`,
    sql`ALTER TABLE ${s.table('replayItemTransitions')} ADD COLUMN IF NOT EXISTS instance LowCardinality(String) DEFAULT ''`,
    sql`ALTER TABLE ${s.table('replayItemTransitions')} ADD COLUMN IF NOT EXISTS basis UInt64 DEFAULT 0`,
  ],
};
