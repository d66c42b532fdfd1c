import { cpus, totalmem } from 'node:os';
import { accessBench, accessSection } from './accessBench.js';
import { answersBench, type AnswersBenchResult } from './answersBench.js';
import { dashboardBench, webBundle, type DashboardBenchResult, type WebBundle } from './dashboardBench.js';
import { ingestBench, type IngestBenchResult } from './ingestBench.js';
import { liveBench, liveSection } from './liveBench.js';
import { otlpBench, type OtlpBenchResult } from './otlpBench.js';
import {
  accessFigures,
  answersFigures,
  bundleFigures,
  compareQuick,
  dashboardFigures,
  ingestFigures,
  liveFigures,
  otlpFigures,
  QUICK_BENCHES,
  QUICK_SIZES,
  readBaseline,
  recordQuick,
  storageFigures,
  webhookFigures,
  type Figure,
} from './quick.js';
import { storageBench, storageSection, storageTotals } from './storageBench.js';
import { webhookBench, type WebhookBenchResult } from './webhookBench.js';

/**
 * `npm run bench [-- --only ingest|otlp|webhooks|answers|dashboard|access|storage|live] [options]`: runs the
 * benchmarks and prints a Markdown summary for docs/BENCHMARKS.md. Each figure is reported beside the baseline
 * measured in the same run. Ingest: `--events N --batch N --concurrency N`. OTLP: `--spans N --spans-per-request N
 * --otlp-concurrency N`. Webhooks: `--deliveries N --webhook-concurrency N`. Answers and dashboard: `--correlations N
 * --repeat N`. Access control: `--requests N --access-concurrency N`. Storage: `--storage-correlations N` (or
 * `--correlations N`). Live: `--live-events N`.
 * `--only bundle` measures the dashboard's initial JavaScript without a browser.
 * `--quick` runs the benches of QUICK_BENCHES at a small size and compares their steady figures with
 * test/bench/quickBaseline.json (quick.ts), exiting 1 when one is worse than 2× its recorded value; `--quick
 * --record` adds the run to that file.
 */
const QUICK = process.argv.includes('--quick');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i !== -1) return Number(process.argv[i + 1]);
  return QUICK ? (QUICK_SIZES[name] ?? fallback) : fallback;
}

const BENCHES = ['ingest', 'otlp', 'webhooks', 'answers', 'dashboard', 'access', 'storage', 'live'] as const;
/** `--only bundle`: the dashboard bench's initial JavaScript alone, without a browser (as quick mode measures it). */
const ONLY = [...BENCHES, 'bundle'] as const;
type Bench = (typeof ONLY)[number];

