import { cpus, totalmem } from 'node:os';
import { ingestBench, type IngestBenchResult } from './ingestBench.js';
import { otlpBench, type OtlpBenchResult } from './otlpBench.js';
import { webhookBench, type WebhookBenchResult } from './webhookBench.js';

/**
 * `npm run bench [-- --only ingest|otlp|webhooks] [options]`: runs the benchmarks and prints a Markdown summary
 * for docs/BENCHMARKS.md. Each figure is reported beside the baseline measured in the same run.
 * Ingest: `--events N --batch N --concurrency N`. OTLP: `--spans N --spans-per-request N --otlp-concurrency N`.
 * Webhooks: `--deliveries N --webhook-concurrency N`.
 */
function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const BENCHES = ['ingest', 'otlp', 'webhooks'] as const;
type Bench = (typeof BENCHES)[number];

function selected(): readonly Bench[] {
  const i = process.argv.indexOf('--only');
  if (i === -1) return BENCHES;
  const name = process.argv[i + 1];
  if (!BENCHES.includes(name as Bench)) throw new Error(`--only takes one of ${BENCHES.join(', ')}, got ${JSON.stringify(name)}`);
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
for (const bench of selected()) {
  if (bench === 'ingest') {
    sections.push(ingestSection(await ingestBench({ events: arg('events', 1_000_000), batch: arg('batch', 5_000), concurrency: arg('concurrency', 8) }, log)));
  } else if (bench === 'otlp') {
    sections.push(otlpSection(await otlpBench({ spans: arg('spans', 200_000), spansPerRequest: arg('spans-per-request', 2_000), concurrency: arg('otlp-concurrency', 8) }, log)));
  } else {
    sections.push(webhookSection(await webhookBench({ deliveries: arg('deliveries', 20_000), concurrency: arg('webhook-concurrency', 16) }, log)));
  }
}
process.stdout.write(`${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`);
