import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql, toClickHouseTime } from '../sql.js';

/** A failed or dead-lettered step of one correlation: one exception however many retries, with its latest failure. */
export type ExceptionRow = {
  exception_id: string;
  flow: string;
  correlation_id: string;
  step: string;
  first_failed_at: number;
  last_failed_at: number;
  /** Failed, dead-lettered and retrying attempts, each event once. */
  attempts: number;
  last_status: string;
  system: string;
  target_system: string;
  channel: string;
  error_code: string;
  error_class: string;
  error_message: string;
  replay_target: string;
  /** When a later success closed it (0: still open). */
  recovered_at: number;
  /** Failed steps come from the store; missing steps and mismatches from the SLA and reconciliation answers. */
  kind?: 'failed_step' | 'missing_step' | 'mismatch';
  /** The team that owns it when a policy says so (missing steps), instead of the ownership rules. */
  owner_id?: string;
};

export type ActionRow = { action_id: string; exception_id: string; flow: string; correlation_id: string; step: string; action: string; actor: string; assignee: string; note: string; at: number };

/** The id of the exception of a correlation's step: the same in SQL (here) and in code (domain/exceptions.ts). */
export const EXCEPTION_ID_SQL = sql`lower(hex(substring(SHA1(concat(toString(length(flow)), ':', flow, toString(length(correlation_id)), ':', correlation_id, toString(length(step)), ':', step)), 1, 8)))`;

/**
 * Exceptions whose failures happened in [from, to): every failed or dead-lettered step, with whether a success
 * of the same step came after its last failure (from `flow_milestones`, reading only the hours since the first
 * failure, and of those only the rows of failing correlations, found by a hash of their id: a third of the
 * cost of matching the strings). At most `limit` rows, oldest first.
 */
export async function exceptionsBetween(client: ClickHouseClient, schema: Schema, from: number, to: number, limit: number): Promise<ExceptionRow[]> {
  const rows = await queryRows<Record<string, string | number>>(
    client,
    sql`WITH failures AS (
          SELECT flow, correlation_id, CAST(step, 'String') AS step,
                 ${EXCEPTION_ID_SQL} AS exception_id,
                 toUnixTimestamp64Milli(minIf(occurred_at, status != 'retrying')) AS first_failed_at,
                 toUnixTimestamp64Milli(maxIf(occurred_at, status != 'retrying')) AS last_failed_at,
                 uniqExact(event_id) AS attempts,
                 argMax(tuple(toString(status), CAST(system, 'String'), CAST(target_system, 'String'), CAST(channel, 'String'), CAST(error_code, 'String'), toString(error_class), error_message, CAST(replay_target, 'String')), occurred_at) AS last
          FROM (SELECT * FROM ${schema.table('stepFailures')}
                WHERE occurred_at >= ${param.dateTime64(from)} AND occurred_at < ${param.dateTime64(to)}
                LIMIT 1 BY event_id)
          GROUP BY flow, correlation_id, step
          HAVING countIf(status != 'retrying') > 0
        ),
        successes AS (
          SELECT flow, correlation_id, last_ok
          FROM ${schema.table('flowMilestones')}
          WHERE hour >= toStartOfHour(${param.dateTime64(from)}) AND cityHash64(correlation_id) IN (SELECT cityHash64(correlation_id) FROM failures)
        ),
        recovered AS (
          SELECT f.flow AS flow, f.correlation_id AS correlation_id, f.step AS step, max(toUnixTimestamp64Milli(s.last_ok[f.step])) AS ok
          FROM (SELECT flow, correlation_id, step FROM failures) AS f
          INNER JOIN successes AS s ON s.flow = f.flow AND s.correlation_id = f.correlation_id
          GROUP BY f.flow, f.correlation_id, f.step
        )
        SELECT exception_id, flow, correlation_id, step, first_failed_at, last_failed_at, attempts,
               last.1 AS last_status, last.2 AS system, last.3 AS target_system, last.4 AS channel, last.5 AS error_code,
               last.6 AS error_class, last.7 AS error_message, last.8 AS replay_target,
               if(recovered.ok > last_failed_at, recovered.ok, 0) AS recovered_at
        FROM failures LEFT JOIN recovered USING (flow, correlation_id, step)
        ORDER BY first_failed_at, correlation_id, step
        LIMIT ${param.uint32(limit)}`,
  );
  return rows.map((r) => ({
    exception_id: String(r.exception_id),
    flow: String(r.flow),
    correlation_id: String(r.correlation_id),
    step: String(r.step),
    first_failed_at: Number(r.first_failed_at),
    last_failed_at: Number(r.last_failed_at),
    attempts: Number(r.attempts),
    last_status: String(r.last_status),
    system: String(r.system),
    target_system: String(r.target_system),
    channel: String(r.channel),
    error_code: String(r.error_code),
    error_class: String(r.error_class),
    error_message: String(r.error_message),
    replay_target: String(r.replay_target),
    recovered_at: Number(r.recovered_at),
  }));
}

