import type { ClickHouseClient } from '@clickhouse/client';
import type { EventRow } from './eventRows.js';
import type { Schema, TableRole } from './schema.js';
import { isRetryableStoreError } from './storeErrors.js';

/** The port collectors write through. `token` identifies the batch: a retry with the same token is stored once. */
export type WriteResult = { ok: true } | { ok: false; retryable: boolean; error: Error };

export type RowSink<Row> = {
  write(rows: readonly Row[], token: string): Promise<WriteResult>;
};

export type EventSink = RowSink<EventRow>;

/**
 * ClickHouse adapter. Every insert carries its own `insert_deduplication_token`: the embedded engine keeps
 * settings for the rest of the session, so an insert without one would inherit the previous batch's token
 * and be dropped as its duplicate.
 */
export function clickHouseRowSink<Row extends object>(client: ClickHouseClient, schema: Schema, role: TableRole): RowSink<Row> {
  const table = schema.insertTarget(role);
  return {
    async write(rows, token) {
      if (rows.length === 0) return { ok: true };
      try {
        await client.insert({
          table,
          values: rows as Row[],
          format: 'JSONEachRow',
          clickhouse_settings: { insert_deduplication_token: token },
        });
        return { ok: true };
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        return { ok: false, retryable: isRetryableStoreError(error), error };
      }
    },
  };
}
