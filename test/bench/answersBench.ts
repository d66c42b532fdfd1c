import { mkdtempSync, rmSync } from 'node:fs';
import type { ClickHouseClient } from '@clickhouse/client';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../../server/catalog/loadCatalog.js';
import { loadConfig } from '../../server/config/config.js';
import type { Throughput } from '../../server/contracts/api.js';
import { createAnswerServices } from '../../server/services/answerServices.js';
import { openStore } from '../../server/store/clickhouse.js';
import { migrate } from '../../server/store/migrate.js';
import { queryRows } from '../../server/store/queryRows.js';
import { schemaFor, type Schema } from '../../server/store/schema.js';
import { sql } from '../../server/store/sql.js';
import { asRole } from '../support/access.js';
import { startChildServer, type ChildServer } from '../support/childServer.js';
import { generateHistory } from './answersData.js';
import { peakRssMiB } from './benchSupport.js';

export type Latency = { p50: number; p95: number; n: number };
export type AnswersBenchResult = {
  events: number;
  correlations: number;
  loadSeconds: number;
  /** Seconds the generated parts took to merge (a server that has been running has merged them). */
  settleSeconds: number;
  /** The server's first rebuild of the inventory movement snapshot (rows, seconds). */
  snapshot: { movements: number; seconds: number };
  serverPeakRssMiB: number;
  /**
   * Per answer: through the API as configured (shared), through the API computed afresh, in-process afresh, and
   * the engine's own time for the in-process answer's queries (summed over them) with how many queries it ran.
   */
  answers: { name: string; shared: Latency; afresh: Latency; store: Latency; engine: Latency; queries: number }[];
};

const quiet = { info: () => {}, warn: () => {} };
const DAY = 86_400_000;

const emptyThroughput = (): Throughput => ({ window_seconds: 300, bucket_seconds: 1, from: 0, to: 0, series: [] });

export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: at(0.5), p95: at(0.95), n: sorted.length };
}

async function timed(times: number, run: (i: number) => Promise<unknown>): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return latency(samples);
}

/** Wait until the engine has no merge under way for 3 s in a row (at most `limitMs`); the seconds it took. */
export async function settleMerges(client: ClickHouseClient, limitMs: number): Promise<number> {
  const started = performance.now();
  let quietSince = performance.now();
  while (performance.now() - started < limitMs) {
    const [row] = await queryRows<{ n: string | number }>(client, sql`SELECT count() AS n FROM system.merges`);
    if (Number(row?.n ?? 0) > 0) quietSince = performance.now();
    else if (performance.now() - quietSince >= 3_000) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return (performance.now() - started) / 1000;
}

/** Wait for the server's log line of its first snapshot rebuild, and read its figures. */
export async function snapshotBuilt(server: ChildServer, limitMs: number): Promise<{ movements: number; seconds: number }> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    const line = server.stdout().split('\n').find((l) => l.includes('inventory movement snapshot rebuilt'));
    if (line) {
      const log = JSON.parse(line) as { movements: number; seconds: number };
      return { movements: log.movements, seconds: log.seconds };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not rebuild its movement snapshot within ${limitMs / 1000} s:\n${server.stdout().slice(-2000)}`);
}

/** Bytes on disk per event of each table holding rows, with its part count (what each table costs, and how merged it is). */
async function storagePerEvent(client: ClickHouseClient, schema: Schema, events: number): Promise<string[]> {
  const rows = await queryRows<{ table: string; parts: string | number; bytes: string | number }>(
    client,
    sql`SELECT table, count() AS parts, sum(bytes_on_disk) AS bytes FROM system.parts
        WHERE active AND database = ${schema.database} GROUP BY table HAVING sum(rows) > 0 ORDER BY bytes DESC`,
  );
  return rows.map((r) => `${r.table} ${(Number(r.bytes) / events).toFixed(1)} B/event (${Number(r.parts)} parts)`);
}

type EngineCounters = { queries: number; micros: number };

/**
 * The engine's own count and elapsed time of every query it ran in this process (system.events: Query,
 * QueryTimeMicroseconds). chDB keeps no system.query_log and ignores a client's query_id, so these process-wide
 * counters are how the engine reports its own time; reading them is itself one query, which is subtracted.
 */
async function engineCounters(client: ClickHouseClient): Promise<EngineCounters> {
  const rows = await queryRows<{ event: string; value: string | number }>(client, sql`SELECT event, value FROM system.events WHERE event IN ('Query', 'QueryTimeMicroseconds')`);
  const value = (name: string) => Number(rows.find((r) => r.event === name)?.value ?? 0);
  return { queries: value('Query'), micros: value('QueryTimeMicroseconds') };
}

/** `run` `times` in a row, timed in-process and by the engine's own counters (its queries' elapsed, summed). */
async function timedWithEngine(client: ClickHouseClient, times: number, run: (i: number) => Promise<unknown>): Promise<{ wall: Latency; engine: Latency; queries: number }> {
  // What one read of the counters adds to them: the median of a few reads in a row.
  const reads: number[] = [];
  let last = await engineCounters(client);
  for (let i = 0; i < 5; i++) {
    const now = await engineCounters(client);
    reads.push(now.micros - last.micros);
    last = now;
  }
  const readMicros = latency(reads).p50;
  const wall: number[] = [];
  const engine: number[] = [];
  let queries = 0;
  for (let i = 0; i < times; i++) {
    const before = await engineCounters(client);
    const started = performance.now();
    await run(i);
    wall.push(performance.now() - started);
    const after = await engineCounters(client);
    engine.push(Math.max(0, after.micros - before.micros - readMicros) / 1000);
    queries = Math.max(queries, after.queries - before.queries - 1);
  }
  return { wall: latency(wall), engine: latency(engine), queries };
}

type Question = { name: string; path: (i: number) => string };

/** One answer through the API, as a dashboard viewer (API token) asks it; anything but 2xx stops the bench. */
async function ask(server: ChildServer, pathAndQuery: string): Promise<void> {
  const response = await fetch(`${server.baseUrl}${pathAndQuery}`, { headers: asRole('viewer') });
  if (!response.ok) throw new Error(`${pathAndQuery} answered ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
}

/** Each question `repeat` times through a server started with `env`, after one call to warm it. */
async function throughApi(dataDir: string, env: Record<string, string>, questions: readonly Question[], repeat: number, log: (line: string) => void, label: string) {
  const server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir, FLOWLENS_LOG_LEVEL: 'info', ...env });
  try {
    const snapshot = await snapshotBuilt(server, 300_000);
    const results: Latency[] = [];
    for (const q of questions) {
      await ask(server, q.path(0));
      results.push(await timed(repeat, (i) => ask(server, q.path(i))));
      log(`${q.name} (${label}): p50 ${results.at(-1)!.p50.toFixed(0)} ms, p95 ${results.at(-1)!.p95.toFixed(0)} ms`);
    }
    return { results, snapshot, rss: peakRssMiB(server.process.pid!) };
  } finally {
    await server.kill('SIGTERM');
  }
}