function selected(): readonly Bench[] {
  const i = process.argv.indexOf('--only');
  if (i === -1) return QUICK ? QUICK_BENCHES : BENCHES;
  const name = process.argv[i + 1];
  if (!ONLY.includes(name as Bench)) throw new Error(`--only takes one of ${ONLY.join(', ')}, got ${JSON.stringify(name)}`);
  return [name as Bench];
}

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ratio = (a: number, b: number) => (a / b >= 0.095 ? (a / b).toFixed(2) : (a / b).toPrecision(2));
const machine = () =>
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`;
const serverLoads = (inserts: { table: string; rows: number; inserts: number; seconds: number }[]) =>
  inserts.map((i) => `${i.table} ${fmt(i.rows)} rows in ${fmt(i.inserts)} loads (${fmt(i.rows / i.inserts)} rows and ${((i.seconds / i.inserts) * 1000).toFixed(0)} ms per load)`).join('; ');

function ingestSection(r: IngestBenchResult): string[] {
  return [
    `## Ingest: POST /v1/events (NDJSON) vs client.insert vs engine file load`,
    ``,
    machine(),
    `Command: \`npm run bench -- --only ingest --events ${r.events} --batch ${r.batch} --concurrency ${r.concurrency}\``,
    ``,
    `| path | events | seconds | events/s | vs client.insert | vs engine alone |`,
    `|---|---:|---:|---:|---:|---:|`,
    `| POST /v1/events (server process) | ${fmt(r.events)} | ${r.api.seconds.toFixed(1)} | ${fmt(r.api.eventsPerSecond)} | ${ratio(r.api.eventsPerSecond, r.clientInsert.eventsPerSecond)} | ${ratio(r.api.eventsPerSecond, r.engineFile.eventsPerSecond)} |`,
    `| client.insert JSONEachRow, batches of ${r.batch} | ${fmt(r.events)} | ${r.clientInsert.seconds.toFixed(1)} | ${fmt(r.clientInsert.eventsPerSecond)} | 1.00 | ${ratio(r.clientInsert.eventsPerSecond, r.engineFile.eventsPerSecond)} |`,
    `| engine alone: INSERT … SELECT FROM file(JSONEachRow) | ${fmt(r.events)} | ${r.engineFile.seconds.toFixed(1)} | ${fmt(r.engineFile.eventsPerSecond)} | ${ratio(r.engineFile.eventsPerSecond, r.clientInsert.eventsPerSecond)} | 1.00 |`,
    ``,
    `Server peak RSS during the API run: ${r.api.serverPeakRssMiB.toFixed(0)} MiB. Server loads: ${serverLoads(r.api.inserts)}.`,
    `The API's seconds run until everything it acknowledged was loaded into ClickHouse (from /metrics); the last 200 came after ${r.api.ackSeconds.toFixed(1)} s; requests pushed back with 429/503 and re-sent after Retry-After: ${fmt(r.api.refusals)}.`,
  ];
}

function answersSection(r: AnswersBenchResult, repeat: number): string[] {
  return [
    `## Answers at ${fmt(r.events)} events: through the API (shared, and afresh) vs the same answer straight from the store`,
    ``,
    machine(),
    `Command: \`npm run bench -- --only answers --correlations ${r.correlations} --repeat ${repeat}\``,
    ``,
    `${fmt(r.correlations)} transactions over 24 h (5.3 events each) generated by the engine in ${r.loadSeconds.toFixed(0)} s, every view fed; ` +
      `background merges then settled in ${r.settleSeconds.toFixed(0)} s (as on a server that has been running). ` +
      `The server's inventory movement snapshot: ${fmt(r.snapshot.movements)} movements rebuilt in ${r.snapshot.seconds.toFixed(1)} s (every 5 min by default). Server peak RSS: ${r.serverPeakRssMiB.toFixed(0)} MiB.`,
    ``,
    `"Shared" is the server as configured: the SLA evaluation and the open exceptions are computed once for every caller within FLOWLENS_ANSWER_MAX_AGE_MS (15 s; the overview reads them). ` +
      `"Afresh" runs the server with FLOWLENS_ANSWER_MAX_AGE_MS=0, so every call computes its answer; "in-process" computes the same answer afresh without HTTP or JSON. Each figure: ${repeat} calls in a row after one warm-up call.`,
    ``,
    `"Engine" is the engine's own elapsed time for the in-process answer's queries, summed over them (chDB's Query and QueryTimeMicroseconds counters in system.events, read around each call: chDB keeps no system.query_log).`,
    ``,
    `| answer | API shared p50 ms | API shared p95 ms | API afresh p50 ms | API afresh p95 ms | in-process p50 ms | in-process p95 ms | engine p50 ms | engine p95 ms | queries | API afresh ÷ in-process (p50) | API afresh ÷ engine (p50) |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|`,
    ...r.answers.map(
      (a) =>
        `| ${a.name} | ${a.shared.p50.toFixed(0)} | ${a.shared.p95.toFixed(0)} | ${a.afresh.p50.toFixed(0)} | ${a.afresh.p95.toFixed(0)} | ${a.store.p50.toFixed(0)} | ${a.store.p95.toFixed(0)} | ${a.engine.p50.toFixed(0)} | ${a.engine.p95.toFixed(0)} | ${a.queries} | ${ratio(a.afresh.p50, a.store.p50)} | ${ratio(a.afresh.p50, Math.max(a.engine.p50, 0.5))} |`,
    ),
  ];
}

