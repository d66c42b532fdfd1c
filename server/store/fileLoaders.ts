import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { WriteResult } from './rowSink.js';
import type { Schema, TableRole } from './schema.js';
import { sql } from './sql.js';
import { isRetryableStoreError } from './storeErrors.js';

/**
 * Loads spooled JSONEachRow batch files into a table in one insert; `token` makes a repeated load of the same
 * files land once. The files share one folder.
 */
export type FileLoader = (files: readonly string[], token: string) => Promise<WriteResult>;

/**
 * Embedded engine: the engine reads the file itself (INSERT … SELECT FROM file()), parsing on all cores,
 * about twice as fast as inline inserts through the embedded connection (docs/BENCHMARKS.md).
 */
export function engineFileLoader(client: ClickHouseClient, schema: Schema, role: TableRole): FileLoader {
  return (files, token) => {
    const { query, query_params } = sql`INSERT INTO ${schema.table(role)} SELECT * FROM file(${filePattern(files)}, 'JSONEachRow')`.render();
    return attempt(() => client.command({ query, query_params, clickhouse_settings: { insert_deduplication_token: token } }));
  };
}

/**
 * ClickHouse server: the file's bytes are streamed as the body of an INSERT (the server cannot read our disk,
 * and the rows need not be parsed again here).
 */
export function streamFileLoader(client: ClickHouseClient, schema: Schema, role: TableRole): FileLoader {
  const { query } = sql`INSERT INTO ${schema.table(role)} FORMAT JSONEachRow`.render();
  return (files, token) =>
    attempt(async () => {
      const values = Readable.from(concatenate(files));
      const result = await client.exec({ query, values, clickhouse_settings: { insert_deduplication_token: token } });
      result.stream.destroy();
    });
}

/** One file, or a glob naming exactly these files (`dir/{a.ndjson,b.ndjson}`); spool file names are plain. */
export function filePattern(files: readonly string[]): string {
  if (files.length === 1) return files[0]!;
  const dir = path.dirname(files[0]!);
  if (files.some((f) => path.dirname(f) !== dir)) throw new Error('files loaded together must share one folder');
  return path.join(dir, `{${files.map((f) => path.basename(f)).join(',')}}`);
}

async function* concatenate(files: readonly string[]): AsyncGenerator<Buffer> {
  for (const file of files) yield* createReadStream(file) as AsyncIterable<Buffer>;
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
