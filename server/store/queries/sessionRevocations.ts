import type { ClickHouseClient } from '@clickhouse/client';
import { queryRows } from '../queryRows.js';
import type { Schema } from '../schema.js';
import { param, sql, toClickHouseTime } from '../sql.js';

/** A session ended by signing out: its key (user and issue time) and when it would have expired. */
export type RevokedSession = { key: string; expiresAt: number };

export async function insertRevocation(client: ClickHouseClient, schema: Schema, revoked: RevokedSession, now: number): Promise<void> {
  await client.insert({
    table: schema.insertTarget('sessionRevocations'),
    values: [{ session_key: revoked.key, expires_at: toClickHouseTime(revoked.expiresAt), revoked_at: toClickHouseTime(now) }],
    format: 'JSONEachRow',
  });
}

/** The sessions ended by signing out that have not expired yet. */
export async function activeRevocations(client: ClickHouseClient, schema: Schema, now: number): Promise<RevokedSession[]> {
  const rows = await queryRows<{ session_key: string; expires_ms: string | number }>(
    client,
    sql`SELECT session_key, toUnixTimestamp64Milli(max(expires_at)) AS expires_ms
        FROM ${schema.table('sessionRevocations')}
        WHERE expires_at > ${param.dateTime64(now)}
        GROUP BY session_key`,
  );
  return rows.map((r) => ({ key: r.session_key, expiresAt: Number(r.expires_ms) }));
}