/**
 * The answers at scale: `correlations` transactions (5.3 events each) over the last 24 h, generated by the engine;
 * then each answer's latency through the HTTP API (a child server, as `npm run serve` runs) as configured (the
 * answers every screen shares are reused for up to FLOWLENS_ANSWER_MAX_AGE_MS) and computed afresh on every call,
 * beside the same answer computed afresh in-process straight from the store (no HTTP, no JSON), and the engine's
 * own elapsed time for that answer's queries: the ratio of the two afresh figures is the API's own overhead, the
 * ratio to the engine's time what Flowlens adds to the engine altogether.
 */
export async function answersBench(options: { correlations: number; repeat: number }, log: (line: string) => void): Promise<AnswersBenchResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-answers-'));
  const end = Date.now() - 60_000;
  try {
    let store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    const schema = schemaFor('flowlens');
    await migrate(store.query, schema, quiet);
    const loadStarted = performance.now();
    await generateHistory(store.ingest, schema, options.correlations, end, DAY);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const [count] = await queryRows<{ n: string | number }>(store.query, sql`SELECT count() AS n FROM ${schema.table('events')}`);
    const events = Number(count?.n ?? 0);
    log(`generated ${events.toLocaleString('en')} events in ${loadSeconds.toFixed(0)} s`);
    const settleSeconds = await settleMerges(store.query, 300_000);
    log(`background merges settled after ${settleSeconds.toFixed(0)} s`);
    log(`storage: ${(await storagePerEvent(store.query, schema, events)).join('; ')}`);
    await store.close();

    const keys = Array.from({ length: options.repeat }, (_, i) => `#${Math.floor(((i + 1) * options.correlations) / (options.repeat + 2) / 10) * 10 + 6}`);
    const range = `from=${end - DAY}&to=${end}`;
    const questions: Question[] = [
      { name: 'lineage by business key (order id)', path: (i) => `/api/v1/lineage?key=${encodeURIComponent(keys[i]!)}&depth=2` },
      { name: 'overview', path: () => '/api/v1/overview' },
      { name: 'exception aging (7 days)', path: () => '/api/v1/exceptions/aging' },
      { name: 'inventory lag per channel, 24 h', path: () => `/api/v1/inventory/lag?${range}` },
      { name: 'SLA evaluation, every policy', path: () => '/api/v1/slas' },
    ];
    const shared = await throughApi(dataDir, {}, questions, options.repeat, log, 'API, shared');
    const afresh = await throughApi(dataDir, { FLOWLENS_ANSWER_MAX_AGE_MS: '0' }, questions, options.repeat, log, 'API, afresh');

    store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
    try {
      // Fewer parts here than before the API runs: the engine was still merging while they were timed.
      log(`storage after the API runs: ${(await storagePerEvent(store.query, schema, events)).join('; ')}`);
      const catalog = loadCatalog(path.resolve('dashboards'));
      // Composed exactly as the server composes them, computed afresh, without HTTP and without the live ticker.
      const answers = createAnswerServices(store.query, schema, catalog, loadConfig({ env: { FLOWLENS_ANSWER_MAX_AGE_MS: '0' } }), async () => emptyThroughput());
      const { lineage, inventory, exceptions, slas } = answers;
      const direct: ((i: number) => Promise<unknown>)[] = [
        (i) => lineage.lineage(keys[i]!, 2),
        () => answers.overview.overview(),
        () => exceptions.aging(7 * DAY),
        () => inventory.lag({ from: end - DAY, to: end }),
        () => slas.status(),
      ];
      const storeTimes: { wall: Latency; engine: Latency; queries: number }[] = [];
      for (const [i, run] of direct.entries()) {
        await run(0);
        storeTimes.push(await timedWithEngine(store.query, options.repeat, run));
        const t = storeTimes.at(-1)!;
        log(`${questions[i]!.name} (in-process, afresh): p50 ${t.wall.p50.toFixed(0)} ms; engine's own p50 ${t.engine.p50.toFixed(0)} ms over ${t.queries} queries`);
      }
      return {
        events,
        correlations: options.correlations,
        loadSeconds,
        settleSeconds,
        snapshot: shared.snapshot,
        serverPeakRssMiB: Math.max(shared.rss, afresh.rss),
        answers: questions.map((q, i) => ({ name: q.name, shared: shared.results[i]!, afresh: afresh.results[i]!, store: storeTimes[i]!.wall, engine: storeTimes[i]!.engine, queries: storeTimes[i]!.queries })),
      };
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
