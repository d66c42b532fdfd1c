import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql, toClickHouseTime } from '../sql.js';

/**
 * The audit trail (`audit_log`, migration 0014): appended in batches, read newest first with filters. Every
 * filter value is a typed parameter; every read is bounded in time and reads a row written twice once.
 */

export const AUDIT_RESULTS = ['ok', 'denied', 'failed'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

/** One audited request. `actor` is a user, `token:<fingerprint>`, `ingest:<key>` or `anonymous`. */
export type AuditRow = {
  audit_id: string;
  /** Epoch milliseconds (stored as UTC). */
  at: number;
  actor: string;
  actor_kind: string;
  /** Stable action name from the policy table, e.g. `replay.approve`. */
  action: string;
  /** The route's id (job, alert, exception, mute), or empty. */
  target: string;
  method: string;
  path: string;
  from_ip: string;
  status: number;
  result: AuditResult;
  /** Why it was refused or failed (an error code), never the request's body. */
  detail: string;
};

export type AuditFilter = {
  /** Time range [from, to), epoch milliseconds. */
  from: number;
  to: number;
  actor?: string;
  action?: string;
  target?: string;
  results?: readonly AuditResult[];
  limit: number;
  offset: number;
};

export type AuditPage = { rows: AuditRow[]; has_more: boolean };

/**
 * Append rows. The deduplication token is derived from the rows' ids, so an insert retried after an unclear
 * failure (it may have been stored) is stored once.
 */
export async function appendAuditRows(client: ClickHouseClient, schema: Schema, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.insert({
    table: schema.insertTarget('auditLog'),
    values: rows.map((r) => ({ ...r, at: toClickHouseTime(r.at) })),
    format: 'JSONEachRow',
    clickhouse_settings: { insert_deduplication_token: createHash('sha256').update(rows.map((r) => r.audit_id).join('\n')).digest('hex') },
  });
}

type AuditRecord = Omit<AuditRow, 'at' | 'status'> & { at_ms: string | number; status: string | number };

/** A page of the trail matching `filter`, newest first, and whether more rows follow. */
export async function auditLog(client: ClickHouseClient, schema: Schema, filter: AuditFilter): Promise<AuditPage> {
  const conditions = [
    filter.actor === undefined ? sql`` : sql`AND actor = ${param.string(filter.actor)}`,
    filter.action === undefined ? sql`` : sql`AND action = ${param.string(filter.action)}`,
    filter.target === undefined ? sql`` : sql`AND target = ${param.string(filter.target)}`,
    filter.results === undefined ? sql`` : sql`AND toString(result) IN ${param.arrayString(filter.results)}`,
  ];
  const rows = await queryRows<AuditRecord>(
    client,
    sql`SELECT audit_id, toUnixTimestamp64Milli(at) AS at_ms, actor, toString(actor_kind) AS actor_kind, toString(action) AS action, target,
               toString(method) AS method, path, from_ip, status, toString(result) AS result, detail
        FROM ${schema.table('auditLog')}
        WHERE at >= ${param.dateTime64(filter.from)} AND at < ${param.dateTime64(filter.to)}
          ${conditions[0]} ${conditions[1]} ${conditions[2]} ${conditions[3]}
        ORDER BY at DESC, audit_id DESC
        LIMIT 1 BY audit_id
        LIMIT ${param.uint32(filter.limit + 1)} OFFSET ${param.uint32(filter.offset)}`,
  );
  const page = rows.slice(0, filter.limit).map(({ at_ms, status, ...r }) => ({ ...r, at: Number(at_ms), status: Number(status) }));
  return { rows: page, has_more: rows.length > filter.limit };
}
