import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ClaimView, ItemState } from '../../domain/replayItems.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql, toClickHouseTime, type Sql } from '../sql.js';

/** One row of `replay_item_transitions` (migration 0011). `seq` orders an item's rows (the hybrid clock of the claims). */
export type TransitionRow = {
  event_id: string;
  target: string;
  seq: number;
  job_id: string;
  state: ItemState;
  attempt: number;
  idempotency_key: string;
  actor: string;
  http_status: number;
  detail: string;
  at: number;
  /** The server that wrote the row (migration 0017; '' before it). */
  instance: string;
  /** 1 + the `seq` of the item's state a compare-and-set was decided on; 0 for a row that is not one (notes, a holder's outcomes). */
  basis: number;
};

/**
 * Settings of every replay insert: a retried insert of the same rows is stored once (the token), and the insert
 * is synchronous (`async_insert` off: a buffered insert would skip the de-duplication and answer before the part
 * is written; the table's `fsync_after_insert` makes the part durable before the insert returns).
 */
export function durableInsert(token: string): { insert_deduplication_token: string; async_insert: 0 } {
  return { insert_deduplication_token: createHash('sha256').update(token).digest('hex'), async_insert: 0 };
}

/**
 * Append transitions (never updated: the history is the record). `token` replaces the default deduplication
 * token (the rows' keys): a compare-and-set passes one that every contender for the same state shares.
 */
export async function insertTransitions(client: ClickHouseClient, schema: Schema, rows: readonly TransitionRow[], token?: string): Promise<void> {
  if (rows.length === 0) return;
  await client.insert({
    table: schema.insertTarget('replayItemTransitions'),
    values: rows.map((r) => ({ ...r, at: toClickHouseTime(r.at) })),
    format: 'JSONEachRow',
    clickhouse_settings: durableInsert(token ?? `transitions:${rows.map((r) => `${r.event_id}|${r.target}|${r.seq}`).join(',')}`),
  });
}

/** The changes of an item decided on one state (`basis`, see TransitionRow): one row, unless a contender's insert was not deduplicated. */
export async function changesDecidedOn(client: ClickHouseClient, schema: Schema, ref: { eventId: string; target: string }, basis: number): Promise<{ seq: number; instance: string }[]> {
  const rows = await queryRows<{ seq: string | number; instance: string }>(
    client,
    sql`SELECT seq, instance FROM ${schema.table('replayItemTransitions')}
        WHERE event_id = ${ref.eventId} AND target = ${ref.target} AND basis = ${param.uint64(basis)} AND NOT ${NOTE}`,
  );
  return rows.map((r) => ({ seq: Number(r.seq), instance: r.instance }));
}

const NOTE = sql`state IN ('skipped', 'recorded')`;

/** Per item: its claim (latest row that is not a note), how often it was sent, and its latest `recorded` note. */
function claimViewsWhere(schema: Schema, where: Sql, having: Sql = sql`1`): Sql {
  return sql`SELECT event_id, target, cur.1 AS state, cur.2 AS job_id, cur.3 AS attempt, cur.4 AS idempotency_key, cur.5 AS at_ms,
      cur.6 AS seq, cur.7 AS http_status, cur.8 AS detail, cur.9 AS instance, sends, recorded_seq
    FROM (
      SELECT event_id, CAST(target, 'String') AS target,
        argMaxIf(tuple(toString(state), job_id, attempt, idempotency_key, toUnixTimestamp64Milli(at), seq, http_status, detail, toString(instance)), seq, NOT ${NOTE}) AS cur,
        maxIf(attempt, state = 'sending') AS sends,
        maxIf(seq, state = 'recorded') AS recorded_seq,
        countIf(NOT ${NOTE}) AS claims
      FROM ${schema.table('replayItemTransitions')}
      WHERE ${where}
      GROUP BY event_id, target
      HAVING claims > 0
    )
    WHERE ${having}`;
}

type ViewRecord = Record<'event_id' | 'target' | 'state' | 'job_id' | 'idempotency_key' | 'detail' | 'instance', string> & Record<'attempt' | 'at_ms' | 'seq' | 'http_status' | 'sends' | 'recorded_seq', string | number>;

const toView = (r: ViewRecord): ClaimView => ({
  eventId: r.event_id,
  target: r.target,
  state: r.state as ClaimView['state'],
  jobId: r.job_id,
  attempt: Number(r.attempt),
  sends: Number(r.sends),
  idempotencyKey: r.idempotency_key,
  at: Number(r.at_ms),
  seq: Number(r.seq),
  httpStatus: Number(r.http_status),
  detail: r.detail,
  instance: r.instance,
  recordedSeq: Number(r.recorded_seq),
});

