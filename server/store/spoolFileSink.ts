import { mkdirSync } from 'node:fs';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { engineFileLoader, type FileLoader } from './fileLoaders.js';
import type { RowSink, WriteResult } from './rowSink.js';
import type { Schema, TableRole } from './schema.js';

/** A batch being loaded now (complete, fsync'd). */
const INFLIGHT = '.inflight';
/** A batch the store could not take yet: acknowledged, waiting to be drained. */
const SPOOLED = '.ndjson';
/** A batch still being written: never loaded, removed at start. */
const PARTIAL = '.partial';

export type SpoolOptions = {
  /** How a batch file reaches the table; default: the embedded engine reads it (engineFileLoader). */
  load?: FileLoader;
  /** Bytes of spooled batches past which new batches are refused (the sender gets 503 and retries). */
  maxSpoolBytes?: number;
  onSpooled?: (bytes: number) => void;
  onError?: (error: Error) => void;
};

export type SpoolFileSink<Row> = RowSink<Row> & {
  /** Load everything a previous run left (in-flight or spooled batches); drops half-written files. */
  recover(): Promise<number>;
  /** Load spooled batches, oldest first, until one fails; returns how many were loaded. */
  drain(): Promise<number>;
  /** Drain every `intervalMs` while batches are waiting. */
  start(intervalMs: number): void;
  stop(): void;
  readonly spooled: { batches: number; bytes: number };
};

/**
 * The durable edge of ingest. Each batch is written to an fsync'd file first, then loaded into ClickHouse. When
 * the store is unavailable the file stays as a spooled batch and the write still succeeds — the events are on
 * disk, so they may be acknowledged — and a drain loop loads spooled batches once the store answers again, and at
 * the next start after a crash. The batch token names the file and deduplicates the load, so a batch loaded
 * twice (a crash between commit and removal) is stored once. Past `maxSpoolBytes` new batches are refused.
 */
export function spoolFileRowSink<Row extends object>(
  client: ClickHouseClient,
  schema: Schema,
  role: TableRole,
  spoolDir: string,
  options: SpoolOptions = {},
): SpoolFileSink<Row> {
  const load = options.load ?? engineFileLoader(client, schema, role);
  const maxSpoolBytes = options.maxSpoolBytes ?? 1024 ** 3;
  mkdirSync(spoolDir, { recursive: true });
  const spooled = { batches: 0, bytes: 0 };
  let storeDown = false;
  let draining: Promise<number> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const spool = async (inflight: string, token: string, bytes: number): Promise<void> => {
    await rename(inflight, path.join(spoolDir, `${token}${SPOOLED}`));
    spooled.batches++;
    spooled.bytes += bytes;
    options.onSpooled?.(bytes);
  };

  const drainOnce = async (): Promise<number> => {
    let loaded = 0;
    for (const name of (await readdir(spoolDir)).filter((n) => n.endsWith(SPOOLED)).sort()) {
      const file = path.join(spoolDir, name);
      const { size } = await stat(file);
      const result = await load(file, name.slice(0, -SPOOLED.length));
      if (!result.ok) {
        storeDown = result.retryable;
        if (!result.retryable) {
          // Bad data cannot be loaded by retrying: keep it aside for an operator instead of blocking the spool.
          await rename(file, `${file}.rejected`);
          spooled.batches--;
          spooled.bytes -= size;
        }
        options.onError?.(result.error);
        return loaded;
      }
      await rm(file, { force: true });
      spooled.batches--;
      spooled.bytes -= size;
      loaded++;
    }
    storeDown = false;
    return loaded;
  };

  const drain = (): Promise<number> => (draining ??= drainOnce().finally(() => (draining = undefined)));

  return {
    spooled,
    async write(rows, token): Promise<WriteResult> {
      if (rows.length === 0) return { ok: true };
      if (!/^[A-Za-z0-9-]+$/.test(token)) throw new Error(`batch token must be a plain identifier, got ${JSON.stringify(token)}`);
      if (storeDown && spooled.bytes >= maxSpoolBytes) {
        return { ok: false, retryable: true, error: new Error(`the store is unavailable and the ingest spool is full (${spooled.bytes} bytes)`) };
      }
      const inflight = path.join(spoolDir, `${token}${INFLIGHT}`);
      let bytes: number;
      try {
        bytes = await writeDurably(inflight, rows, spoolDir);
      } catch (err) {
        return { ok: false, retryable: true, error: new Error(`could not write the ingest spool (${spoolDir}): ${(err as Error).message}`) };
      }
      // While the store is known to be down, do not wait on it: spool at once, the drain loop probes it.
      const result = storeDown ? undefined : await load(inflight, token);
      if (result?.ok) {
        await rm(inflight, { force: true });
        return result;
      }
      if (result && !result.retryable) {
        await rm(inflight, { force: true });
        return result;
      }
      if (result) {
        storeDown = true;
        options.onError?.(result.error);
      }
      await spool(inflight, token, bytes);
      return { ok: true };
    },
    async recover() {
      let loaded = 0;
      for (const name of (await readdir(spoolDir)).sort()) {
        const file = path.join(spoolDir, name);
        if (name.endsWith(PARTIAL)) await rm(file, { force: true });
        else if (name.endsWith(INFLIGHT)) {
          const { size } = await stat(file);
          await spool(file, name.slice(0, -INFLIGHT.length), size);
        } else if (name.endsWith(SPOOLED)) {
          spooled.batches++;
          spooled.bytes += (await stat(file)).size;
        }
      }
      if (spooled.batches > 0) loaded = await drain();
      return loaded;
    },
    drain,
    start(intervalMs) {
      timer ??= setInterval(() => {
        if (spooled.batches > 0) void drain();
      }, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Write rows as JSON lines to `file`: written as .partial, fsync'd, renamed, and the folder fsync'd. */
async function writeDurably(file: string, rows: readonly object[], dir: string): Promise<number> {
  const partial = `${file}${PARTIAL}`;
  const handle = await open(partial, 'w');
  let bytes = 0;
  try {
    let chunk = '';
    for (const row of rows) {
      chunk += `${JSON.stringify(row)}\n`;
      if (chunk.length > 1 << 20) {
        bytes += (await handle.write(chunk)).bytesWritten;
        chunk = '';
      }
    }
    if (chunk.length > 0) bytes += (await handle.write(chunk)).bytesWritten;
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, file);
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return bytes;
}
