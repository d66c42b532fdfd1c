import { createReadStream } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import type { WriteResult } from './rowSink.js';
import type { Schema, TableRole } from './schema.js';
import { sql } from './sql.js';
import { isRetryableStoreError } from './storeErrors.js';

/** Loads one spooled JSONEachRow batch file into a table; `token` makes a repeated load land once. */
export type FileLoader = (file: string, token: string) => Promise<WriteResult>;

/**
 * Embedded engine: the engine reads the file itself (INSERT … SELECT FROM file()), parsing on all cores,
 * about twice as fast as inline inserts through the embedded connection (docs/BENCHMARKS.md).
 */
export function engineFileLoader(client: ClickHouseClient, schema: Schema, role: TableRole): FileLoader {
  return (file, token) => {
    const { query, query_params } = sql`INSERT INTO ${schema.table(role)} SELECT * FROM file(${file}, 'JSONEachRow')`.render();
    return attempt(() => client.command({ query, query_params, clickhouse_settings: { insert_deduplication_token: token } }));
  };
}

/**
 * ClickHouse server: the file's bytes are streamed as the body of an INSERT (the server cannot read our disk,
 * and the rows need not be parsed again here).
 */
export function streamFileLoader(client: ClickHouseClient, schema: Schema, role: TableRole): FileLoader {
  const { query } = sql`INSERT INTO ${schema.table(role)} FORMAT JSONEachRow`.render();
  return (file, token) =>
    attempt(async () => {
      const result = await client.exec({ query, values: createReadStream(file), clickhouse_settings: { insert_deduplication_token: token } });
      result.stream.destroy();
    });
}

async function attempt(run: () => Promise<unknown>): Promise<WriteResult> {
  try {
    await run();
    return { ok: true };
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    return { ok: false, retryable: isRetryableStoreError(error), error };
  }
}
