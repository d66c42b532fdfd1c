import type { ClickHouseClient } from '@clickhouse/client';
import type { ReplayCandidate, ReplayedEvent } from '../../domain/replayPlan.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { join, param, sql, type Sql } from '../sql.js';
import { EXCEPTION_ID_SQL } from './exceptions.js';

/**
 * The events a replay selects, read from `step_failures` (failures only, by time) and then from
 * `business_events` by its sorting key (flow, step, time, id), so no read scans all events. Each exception
 * (flow, correlation, step) contributes one event: its latest failure that names a replay target, else its latest.
 */

export type BulkFilter = { from: number; to: number; flow?: string; step?: string; system?: string; errorCode?: string };
/** A candidate with the payload and what its replay step copies, for sending or showing it. */
export type ReplayEventRow = ReplayCandidate & ReplayedEvent & { payload: string };

/** LowCardinality and Enum columns come out as their text; no alias shadows a column the WHERE reads. */
const CANDIDATE_COLUMNS = sql`event_id, flow, correlation_id, step, status, toUnixTimestamp64Milli(occurred_at) AS occurred_ms, replay_target,
  payload != '' AS has_payload, JSONExtractString(payload, 'idempotency_key') AS payload_key`;

type CandidateRecord = Omit<ReplayCandidate, 'occurred_at' | 'has_payload'> & { occurred_ms: string | number; has_payload: boolean | number };

const toCandidate = (r: CandidateRecord): ReplayCandidate => ({
  event_id: r.event_id,
  flow: r.flow,
  correlation_id: r.correlation_id,
  step: r.step,
  status: r.status,
  occurred_at: Number(r.occurred_ms),
  replay_target: r.replay_target,
  has_payload: Boolean(Number(r.has_payload)),
  payload_key: r.payload_key,
});

/** The picked failures' events, read by the events' sorting key within [from, to). */
async function eventsOfFailures(client: ClickHouseClient, schema: Schema, picked: Sql, from: number, to: number): Promise<ReplayCandidate[]> {
  const rows = await queryRows<CandidateRecord>(
    client,
    sql`SELECT ${CANDIDATE_COLUMNS}
        FROM ${schema.table('events')}
        WHERE (flow, step, occurred_at, event_id) IN (SELECT flow, step, occurred_at, event_id FROM (${picked}))
          AND occurred_at >= ${param.dateTime64(from)} AND occurred_at < ${param.dateTime64(to)}
        ORDER BY occurred_at, event_id
        LIMIT 1 BY event_id`,
  );
  return rows.map(toCandidate);
}

const REPLAYABLE_FAILURE = sql`status IN ('failed', 'dead_lettered') AND replay_of = ''`;
/** Per exception, the latest failure naming a replay target, else the latest. */
const ONE_PER_EXCEPTION = sql`ORDER BY replay_target != '' DESC, occurred_at DESC, event_id LIMIT 1 BY flow, correlation_id, step`;

/** A failed or dead-lettered event by id, among the failures of [from, to). */
export async function failedEventById(client: ClickHouseClient, schema: Schema, eventId: string, from: number, to: number): Promise<ReplayCandidate | undefined> {
  const picked = sql`SELECT flow, step, occurred_at, event_id FROM ${schema.table('stepFailures')}
    WHERE occurred_at >= ${param.dateTime64(from)} AND occurred_at < ${param.dateTime64(to)}
      AND event_id = ${eventId} AND status IN ('failed', 'dead_lettered')
    LIMIT 1`;
  return (await eventsOfFailures(client, schema, picked, from, to))[0];
}

/** The event an exception replays: its latest failure (naming a target when one does) in [from, to). */
export async function failedEventOfException(client: ClickHouseClient, schema: Schema, exceptionId: string, from: number, to: number): Promise<ReplayCandidate | undefined> {
  const picked = sql`SELECT flow, step, occurred_at, event_id FROM (
      SELECT flow, correlation_id, CAST(step, 'String') AS step, occurred_at, event_id, replay_target
      FROM ${schema.table('stepFailures')}
      WHERE occurred_at >= ${param.dateTime64(from)} AND occurred_at < ${param.dateTime64(to)} AND ${REPLAYABLE_FAILURE}
    )
    WHERE ${EXCEPTION_ID_SQL} = ${exceptionId}
    ${ONE_PER_EXCEPTION}`;
  return (await eventsOfFailures(client, schema, picked, from, to))[0];
}

/**
 * The events a bulk selection replays: one per exception that failed in [from, to) matching the filter (`system`
 * matches who reported the failure or whom it was sent to). At most `limit` (ask for one more than allowed to
 * tell that a selection is too large).
 */
