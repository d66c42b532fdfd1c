import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertTransition } from '../../domain/alertLifecycle.js';
import type { AlertDetails } from '../../domain/alerts.js';
import type { Mute, MuteMatcher, SentState } from '../../domain/alertNotifications.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql, toClickHouseTime } from '../sql.js';

/**
 * Alert transitions, notifications and mutes (migration 0012), append-only. Every read counts a row written
 * twice once (by its id) and is bounded in time: alerts older than the caller's `from` are not read.
 */

export const NOTIFICATION_STATUSES = ['claimed', 'retrying', 'failed', 'delivered', 'rejected', 'suppressed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One row of the notification record: a claim, one attempt's outcome, or a mute holding it back. */
export type NotificationRow = {
  notification_id: string;
  alert_id: string;
  episode: number;
  receiver: string;
  action: string;
  status: NotificationStatus;
  /** The HTTP attempt (1, 2, …) an outcome is for; the claim of a round carries the attempt it starts at. */
  attempt: number;
  /** Status and the start of the answer, the error, or the mute that held it back. */
  response: string;
  /** The server that wrote it. */
  instance: string;
  at: number;
};

export type MuteRow = { mute_id: string; action: 'create' | 'end'; matcher: MuteMatcher; starts_at: number; ends_at: number; reason: string; actor: string; at: number };

const token = (parts: readonly string[]) => createHash('sha256').update(parts.join('\n')).digest('hex');

/** Append transitions (never updated: the history is the record). */
export async function appendAlertTransitions(client: ClickHouseClient, schema: Schema, transitions: readonly AlertTransition[]): Promise<void> {
  if (transitions.length === 0) return;
  await client.insert({
    table: schema.insertTarget('alertTransitions'),
    values: transitions.map(({ group, details, at, ...t }) => ({ ...t, group_values: group, details: JSON.stringify(details), at: toClickHouseTime(at) })),
    format: 'JSONEachRow',
    // Two servers deriving the same step write the same ids: stored once when the batch is the same, read once always.
    clickhouse_settings: { insert_deduplication_token: token(transitions.map((t) => `${t.transition_id}@${t.at}:${t.actor}`)) },
  });
}

const TRANSITION_COLUMNS = sql`transition_id, alert_id, dedup_key, toString(rule) AS rule, toString(policy) AS policy, group_values, episode, toString(state) AS state,
  toString(severity) AS severity, toString(owner) AS owner, toString(flow) AS flow, actor, note, details, toUnixTimestamp64Milli(at) AS at_ms`;

// Times come back as `at_ms`: an alias named `at` would stand for the column in WHERE too.
type TransitionRecord = Omit<AlertTransition, 'group' | 'details' | 'at' | 'episode'> & { group_values: Record<string, string>; details: string; at_ms: string | number; episode: string | number };

function toTransition({ group_values, details, at_ms, episode, ...r }: TransitionRecord): AlertTransition {
  return { ...r, group: group_values, episode: Number(episode), details: JSON.parse(details) as AlertDetails, at: Number(at_ms) };
}

/** Every transition since `from` (of one alert, when given), each id once (its earliest copy), in time order. */
export async function alertTransitionsSince(client: ClickHouseClient, schema: Schema, from: number, alertId?: string): Promise<AlertTransition[]> {
  const rows = await queryRows<TransitionRecord>(
    client,
    sql`SELECT ${TRANSITION_COLUMNS}
        FROM ${schema.table('alertTransitions')}
        WHERE at >= ${param.dateTime64(from)} ${alertId === undefined ? sql`` : sql`AND alert_id = ${param.string(alertId)}`}
        ORDER BY at, transition_id
        LIMIT 1 BY transition_id`,
  );
  return rows.map(toTransition);
}

/** The transitions of each alert's latest episode with a transition since `from`: what the evaluation starts from. */
export async function latestEpisodeTransitions(client: ClickHouseClient, schema: Schema, from: number): Promise<AlertTransition[]> {
  const rows = await queryRows<TransitionRecord>(
    client,
    sql`SELECT ${TRANSITION_COLUMNS}
        FROM ${schema.table('alertTransitions')}
        WHERE at >= ${param.dateTime64(from)}
          AND (alert_id, episode) IN (SELECT alert_id, max(episode) FROM ${schema.table('alertTransitions')} WHERE at >= ${param.dateTime64(from)} GROUP BY alert_id)
        ORDER BY at, transition_id
        LIMIT 1 BY transition_id`,
  );
  return rows.map(toTransition);
}

/**
 * Append rows to the notification record. `dedupKey` replaces the rows' own deduplication token: inserts that
 * share it are stored once, whoever sends them — a claim's compare-and-set (notificationClaims.ts).
 */
export async function appendNotificationRows(client: ClickHouseClient, schema: Schema, rows: readonly NotificationRow[], dedupKey?: string): Promise<void> {
  if (rows.length === 0) return;
  await client.insert({
    table: schema.insertTarget('alertNotifications'),
    values: rows.map((r) => ({ ...r, at: toClickHouseTime(r.at) })),
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: dedupKey === undefined ? token(rows.map((r) => `${r.notification_id}:${r.attempt}:${r.status}:${r.instance}:${r.at}`)) : token([dedupKey]) },
  });
}