const bundleLine = (b: WebBundle) =>
  `Initial JavaScript (what a first visit loads before any screen's own code: ${b.initialFiles.join(', ')}): **${b.initialJsGzipKiB.toFixed(0)} KiB gzipped** (budget 400 KB); ` +
  `every screen's code together ${b.totalJsGzipKiB.toFixed(0)} KiB; CSS ${b.cssGzipKiB.toFixed(0)} KiB.`;

function bundleSection(b: WebBundle): string[] {
  return [`## Dashboard: initial JavaScript (web/dist, gzipped as served)`, ``, machine(), `Command: \`npm run bench -- --only bundle\``, ``, bundleLine(b)];
}

function dashboardSection(r: DashboardBenchResult, repeat: number): string[] {
  const row = (what: string, budget: string, empty: { p50: number; p95: number }, scale: { p50: number; p95: number }) =>
    `| ${what} | ${budget} | ${empty.p50.toFixed(0)} / ${empty.p95.toFixed(0)} | ${scale.p50.toFixed(0)} / ${scale.p95.toFixed(0)} | ${ratio(scale.p95, empty.p95)} |`;
  return [
    `## Dashboard budgets: initial JavaScript, first meaningful paint of the wall, live update`,
    ``,
    machine(),
    `Command: \`npm run bench -- --only dashboard --correlations ${r.correlations} --repeat ${repeat}\``,
    ``,
    bundleLine(r.bundle),
    ``,
    `Debian Chromium (headless) on loopback against a child server (\`npm run serve\`), first on an empty store (the baseline), then with ${fmt(r.events)} events (${fmt(r.correlations)} transactions over 24 h, generated in ${r.loadSeconds.toFixed(0)} s, merges settled). ` +
      `First meaningful paint: from navigation start until lag per target, open exceptions and SLAs are all on the wall, each load in a fresh browser context (nothing cached), ${repeat} loads after one warm-up. ` +
      `Live update: an event from a new source acknowledged by POST /v1/events until that source shows on an open wall, ${repeat} events. Server peak RSS ${r.serverPeakRssMiB.toFixed(0)} MiB.`,
    ``,
    `| figure | budget | empty store p50 / p95 ms | ${fmt(r.events)} events p50 / p95 ms | at scale ÷ empty (p95) |`,
    `|---|---|---:|---:|---:|`,
    row('first meaningful paint of the wall', '≤ 1,500 ms', r.firstPaint.empty, r.firstPaint.scale),
    row('live update, ingest ack → pixels', '≤ 2,000 ms p95', r.liveUpdate.empty, r.liveUpdate.scale),
  ];
}

