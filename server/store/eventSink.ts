import type { ClickHouseClient } from '@clickhouse/client';
import type { EventRow } from './eventRows.js';
import type { Schema } from './schema.js';
import { isRetryableStoreError } from './storeErrors.js';

/** The port collectors write through. `token` identifies the batch: a retry with the same token is stored once. */
export type WriteResult = { ok: true } | { ok: false; retryable: boolean; error: Error };

export type EventSink = {
  write(rows: readonly EventRow[], token: string): Promise<WriteResult>;
};

/**
 * ClickHouse adapter. Every insert carries its own `insert_deduplication_token`: the embedded engine keeps
 * settings for the rest of the session, so an insert without one would inherit the previous batch's token
 * and be dropped as its duplicate.
 */
export function clickHouseEventSink(client: ClickHouseClient, schema: Schema): EventSink {
  const table = schema.insertTarget('events');
  return {
    async write(rows, token) {
      if (rows.length === 0) return { ok: true };
      try {
        await client.insert({
          table,
          values: rows as EventRow[],
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
