import type { ClickHouseClient } from '@clickhouse/client';
import type { JobState } from '../../domain/replayItems.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql, toClickHouseTime } from '../sql.js';
import { durableInsert } from './replayTransitions.js';

/** One transition of a replay job (`replay_jobs`); what the job is (selection, requester, reason) is repeated on each. */
export type JobRow = {
  job_id: string;
  seq: number;
  state: JobState;
  actor: string;
  note: string;
  at: number;
  created_at: number;
  requested_by: string;
  reason: string;
  /** The selection as JSON, as the API took it. */
  selection: string;
  /** The finance-affecting flows that made it wait for a second operator (empty: none). */
  approval_flows: string[];
  item_count: number;
};

/** One event of a job, as planned when the job was created (`replay_job_items`). */
export type JobItemRow = {
  job_id: string;
  position: number;
  event_id: string;
  target: string;
  idempotency_key: string;
  flow: string;
  correlation_id: string;
  step: string;
  event_occurred_at: number;
};

export async function appendJobRow(client: ClickHouseClient, schema: Schema, row: JobRow): Promise<void> {
  await client.insert({
    table: schema.insertTarget('replayJobs'),
    values: [{ ...row, at: toClickHouseTime(row.at), created_at: toClickHouseTime(row.created_at) }],
    format: 'JSONEachRow',
    clickhouse_settings: durableInsert(`job:${row.job_id}:${row.seq}`),
  });
}

export async function insertJobItems(client: ClickHouseClient, schema: Schema, items: readonly JobItemRow[]): Promise<void> {
  if (items.length === 0) return;
  await client.insert({
    table: schema.insertTarget('replayJobItems'),
    values: items.map((i) => ({ ...i, event_occurred_at: toClickHouseTime(i.event_occurred_at) })),
    format: 'JSONEachRow',
    clickhouse_settings: durableInsert(`items:${items[0]!.job_id}:${items.length}`),
  });
}

/** A page of job ids, newest first, optionally only jobs in some states, with how many there are in all. */
export async function jobPage(client: ClickHouseClient, schema: Schema, page: { states?: readonly JobState[]; limit: number; offset: number }): Promise<{ ids: string[]; total: number }> {
  const having = page.states === undefined ? sql`` : sql`HAVING current_state IN ${param.arrayString(page.states)}`;
  const rows = await queryRows<{ job_id: string; total: string | number }>(
    client,
    sql`SELECT job_id, argMax(toString(state), seq) AS current_state, min(created_at) AS created, count() OVER () AS total
        FROM ${schema.table('replayJobs')}
        GROUP BY job_id
        ${having}
        ORDER BY created DESC, job_id DESC
        LIMIT ${param.uint32(page.limit)} OFFSET ${param.uint32(page.offset)}`,
  );
  if (rows.length > 0 || page.offset === 0) return { ids: rows.map((r) => r.job_id), total: Number(rows[0]?.total ?? 0) };
  // A page past the end has no row to carry the count: ask for it alone.
  const [counted] = await queryRows<{ total: string | number }>(
    client,
    sql`SELECT count() AS total FROM (SELECT job_id, argMax(toString(state), seq) AS current_state FROM ${schema.table('replayJobs')} GROUP BY job_id ${having})`,
  );
  return { ids: [], total: Number(counted?.total ?? 0) };
}

/** Every transition of these jobs, oldest first per job. */
export async function jobHistories(client: ClickHouseClient, schema: Schema, jobIds: readonly string[]): Promise<JobRow[]> {
  if (jobIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    client,
    sql`SELECT job_id, seq, state, actor, note, toUnixTimestamp64Milli(at) AS at_ms, toUnixTimestamp64Milli(created_at) AS created_ms,
          requested_by, reason, selection, approval_flows, item_count
        FROM ${schema.table('replayJobs')}
        WHERE job_id IN ${param.arrayString(jobIds)}
        ORDER BY job_id, seq
        LIMIT 1 BY job_id, seq`,
  );
  return rows.map((r) => ({
    job_id: String(r.job_id),
    seq: Number(r.seq),
    state: r.state as JobState,
    actor: String(r.actor),
    note: String(r.note),
    at: Number(r.at_ms),
    created_at: Number(r.created_ms),
    requested_by: String(r.requested_by),
    reason: String(r.reason),
    selection: String(r.selection),
    approval_flows: r.approval_flows as string[],
    item_count: Number(r.item_count),
  }));
}

/** Ids of the jobs whose latest state is one of `states`, oldest first. */
export async function jobsInStates(client: ClickHouseClient, schema: Schema, states: readonly JobState[]): Promise<string[]> {
  const rows = await queryRows<{ job_id: string }>(
    client,
    sql`SELECT job_id, argMax(toString(state), seq) AS current_state, min(created_at) AS created
        FROM ${schema.table('replayJobs')}
        GROUP BY job_id
        HAVING current_state IN ${param.arrayString(states)}
        ORDER BY created, job_id`,
  );
  return rows.map((r) => r.job_id);
}

/** A job's events in their planned order (a page of them when asked). */
export async function jobItems(client: ClickHouseClient, schema: Schema, jobId: string, page?: { limit: number; offset: number }): Promise<JobItemRow[]> {
  const cut = page === undefined ? sql`` : sql`LIMIT ${param.uint32(page.limit)} OFFSET ${param.uint32(page.offset)}`;
  const rows = await queryRows<Record<string, unknown>>(
    client,
    sql`SELECT job_id, position, event_id, target, idempotency_key, flow, correlation_id, step, toUnixTimestamp64Milli(event_occurred_at) AS occurred_ms
        FROM ${schema.table('replayJobItems')}
        WHERE job_id = ${jobId}
        ORDER BY position
        LIMIT 1 BY position
        ${cut}`,
  );
  return rows.map(toJobItem);
}

const toJobItem = (r: Record<string, unknown>): JobItemRow => ({
  job_id: String(r.job_id),
  position: Number(r.position),
  event_id: String(r.event_id),
  target: String(r.target),
  idempotency_key: String(r.idempotency_key),
  flow: String(r.flow),
  correlation_id: String(r.correlation_id),
  step: String(r.step),
  event_occurred_at: Number(r.occurred_ms),
});

/** The highest job sequence written so far (0: none). */
export async function maxJobSeq(client: ClickHouseClient, schema: Schema): Promise<number> {
  const rows = await queryRows<{ seq: string | number }>(client, sql`SELECT max(seq) AS seq FROM ${schema.table('replayJobs')}`);
  return Number(rows[0]?.seq ?? 0);
}

/** The items of a job for some events (to find an event again from its claim). */
export async function jobItemsOfEvents(client: ClickHouseClient, schema: Schema, jobId: string, eventIds: readonly string[]): Promise<JobItemRow[]> {
  if (eventIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    client,
    sql`SELECT job_id, position, event_id, target, idempotency_key, flow, correlation_id, step, toUnixTimestamp64Milli(event_occurred_at) AS occurred_ms
        FROM ${schema.table('replayJobItems')}
        WHERE job_id = ${jobId} AND event_id IN ${param.arrayString(eventIds)}
        ORDER BY position
        LIMIT 1 BY position`,
  );
  return rows.map(toJobItem);
}