function otlpSection(r: OtlpBenchResult): string[] {
  const base = r.engineBatches.perSecond;
  const row = (path: string, t: { seconds: number; perSecond: number }) =>
    `| ${path} | ${fmt(r.spans)} | ${t.seconds.toFixed(1)} | ${fmt(t.perSecond)} | ${ratio(t.perSecond, base)} | ${ratio(t.perSecond, r.engineOneFile.perSecond)} |`;
  return [
    `## OTLP/HTTP traces: POST /v1/traces (protobuf) vs client.insert vs engine file loads`,
    ``,
    machine(),
    `Command: \`npm run bench -- --only otlp --spans ${r.spans} --spans-per-request ${r.spansPerRequest} --otlp-concurrency ${r.concurrency}\``,
    ``,
    `${fmt(r.spans)} spans made by the OpenTelemetry SDK (5 services, 6-span traces, ${fmt(r.retailSpans)} spans with retail.* attributes that also become business events), ` +
      `serialised with \`ProtobufTraceSerializer\` into ${r.requests} ExportTraceServiceRequest bodies of ${r.spansPerRequest} spans (${r.bodyMiB.toFixed(1)} MiB), ` +
      `${r.concurrency} concurrent requests. The baselines write the same otel_traces rows (the receiver's decoder + \`toOtelTraceRow\`) into otel_traces and its trace-id view; only the last one also loads the ${fmt(r.retailSpans)} business events (events table and its two views) the server writes too.`,
    ``,
    `| path | spans | seconds | spans/s | vs engine, batches of ${r.spansPerRequest} | vs engine, one file |`,
    `|---|---:|---:|---:|---:|---:|`,
    row('POST /v1/traces, protobuf (server process: spans + business events)', r.api),
    row(`client.insert JSONEachRow, batches of ${r.spansPerRequest}`, r.clientInsert),
    row(`engine alone: INSERT … SELECT FROM file(JSONEachRow), one file per ${r.spansPerRequest} rows`, r.engineBatches),
    row('engine alone: INSERT … SELECT FROM file(JSONEachRow), one file', r.engineOneFile),
    row(`engine alone: per ${r.spansPerRequest} spans, the span file and its business-event file loaded side by side`, r.engineWithEvents),
    ``,
    `Server peak RSS during the API run: ${r.api.serverPeakRssMiB.toFixed(0)} MiB. Business events refused (partial_success): ${fmt(r.api.rejectedEvents)}.`,
    `Server loads (combined spool loads): ${serverLoads(r.api.inserts)}.`,
    `The API's seconds run until everything it acknowledged was loaded into ClickHouse (from /metrics); the last 200 came after ${r.api.ackSeconds.toFixed(1)} s; requests pushed back with 429/503 and re-sent after Retry-After: ${fmt(r.api.refusals)}.`,
  ];
}

function webhookSection(r: WebhookBenchResult): string[] {
  return [
    `## Webhooks: POST /webhooks/shopify (signed orders/create) vs engine file load`,
    ``,
    machine(),
    `Command: \`npm run bench -- --only webhooks --deliveries ${r.deliveries} --webhook-concurrency ${r.concurrency}\``,
    ``,
    `${fmt(r.deliveries)} distinct deliveries of the Shopify order fixture (~${fmt(r.bodyBytes)} bytes, own order id, name and X-Shopify-Webhook-Id, HMAC-signed), ` +
      `one business event each, ${r.concurrency} concurrent requests. The baseline loads the same canonical rows (shopifyMapping → validateEvent → toEventRow) in one file.`,
    ``,
    `| path | events | seconds | events/s | vs engine alone |`,
    `|---|---:|---:|---:|---:|`,
    `| POST /webhooks/shopify (server process, one event per request) | ${fmt(r.deliveries)} | ${r.api.seconds.toFixed(1)} | ${fmt(r.api.perSecond)} | ${ratio(r.api.perSecond, r.engineFile.perSecond)} |`,
    `| engine alone: INSERT … SELECT FROM file(JSONEachRow) | ${fmt(r.deliveries)} | ${r.engineFile.seconds.toFixed(2)} | ${fmt(r.engineFile.perSecond)} | 1.00 |`,
    `| engine alone: ${r.engineSmallBatches.loads} files of ${r.engineSmallBatches.rowsPerLoad} rows (the server's average batch), one after another | ${fmt(r.engineSmallBatches.loads * r.engineSmallBatches.rowsPerLoad)} | ${r.engineSmallBatches.seconds.toFixed(2)} | ${fmt(r.engineSmallBatches.perSecond)} | ${ratio(r.engineSmallBatches.perSecond, r.engineFile.perSecond)} |`,
    `| (mapping alone, in process: parse + shopifyMapping + validateEvent + toEventRow) | ${fmt(r.deliveries)} | ${r.mapOnly.seconds.toFixed(2)} | ${fmt(r.mapOnly.perSecond)} | ${ratio(r.mapOnly.perSecond, r.engineFile.perSecond)} |`,
    ``,
    `Server peak RSS during the API run: ${r.api.serverPeakRssMiB.toFixed(0)} MiB. Server loads (combined spool loads): ${serverLoads(r.api.inserts)}.`,
    `The API's seconds run until everything it acknowledged was loaded into ClickHouse (from /metrics); the last 200 came after ${r.api.ackSeconds.toFixed(1)} s; requests pushed back with 429/503 and re-sent after Retry-After: ${fmt(r.api.refusals)}.`,
  ];
}