export async function failedEventsMatching(client: ClickHouseClient, schema: Schema, filter: BulkFilter, limit: number): Promise<ReplayCandidate[]> {
  const conditions: Sql[] = [sql`occurred_at >= ${param.dateTime64(filter.from)}`, sql`occurred_at < ${param.dateTime64(filter.to)}`, REPLAYABLE_FAILURE];
  if (filter.flow !== undefined) conditions.push(sql`flow = ${filter.flow}`);
  if (filter.step !== undefined) conditions.push(sql`step = ${filter.step}`);
  if (filter.system !== undefined) conditions.push(sql`(system = ${filter.system} OR target_system = ${filter.system})`);
  if (filter.errorCode !== undefined) conditions.push(sql`error_code = ${filter.errorCode}`);
  const picked = sql`SELECT flow, step, occurred_at, event_id FROM ${schema.table('stepFailures')}
    WHERE ${join(conditions, ' AND ')}
    ${ONE_PER_EXCEPTION}
    LIMIT ${param.uint32(limit)}`;
  return eventsOfFailures(client, schema, picked, filter.from, filter.to);
}

export type EventRef = { event_id: string; flow: string; step: string; occurred_at: number };

/** Whole events (payload, dimensions, keys) by their sorting key, for sending or showing them. */
export async function replayEvents(client: ClickHouseClient, schema: Schema, refs: readonly EventRef[]): Promise<Map<string, ReplayEventRow>> {
  if (refs.length === 0) return new Map();
  const times = refs.map((r) => r.occurred_at);
  const rows = await queryRows<CandidateRecord & Record<string, unknown>>(
    client,
    sql`SELECT ${CANDIDATE_COLUMNS}, channel, region, location_id, sku, quantity, toString(amount) AS amount_text, amount IS NULL AS no_amount,
          currency, error_class, keys, payload
        FROM ${schema.table('events')}
        WHERE flow IN ${param.arrayString([...new Set(refs.map((r) => r.flow))])}
          AND step IN ${param.arrayString([...new Set(refs.map((r) => r.step))])}
          AND occurred_at >= ${param.dateTime64(Math.min(...times))} AND occurred_at <= ${param.dateTime64(Math.max(...times))}
          AND event_id IN ${param.arrayString(refs.map((r) => r.event_id))}
        ORDER BY occurred_at, event_id
        LIMIT 1 BY event_id`,
  );
  return new Map(
    rows.map((r) => [
      r.event_id,
      {
        ...toCandidate(r),
        channel: String(r.channel),
        region: String(r.region),
        location_id: String(r.location_id),
        sku: String(r.sku),
        quantity: r.quantity === null || r.quantity === undefined ? null : Number(r.quantity),
        amount: Number(r.no_amount) ? null : String(r.amount_text),
        currency: String(r.currency),
        error_class: String(r.error_class),
        keys: r.keys as Record<string, string>,
        payload: String(r.payload),
      },
    ]),
  );
}

export type StepRef = { flow: string; correlation_id: string; step: string; occurred_at: number };

/**
 * The latest success of each (flow, correlation, step), from `flow_milestones` (the hours from the earliest
 * event on, only the correlations asked for, found by a hash as the exception query does). Keyed by
 * `flow|correlation|step`; absent: none.
 */
export async function lastSuccesses(client: ClickHouseClient, schema: Schema, refs: readonly StepRef[]): Promise<Map<string, number>> {
  if (refs.length === 0) return new Map();
  const from = Math.min(...refs.map((r) => r.occurred_at));
  const rows = await queryRows<{ flow: string; correlation_id: string; step: string; ok: string | number }>(
    client,
    sql`WITH wanted AS (
          SELECT w.1 AS flow, w.2 AS correlation_id, w.3 AS step
          FROM (SELECT arrayJoin(arrayZip(${param.arrayString(refs.map((r) => r.flow))}, ${param.arrayString(refs.map((r) => r.correlation_id))}, ${param.arrayString(refs.map((r) => r.step))})) AS w)
        )
        SELECT wanted.flow AS flow, wanted.correlation_id AS correlation_id, wanted.step AS step, max(toUnixTimestamp64Milli(m.last_ok[wanted.step])) AS ok
        FROM wanted
        INNER JOIN (
          SELECT flow, correlation_id, last_ok FROM ${schema.table('flowMilestones')}
          WHERE hour >= toStartOfHour(${param.dateTime64(from)})
            AND flow IN ${param.arrayString([...new Set(refs.map((r) => r.flow))])}
            AND cityHash64(correlation_id) IN (SELECT cityHash64(correlation_id) FROM wanted)
        ) AS m ON m.flow = wanted.flow AND m.correlation_id = wanted.correlation_id
        GROUP BY flow, correlation_id, step
        HAVING ok > 0`,
  );
  return new Map(rows.map((r) => [stepKey(r), Number(r.ok)]));
}

export function stepKey(r: { flow: string; correlation_id: string; step: string }): string {
  return `${r.flow}|${r.correlation_id}|${r.step}`;
}

/** Whether an event is stored, by its sorting key (a replay step written before a crash, loaded from the spool at start). */
export async function eventStored(client: ClickHouseClient, schema: Schema, ref: EventRef): Promise<boolean> {
  const rows = await queryRows<{ n: string | number }>(
    client,
    sql`SELECT count() AS n FROM ${schema.table('events')}
        WHERE flow = ${ref.flow} AND step = ${ref.step} AND occurred_at = ${param.dateTime64(ref.occurred_at)} AND event_id = ${ref.event_id}`,
  );
  return Number(rows[0]?.n ?? 0) > 0;
}
