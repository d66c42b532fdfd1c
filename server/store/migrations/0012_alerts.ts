import { sql } from '../sql.js';
import type { Migration } from './migration.js';

/**
 * Alerts, append-only. `alert_transitions`: every step of every alert (pending, firing, acknowledged, resolved,
 * inactive) with who made it and the figures it was made on; an alert's state is derived from them
 * (server/domain/alertLifecycle.ts). `alert_notifications`: every claim to send a notification and every attempt
 * at it, by its deterministic id — the record that one notification went out once. `alert_mutes`: mutes created
 * and ended. Each row names its own id, so a row written twice (a retried insert, two servers) is read once.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'alerts',
  statements: (s) => [
    sql`CREATE TABLE IF NOT EXISTS ${s.table('alertTransitions')} (
      transition_id String,
      alert_id String,
      dedup_key String,
      rule LowCardinality(String),
      policy LowCardinality(String),
      group_values Map(String, String),
      episode UInt32,
      state Enum8('pending' = 1, 'firing' = 2, 'acknowledged' = 3, 'resolved' = 4, 'inactive' = 5),
      severity LowCardinality(String),
      owner LowCardinality(String),
      flow LowCardinality(String),
      actor String,
      note String CODEC(ZSTD(1)),
      details String CODEC(ZSTD(1)),
      at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMM(at)
    ORDER BY (at, alert_id, transition_id)
    SETTINGS non_replicated_deduplication_window = 1000`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('alertNotifications')} (
      notification_id String,
      alert_id String,
      episode UInt32,
      receiver LowCardinality(String),
      action LowCardinality(String),
      status Enum8('claimed' = 1, 'retrying' = 2, 'failed' = 3, 'delivered' = 4, 'rejected' = 5, 'suppressed' = 6),
      attempt UInt32,
      response String CODEC(ZSTD(1)),
      instance String,
      at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMM(at)
    ORDER BY (alert_id, notification_id, attempt, at)
    SETTINGS non_replicated_deduplication_window = 1000`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('alertMutes')} (
      mute_id String,
      action Enum8('create' = 1, 'end' = 2),
      matcher String,
      starts_at DateTime64(3, 'UTC'),
      ends_at DateTime64(3, 'UTC'),
      reason String CODEC(ZSTD(1)),
      actor String,
      at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (ends_at, mute_id, at)
    SETTINGS non_replicated_deduplication_window = 1000`,
  ],
};
