import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import { openStore } from '../../server/store/clickhouse.js';
import { toEventRow, type EventRow } from '../../server/store/eventRows.js';
import { migrate } from '../../server/store/migrate.js';
import { schemaFor } from '../../server/store/schema.js';
import { sql, toClickHouseTime } from '../../server/store/sql.js';
import { startChildServer } from '../support/childServer.js';
import { benchEvent } from './benchEvents.js';
import { runPool, sendRespectingRetryAfter, timedApiRun, type ApiRun } from './benchSupport.js';

export type IngestBenchOptions = { events: number; batch: number; concurrency: number };
export type IngestBenchResult = {
  events: number;
  batch: number;
  concurrency: number;
  api: ApiRun & { eventsPerSecond: number };
  clientInsert: { seconds: number; eventsPerSecond: number };
  engineFile: { seconds: number; eventsPerSecond: number };
};

const TOKEN = 'bench-ingest-token-0123456789abcdef';
const quiet = { info: () => {}, warn: () => {} };

/**
 * Sustained ingest through POST /v1/events against two baselines measured in the same run: the same rows
 * inserted directly with client.insert, and the engine alone loading them from a JSONEachRow file.
 */
export async function ingestBench(options: IngestBenchOptions, log: (line: string) => void): Promise<IngestBenchResult> {
  const baseMs = Date.UTC(2026, 10, 27, 8);
  const bodies: string[] = [];
  for (let start = 0; start < options.events; start += options.batch) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(options.events, start + options.batch); i++) lines.push(JSON.stringify(benchEvent(i, baseMs)));
    bodies.push(lines.join('\n'));
  }
  log(`prepared ${bodies.length} NDJSON bodies of up to ${options.batch} events`);

  const api = await apiRun(bodies, options.events, options.concurrency, log);
  const rows: EventRow[] = [];
  for (let i = 0; i < options.events; i++) {
    const result = validateEvent(benchEvent(i, baseMs));
    if (!result.ok) throw new Error(`bench event ${i} is invalid: ${JSON.stringify(result.issues)}`);
    rows.push(toEventRow(result.event, toClickHouseTime(baseMs)));
  }
  const { clientInsert, engineFile } = await baselines(rows, options.batch, log);
  return { events: options.events, batch: options.batch, concurrency: options.concurrency, api, clientInsert, engineFile };
}

async function apiRun(bodies: string[], total: number, concurrency: number, log: (line: string) => void): Promise<IngestBenchResult['api']> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-api-'));
  // The same command line as `npm run serve` (a larger young generation: ingest allocates per event).
  const server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir, FLOWLENS_INGEST_TOKENS: TOKEN });
  try {
    let events = 0;
    const run = await timedApiRun(server, total, (refused) =>
      runPool(bodies, concurrency, async (body) => {
        const send = () => fetch(`${server.baseUrl}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-ndjson' }, body });
        const res = await sendRespectingRetryAfter(send, refused);
        const answer = (await res.json()) as { accepted?: number };
        if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${JSON.stringify(answer)}`);
        events += answer.accepted ?? 0;
      }),
    );
    if (events !== total) throw new Error(`${total} events sent but ${events} accepted`);
    log(`API: ${events} events acknowledged in ${run.ackSeconds.toFixed(1)} s, loaded in ${run.seconds.toFixed(1)} s; server loads: ${run.inserts.map((i) => `${i.table} ${i.rows} rows in ${i.inserts} loads`).join(', ')}`);
    return { ...run, eventsPerSecond: run.perSecond };
  } finally {
    await server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function baselines(rows: EventRow[], batch: number, log: (line: string) => void) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-base-'));
  const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  try {
    const direct = schemaFor('bench_insert');
    const fromFile = schemaFor('bench_file');
    await migrate(store.ingest, direct, quiet);
    await migrate(store.ingest, fromFile, quiet);

    let started = performance.now();
    for (let i = 0; i < rows.length; i += batch) {
      await store.ingest.insert({
        table: direct.insertTarget('events'),
        values: rows.slice(i, i + batch),
        format: 'JSONEachRow',
        clickhouse_settings: { insert_deduplication_token: `b-${i}` },
      });
    }
    const insertSeconds = (performance.now() - started) / 1000;
    log(`client.insert: ${rows.length} rows in ${insertSeconds.toFixed(1)} s`);

    const file = path.join(dataDir, 'rows.ndjson');
    const fd = openSync(file, 'w');
    for (let i = 0; i < rows.length; i += batch) writeSync(fd, `${rows.slice(i, i + batch).map((r) => JSON.stringify(r)).join('\n')}\n`);
    closeSync(fd);
    started = performance.now();
    const load = sql`INSERT INTO ${fromFile.table('events')} SELECT * FROM file(${file}, 'JSONEachRow')`.render();
    await store.ingest.command({ query: load.query, query_params: load.query_params, clickhouse_settings: { insert_deduplication_token: 'file-load' } });
    const fileSeconds = (performance.now() - started) / 1000;
    log(`engine file load: ${rows.length} rows in ${fileSeconds.toFixed(1)} s`);
    return {
      clientInsert: { seconds: insertSeconds, eventsPerSecond: rows.length / insertSeconds },
      engineFile: { seconds: fileSeconds, eventsPerSecond: rows.length / fileSeconds },
    };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