/** Business keys of each correlation, from its events in [from, to] (the correlation-id index, bounded in time). */
export async function keysOfCorrelations(client: ClickHouseClient, schema: Schema, correlations: readonly string[], from: number, to: number): Promise<Map<string, Record<string, string>>> {
  if (correlations.length === 0) return new Map();
  const rows = await queryRows<{ correlation_id: string; names: string[]; values: string[] }>(
    client,
    sql`SELECT correlation_id, groupUniqArrayArray(mapKeys(keys)) AS names, groupArrayArray(arrayMap((k, v) -> concat(k, '=', v), mapKeys(keys), mapValues(keys))) AS values
        FROM ${schema.table('events')}
        WHERE correlation_id IN ${param.arrayString(correlations)}
          AND occurred_at >= ${param.dateTime64(from)} AND occurred_at <= ${param.dateTime64(to)}
        GROUP BY correlation_id`,
  );
  const result = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const keys: Record<string, string> = {};
    for (const pair of row.values) {
      const at = pair.indexOf('=');
      keys[pair.slice(0, at)] ??= pair.slice(at + 1);
    }
    result.set(row.correlation_id, keys);
  }
  return result;
}

/**
 * Every workflow action on these exceptions, in time order. Most exceptions have none: the ids that have any
 * are read first (actions are few, written by people), and only those asked for are read in full.
 */
export async function actionsFor(client: ClickHouseClient, schema: Schema, exceptionIds: readonly string[]): Promise<ActionRow[]> {
  if (exceptionIds.length === 0) return [];
  const acted = await queryRows<{ exception_id: string }>(client, sql`SELECT DISTINCT exception_id FROM ${schema.table('exceptionActions')}`);
  const wanted = new Set(exceptionIds);
  const ids = acted.map((r) => r.exception_id).filter((id) => wanted.has(id));
  if (ids.length === 0) return [];
  const rows = await queryRows<ActionRow & { at: string | number }>(
    client,
    sql`SELECT action_id, exception_id, flow, correlation_id, toString(step) AS step, toString(action) AS action, actor, assignee, note, toUnixTimestamp64Milli(at) AS at
        FROM ${schema.table('exceptionActions')}
        WHERE exception_id IN ${param.arrayString(ids)}
        ORDER BY exception_id, at, action_id
        LIMIT 1 BY action_id`,
  );
  return rows.map((r) => ({ ...r, at: Number(r.at) }));
}

/** Append workflow actions (never updated or deleted: the history is the record). */
export async function appendActions(client: ClickHouseClient, schema: Schema, actions: readonly ActionRow[]): Promise<void> {
  await client.insert({
    table: schema.insertTarget('exceptionActions'),
    values: actions.map((a) => ({ ...a, at: toClickHouseTime(a.at) })),
    format: 'JSONEachRow',
    // A retried append of the same actions is stored once (the engine session keeps the last token otherwise).
    clickhouse_settings: { insert_deduplication_token: createHash('sha256').update(actions.map((a) => a.action_id).join(',')).digest('hex') },
  });
}