const sections: string[][] = [];
const figures: Figure[] = [];
const started = performance.now();
const benchSeconds: string[] = [];
for (const bench of selected()) {
  const benchStarted = performance.now();
  if (bench === 'ingest') {
    const r = await ingestBench({ events: arg('events', 1_000_000), batch: arg('batch', 5_000), concurrency: arg('concurrency', 8) }, log);
    sections.push(ingestSection(r));
    figures.push(...ingestFigures(r));
  } else if (bench === 'otlp') {
    const r = await otlpBench({ spans: arg('spans', 200_000), spansPerRequest: arg('spans-per-request', 2_000), concurrency: arg('otlp-concurrency', 8) }, log);
    sections.push(otlpSection(r));
    figures.push(...otlpFigures(r));
  } else if (bench === 'answers') {
    const repeat = arg('repeat', 20);
    const r = await answersBench({ correlations: arg('correlations', 2_000_000), repeat }, log);
    sections.push(answersSection(r, repeat));
    figures.push(...answersFigures(r));
  } else if (bench === 'dashboard') {
    const repeat = arg('repeat', 20);
    // Quick mode (the end of `npm test`, right after `npm run build:web`) measures a web/dist newer than its sources as it is.
    const r = await dashboardBench({ correlations: arg('correlations', 2_000_000), repeat, reuseFreshBuild: QUICK }, log);
    sections.push(dashboardSection(r, repeat));
    figures.push(...dashboardFigures(r));
  } else if (bench === 'bundle') {
    const b = webBundle(QUICK, log);
    sections.push(bundleSection(b));
    figures.push(...bundleFigures(b));
  } else if (bench === 'access') {
    const r = await accessBench({ requests: arg('requests', 20_000), concurrency: arg('access-concurrency', 8) }, log);
    sections.push(accessSection(r, machine()));
    figures.push(...accessFigures(r));
  } else if (bench === 'storage') {
    const r = await storageBench({ correlations: arg('storage-correlations', arg('correlations', 200_000)) }, log);
    sections.push(storageSection(r, machine()));
    figures.push(...storageFigures(storageTotals(r)));
  } else if (bench === 'live') {
    const r = await liveBench({ events: arg('live-events', 50) }, log);
    sections.push(liveSection(r, machine()));
    figures.push(...liveFigures(r));
  } else {
    const r = await webhookBench({ deliveries: arg('deliveries', 20_000), concurrency: arg('webhook-concurrency', 16) }, log);
    sections.push(webhookSection(r));
    figures.push(...webhookFigures(r));
  }
  benchSeconds.push(`${bench} ${((performance.now() - benchStarted) / 1000).toFixed(0)} s`);
}
process.stdout.write(`${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`);

if (QUICK) {
  const seconds = (performance.now() - started) / 1000;
  const { lines, failed } = compareQuick(figures, readBaseline());
  process.stdout.write(`\nQuick run in ${seconds.toFixed(0)} s (${benchSeconds.join(', ')}); each figure against test/bench/quickBaseline.json:\n${lines.join('\n')}\n`);
  if (process.argv.includes('--record')) {
    recordQuick(figures, machine());
    log(`recorded this run in test/bench/quickBaseline.json`);
  } else if (failed.length > 0) {
    process.stderr.write(`[bench] ${failed.length} compared figure(s) failed (worse than 2× their recorded value, or nothing recorded):\n${failed.map((f) => `  - ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}