type NotificationRecord = Omit<NotificationRow, 'episode' | 'attempt' | 'at'> & { episode: string | number; attempt: string | number; at_ms: string | number };
const toNotification = ({ at_ms, ...r }: NotificationRecord): NotificationRow => ({ ...r, episode: Number(r.episode), attempt: Number(r.attempt), at: Number(at_ms) });
const NOTIFICATION_COLUMNS = sql`notification_id, alert_id, episode, toString(receiver) AS receiver, toString(action) AS action, toString(status) AS status, attempt, response, instance, toUnixTimestamp64Milli(at) AS at_ms`;

/** Every row of one notification id, oldest first: what a claimant decides on. */
export async function notificationRecord(client: ClickHouseClient, schema: Schema, alertId: string, notificationId: string): Promise<NotificationRow[]> {
  const rows = await queryRows<NotificationRecord>(
    client,
    sql`SELECT ${NOTIFICATION_COLUMNS}
        FROM ${schema.table('alertNotifications')}
        WHERE alert_id = ${param.string(alertId)} AND notification_id = ${param.string(notificationId)}
        ORDER BY attempt, at_ms, status`,
  );
  return rows.map(toNotification);
}

/**
 * The servers holding a claim on one attempt of a notification, in the order the store took their claims (its
 * own clock; the server name breaks a tie): the first one sends.
 */
export async function claimantsOf(client: ClickHouseClient, schema: Schema, alertId: string, notificationId: string, attempt: number): Promise<string[]> {
  const rows = await queryRows<{ instance: string }>(
    client,
    sql`SELECT instance
        FROM ${schema.table('alertNotifications')}
        WHERE alert_id = ${param.string(alertId)} AND notification_id = ${param.string(notificationId)}
          AND attempt = ${param.uint32(attempt)} AND status = 'claimed'
        ORDER BY stored_at, instance`,
  );
  return rows.map((r) => r.instance);
}

/** The notification record of one alert since `from`, oldest first (the alert's detail). */
export async function notificationsOfAlert(client: ClickHouseClient, schema: Schema, alertId: string, from: number): Promise<NotificationRow[]> {
  const rows = await queryRows<NotificationRecord>(
    client,
    sql`SELECT ${NOTIFICATION_COLUMNS}
        FROM ${schema.table('alertNotifications')}
        WHERE alert_id = ${param.string(alertId)} AND at >= ${param.dateTime64(from)}
        ORDER BY at_ms, notification_id, attempt, status
        LIMIT 1 BY notification_id, attempt, status, instance, at_ms`,
  );
  return rows.map(toNotification);
}