/** The claims of these events' items (every target), by the table's sorting key. */
export async function claimViews(client: ClickHouseClient, schema: Schema, eventIds: readonly string[]): Promise<ClaimView[]> {
  if (eventIds.length === 0) return [];
  const rows = await queryRows<ViewRecord>(client, claimViewsWhere(schema, sql`event_id IN ${param.arrayString([...new Set(eventIds)])}`));
  return rows.map(toView);
}

/**
 * Items a start must look at: claimed, sending or unknown, or with a result whose replay step is not written
 * yet. Reads every item's rows once (the table holds a few rows per replayed event).
 */
export async function unsettledClaims(client: ClickHouseClient, schema: Schema): Promise<ClaimView[]> {
  const rows = await queryRows<ViewRecord>(
    client,
    claimViewsWhere(
      schema,
      sql`1`,
      sql`state IN ('claimed', 'sending', 'unknown') OR (state IN ('applied', 'settled_applied', 'rejected') AND recorded_seq < seq)`,
    ),
  );
  return rows.map(toView);
}

/** How an item fared in one job: its latest row there (other than a note) and whether its replay step was written. */
export type JobItemOutcome = {
  event_id: string;
  target: string;
  state: ItemState;
  attempt: number;
  http_status: number;
  detail: string;
  at: number;
  recorded: boolean;
};

/** The outcomes of a job's items (only those it reached), optionally only of some events. */
export async function jobItemOutcomes(client: ClickHouseClient, schema: Schema, jobId: string, eventIds?: readonly string[]): Promise<JobItemOutcome[]> {
  const only = eventIds === undefined ? sql`` : sql`AND event_id IN ${param.arrayString(eventIds)}`;
  const rows = await queryRows<Record<string, string | number | boolean>>(
    client,
    sql`SELECT event_id, target, last.1 AS state, last.2 AS attempt, last.3 AS http_status, last.4 AS detail, last.5 AS at_ms, last.6 AS seq, recorded_seq > last.6 AS recorded
        FROM (
          SELECT event_id, CAST(target, 'String') AS target,
            argMaxIf(tuple(toString(state), attempt, http_status, detail, toUnixTimestamp64Milli(at), seq), seq, state != 'recorded') AS last,
            maxIf(seq, state = 'recorded') AS recorded_seq,
            countIf(state != 'recorded') AS n
          FROM ${schema.table('replayItemTransitions')}
          WHERE job_id = ${jobId} ${only}
          GROUP BY event_id, target
          HAVING n > 0
        )`,
  );
  return rows.map((r) => ({
    event_id: String(r.event_id),
    target: String(r.target),
    state: r.state as ItemState,
    attempt: Number(r.attempt),
    http_status: Number(r.http_status),
    detail: String(r.detail),
    at: Number(r.at_ms),
    recorded: Boolean(Number(r.recorded)),
  }));
}

/** Per job, its reached items counted by their latest state in it (items not reached are not counted). */
export async function jobStateCounts(client: ClickHouseClient, schema: Schema, jobIds: readonly string[]): Promise<Map<string, Record<string, number>>> {
  if (jobIds.length === 0) return new Map();
  const rows = await queryRows<{ job_id: string; state: string; n: string | number }>(
    client,
    sql`SELECT job_id, last_state AS state, count() AS n
        FROM (
          SELECT job_id, event_id, target, argMaxIf(toString(state), seq, state != 'recorded') AS last_state, countIf(state != 'recorded') AS k
          FROM ${schema.table('replayItemTransitions')}
          WHERE job_id IN ${param.arrayString(jobIds)}
          GROUP BY job_id, event_id, target
          HAVING k > 0
        )
        GROUP BY job_id, last_state`,
  );
  const out = new Map<string, Record<string, number>>();
  for (const r of rows) (out.get(r.job_id) ?? out.set(r.job_id, {}).get(r.job_id)!)[r.state] = Number(r.n);
  return out;
}

/** The highest sequence written so far (0: none), so a restarted clock never orders new rows before old ones. */
export async function maxTransitionSeq(client: ClickHouseClient, schema: Schema): Promise<number> {
  const rows = await queryRows<{ seq: string | number }>(client, sql`SELECT max(seq) AS seq FROM ${schema.table('replayItemTransitions')}`);
  return Number(rows[0]?.seq ?? 0);
}
