import type { ClickHouseClient } from '@clickhouse/client';
import type { LeaseTerm } from '../../domain/replayLease.js';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql, toClickHouseTime } from '../sql.js';
import { durableInsert } from './replayTransitions.js';

/** One row of `replay_job_leases` (migration 0017). */
export type LeaseRow = {
  job_id: string;
  term: number;
  instance: string;
  action: 'take' | 'renew' | 'release';
  at: number;
  expires_at: number;
};

/**
 * Append a lease row. A take carries the token `lease:<job>:<term>`, the same for every server taking that term,
 * so the store keeps one of them; renewals and releases are the holder's alone.
 */
export async function insertLeaseRow(client: ClickHouseClient, schema: Schema, row: LeaseRow): Promise<void> {
  const token = row.action === 'take' ? `lease:${row.job_id}:${row.term}` : `lease:${row.job_id}:${row.term}:${row.action}:${row.instance}:${row.at}`;
  await client.insert({
    table: schema.insertTarget('replayJobLeases'),
    values: [{ ...row, at: toClickHouseTime(row.at), expires_at: toClickHouseTime(row.expires_at) }],
    format: 'JSONEachRow',
    clickhouse_settings: durableInsert(token),
  });
}

/** The latest term of each of these jobs' leases (jobs never leased are absent). */
export async function latestTerms(client: ClickHouseClient, schema: Schema, jobIds: readonly string[]): Promise<Map<string, LeaseTerm>> {
  if (jobIds.length === 0) return new Map();
  const rows = await queryRows<{ job_id: string; term: string | number; takers: string[]; expires_ms: string | number; released: string | number }>(
    client,
    sql`SELECT job_id, term, groupUniqArrayIf(instance, action = 'take') AS takers,
          toUnixTimestamp64Milli(maxIf(expires_at, action != 'release')) AS expires_ms, countIf(action = 'release') > 0 AS released
        FROM ${schema.table('replayJobLeases')}
        WHERE job_id IN ${param.arrayString([...new Set(jobIds)])}
        GROUP BY job_id, term
        ORDER BY job_id, term DESC
        LIMIT 1 BY job_id`,
  );
  return new Map(
    rows.map((r) => [r.job_id, { term: Number(r.term), takers: [...r.takers].sort(), expiresAt: Number(r.expires_ms), released: Boolean(Number(r.released)) }]),
  );
}