/**
 * Per notification id of these alert episodes: whether (and when) it was delivered, refused for good, or held
 * back by which mutes — summed up in the engine, one row per id.
 */
export async function notificationStates(client: ClickHouseClient, schema: Schema, episodes: readonly { alert_id: string; episode: number }[], from: number): Promise<Map<string, SentState>> {
  if (episodes.length === 0) return new Map();
  const keys = episodes.map((e) => `${e.alert_id}:${e.episode}`);
  const rows = await queryRows<{ notification_id: string; delivered_at: string | number; rejected: number | boolean; suppressed_by: string[] }>(
    client,
    sql`SELECT notification_id,
               toUnixTimestamp64Milli(minIf(at, status = 'delivered')) AS delivered_at,
               countIf(status = 'rejected') > 0 AS rejected,
               groupUniqArrayIf(response, status = 'suppressed') AS suppressed_by
        FROM ${schema.table('alertNotifications')}
        WHERE at >= ${param.dateTime64(from)} AND concat(alert_id, ':', toString(episode)) IN ${param.arrayString(keys)}
        GROUP BY notification_id`,
  );
  return new Map(
    rows.map((r) => {
      const delivered = Number(r.delivered_at);
      // minIf over no rows gives the epoch.
      return [r.notification_id, { delivered_at: delivered > 0 ? delivered : null, rejected: Boolean(Number(r.rejected)), suppressed_by: r.suppressed_by }];
    }),
  );
}

/** Append mute rows: a mute created, or ended early. */
export async function appendMuteRows(client: ClickHouseClient, schema: Schema, rows: readonly MuteRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.insert({
    table: schema.insertTarget('alertMutes'),
    values: rows.map((r) => ({ ...r, matcher: JSON.stringify(r.matcher), starts_at: toClickHouseTime(r.starts_at), ends_at: toClickHouseTime(r.ends_at), at: toClickHouseTime(r.at) })),
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: token(rows.map((r) => `${r.mute_id}:${r.action}:${r.at}`)) },
  });
}

export type MuteState = Mute & { ended: { by: string; at: number } | null };

/** Mutes whose end time is after `after`, each with whether someone ended it early, ending last first. */
export async function mutesEndingAfter(client: ClickHouseClient, schema: Schema, after: number): Promise<MuteState[]> {
  const rows = await queryRows<{ mute_id: string; matcher: string; starts_ms: string | number; ends_ms: string | number; reason: string; created_by: string; created_ms: string | number; ended_by: string; ended_ms: string | number }>(
    client,
    sql`SELECT mute_id,
               argMinIf(matcher, at, action = 'create') AS matcher,
               toUnixTimestamp64Milli(minIf(starts_at, action = 'create')) AS starts_ms,
               toUnixTimestamp64Milli(minIf(ends_at, action = 'create')) AS ends_ms,
               argMinIf(reason, at, action = 'create') AS reason,
               argMinIf(actor, at, action = 'create') AS created_by,
               toUnixTimestamp64Milli(minIf(at, action = 'create')) AS created_ms,
               argMinIf(actor, at, action = 'end') AS ended_by,
               toUnixTimestamp64Milli(minIf(at, action = 'end')) AS ended_ms
        FROM ${schema.table('alertMutes')}
        WHERE ends_at > ${param.dateTime64(after)}
        GROUP BY mute_id
        HAVING countIf(action = 'create') > 0
        ORDER BY ends_ms DESC, mute_id`,
  );
  return rows.map((r) => {
    const endedAt = Number(r.ended_ms);
    return {
      mute_id: r.mute_id,
      matcher: JSON.parse(r.matcher) as MuteMatcher,
      starts_at: Number(r.starts_ms),
      ends_at: Number(r.ends_ms),
      reason: r.reason,
      created_by: r.created_by,
      created_at: Number(r.created_ms),
      ended: endedAt > 0 ? { by: r.ended_by, at: endedAt } : null,
    };
  });
}
