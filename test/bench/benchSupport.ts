import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { asRole } from '../support/access.js';
import type { ChildServer } from '../support/childServer.js';

export type Throughput = { seconds: number; perSecond: number };
export type ServerInserts = { table: string; rows: number; inserts: number; seconds: number };
/**
 * An API run: `seconds` until everything acknowledged was loaded into the store; `ackSeconds` until the last
 * answer; `refusals` how many requests the server pushed back (429/503) and the sender retried after Retry-After.
 */
export type ApiRun = Throughput & { ackSeconds: number; refusals: number; serverPeakRssMiB: number; inserts: ServerInserts[] };

/** Sends a request as a well-behaved client does: on 429 or 503, waits the Retry-After seconds and sends again. */
export async function sendRespectingRetryAfter(send: () => Promise<Response>, refused: () => void): Promise<Response> {
  for (;;) {
    const res = await send();
    if (res.status !== 429 && res.status !== 503) return res;
    refused();
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after') ?? 1) * 1000));
  }
}

export function throughput(items: number, startedMs: number): Throughput {
  const seconds = (performance.now() - startedMs) / 1000;
  return { seconds, perSecond: items / seconds };
}

/** Runs `send` over every item with `concurrency` requests in flight. */
export async function runPool<T>(items: readonly T[], concurrency: number, send: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await send(items[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

/** JSONEachRow file of the given row batches, as the server's spool writes it. */
export function writeRows(file: string, batches: readonly object[][]): string {
  const fd = openSync(file, 'w');
  for (const rows of batches) writeSync(fd, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  closeSync(fd);
  return file;
}

/**
 * Send everything with `send`, then wait until the server has loaded all it acknowledged (its spool and queues
 * are empty, read from /metrics): a sender's 200 means durable, the benchmark counts only what is queryable.
 */
export async function timedApiRun(server: ChildServer, items: number, send: (refused: () => void) => Promise<void>): Promise<ApiRun> {
  let refusals = 0;
  const started = performance.now();
  await send(() => refusals++);
  const ackSeconds = (performance.now() - started) / 1000;
  await waitUntilLoaded(server);
  const run = throughput(items, started);
  return { ...run, ackSeconds, refusals, serverPeakRssMiB: peakRssMiB(server.process.pid!), inserts: await serverInserts(server) };
}

async function waitUntilLoaded(server: ChildServer, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await metricsText(server);
    const waiting = [...text.matchAll(/^flowlens_ingest_(?:spool_batches|pending_rows)\{[^}]*\} (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    if (waiting === 0) return;
    if (Date.now() > deadline) throw new Error(`the server still holds ${waiting} unloaded batches/rows after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Rows, loads and load seconds per table, from the server's /metrics (how big its combined loads were). */
export async function serverInserts(server: ChildServer): Promise<ServerInserts[]> {
  const text = await metricsText(server);
  const value = (metric: string, table: string) => Number(new RegExp(`^${metric}\\{[^}]*table="${table}"[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return ['otel_traces', 'events']
    .map((table) => ({
      table,
      rows: value('flowlens_store_inserted_rows_total', table),
      inserts: value('flowlens_store_insert_duration_seconds_count', table),
      seconds: value('flowlens_store_insert_duration_seconds_sum', table),
    }))
    .filter((i) => i.rows > 0);
}

/**
 * The server's /metrics as Prometheus scrapes it, with a viewer API token. Anything but 200 throws: a refusal read
 * as "no metrics" would count nothing still waiting and end the timed run before the loads.
 */
export async function metricsText(server: Pick<ChildServer, 'baseUrl'>): Promise<string> {
  const res = await fetch(`${server.baseUrl}/metrics`, { headers: asRole('viewer') });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET /metrics answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}
