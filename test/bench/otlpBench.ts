import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SpanKind, SpanStatusCode, context, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTracesProtobuf } from '../../collectors/otlp/decodeProtobuf.js';
import { toOtelTraceRow, type OtelTraceRow } from '../../collectors/otlp/otelTraceRow.js';
import { retailRecordsFromTraces } from '../../collectors/otlp/retailMapping.js';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import { openStore } from '../../server/store/clickhouse.js';
import { migrate } from '../../server/store/migrate.js';
import { schemaFor, type TableRole } from '../../server/store/schema.js';
import { toEventRow, type EventRow } from '../../server/store/eventRows.js';
import { sql, toClickHouseTime } from '../../server/store/sql.js';
import { startChildServer } from '../support/childServer.js';
import { runPool, sendRespectingRetryAfter, throughput, timedApiRun, writeRows, type ApiRun, type Throughput } from './benchSupport.js';

export type OtlpBenchOptions = { spans: number; spansPerRequest: number; concurrency: number };
export type OtlpBenchResult = OtlpBenchOptions & {
  requests: number;
  bodyMiB: number;
  /** Spans carrying retail.* attributes, which the server also stores as business events. */
  retailSpans: number;
  api: ApiRun & { rejectedEvents: number };
  clientInsert: Throughput;
  engineBatches: Throughput;
  engineOneFile: Throughput;
  /** Per batch, the span file and the business-event file loaded side by side, as the server does. */
  engineWithEvents: Throughput;
};

const quiet = { info: () => {}, warn: () => {} };

/**
 * OTLP/HTTP protobuf trace ingest (`POST /v1/traces` on the receiver's own port) against baselines measured in
 * the same run: the very same otel_traces rows (decoded by the receiver's own decoder, mapped by
 * toOtelTraceRow) written by client.insert and by the engine alone loading JSONEachRow files.
 */
export async function otlpBench(options: OtlpBenchOptions, log: (line: string) => void): Promise<OtlpBenchResult> {
  const bodies = await traceBodies(options.spans, options.spansPerRequest);
  const bodyMiB = bodies.reduce((n, b) => n + b.byteLength, 0) / 2 ** 20;
  log(`prepared ${bodies.length} ExportTraceServiceRequest bodies (${bodyMiB.toFixed(1)} MiB) of up to ${options.spansPerRequest} spans`);

  const api = await apiRun(bodies, options.concurrency, log);

  const batches: Batch[] = [];
  const observedAt = toClickHouseTime(Date.now());
  for (const body of bodies) {
    const request = decodeTracesProtobuf(body);
    const spans: OtelTraceRow[] = [];
    for (const rs of request.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push(toOtelTraceRow(span, rs.resource, ss.scope));
    const events = retailRecordsFromTraces(request).map(({ value, label }) => {
      const result = validateEvent(value);
      if (!result.ok) throw new Error(`${label} is not a valid business event: ${JSON.stringify(result.issues)}`);
      return toEventRow(result.event, observedAt);
    });
    batches.push({ spans, events });
  }
  const retailSpans = batches.reduce((n, b) => n + b.events.length, 0);
  const base = await baselines(batches, log);
  return { ...options, requests: bodies.length, bodyMiB, retailSpans, api, ...base };
}

// ── Spans, made by the real OpenTelemetry SDK and serialised as an exporter would ─────────────────────────────

const GATEWAYS = ['shop-gateway', 'pos-gateway', 'marketplace-gateway'] as const;
const CHANNELS = ['shopify', 'pos', 'amazon'] as const;
const SPANS_PER_TRACE = 6;

/** `spans` spans as protobuf ExportTraceServiceRequest bodies of `perRequest` spans (a trace may straddle two); also used to profile the receiver. */
export async function traceBodies(spans: number, perRequest: number): Promise<Uint8Array[]> {
  const exporter = new InMemorySpanExporter();
  const providers = new Map(
    [...GATEWAYS, 'middleware', 'erp-connector'].map((service, i) => [
      service,
      new BasicTracerProvider({
        resource: resourceFromAttributes({
          'service.name': service,
          'service.version': `2.${i}.0`,
          'service.instance.id': `${service}-7d9f${i}`,
          'deployment.environment.name': 'production',
          'host.name': `node-${i % 3}.eu-west`,
          'retail.region': 'eu',
        }),
        spanProcessors: [new SimpleSpanProcessor(exporter)],
      }),
    ]),
  );
  const tracer = (service: string) => providers.get(service)!.getTracer('flowlens-bench', '1.0.0');
  const baseMs = Date.now() - 10 * 60_000;
  const bodies: Uint8Array[] = [];
  let pending: ReadableSpan[] = [];
  let made = 0;
  for (let t = 0; made < spans; t++) {
    recordTrace(tracer, t, baseMs);
    made += SPANS_PER_TRACE;
    if (t % 64 !== 63 && made < spans) continue;
    await Promise.all([...providers.values()].map((p) => p.forceFlush()));
    pending = pending.concat(exporter.getFinishedSpans());
    exporter.reset();
    const last = made >= spans;
    if (last) pending = pending.slice(0, pending.length - (made - spans));
    while (pending.length >= perRequest || (last && pending.length > 0)) bodies.push(ProtobufTraceSerializer.serializeRequest(pending.splice(0, perRequest))!);
  }
  return bodies;
}

/** One order through gateway → middleware → ERP: six spans, two of them business steps (retail.*). */
function recordTrace(tracer: (service: string) => Tracer, t: number, baseMs: number): void {
  const ms = baseMs + t;
  const at = (offsetMs: number): [number, number] => [Math.floor((ms + offsetMs) / 1000), ((ms + offsetMs) % 1000) * 1e6 + (t % 997)];
  const child = (parent: Span) => trace.setSpan(context.active(), parent);
  const gateway = GATEWAYS[t % GATEWAYS.length]!;
  const order = `SO-${100000 + t}`;
  const failed = t % 50 === 0;
  const retail = (step: string, extra: Attributes): Attributes => ({
    'retail.correlation_id': `order-${t}`,
    'retail.flow': 'order_to_cash',
    'retail.step': step,
    'retail.channel': CHANNELS[t % CHANNELS.length],
    'retail.amount': ((t % 20000) / 100 + 1).toFixed(2),
    'retail.currency': 'EUR',
    'retail.sku': `SKU-${10000 + (t % 5000)}`,
    'retail.quantity': 1 + (t % 4),
    'retail.key.order_id': order,
    ...extra,
  });
  const http = (method: string, route: string, status: number): Attributes => ({
    'http.request.method': method,
    'http.route': route,
    'url.path': route.replace(':id', String(t)),
    'http.response.status_code': status,
    'server.address': 'api.internal',
    'network.protocol.version': '1.1',
  });

  const root = tracer(gateway).startSpan('POST /orders', { kind: SpanKind.SERVER, startTime: at(0), attributes: http('POST', '/orders', failed ? 502 : 201) });
  const translate = tracer('middleware').startSpan(
    'order.translate',
    { kind: SpanKind.INTERNAL, startTime: at(1), attributes: retail('middleware.order.translated', { 'retail.target_system': 'erp', 'messaging.batch.size': 1 }) },
    child(root),
  );
  const call = tracer('middleware').startSpan('POST /api/salesorders', { kind: SpanKind.CLIENT, startTime: at(2), attributes: http('POST', '/api/salesorders', failed ? 503 : 200) }, child(translate));
  const post = tracer('erp-connector').startSpan(
    'erp.post_sales_order',
    { kind: SpanKind.SERVER, startTime: at(3), attributes: retail('erp.order.posted', { 'retail.system': 'erp', 'retail.key.erp_document': `DOC-${t}` }) },
    child(call),
  );
  const db = tracer('erp-connector').startSpan(
    'INSERT sales_order',
    { kind: SpanKind.CLIENT, startTime: at(4), attributes: { 'db.system.name': 'postgresql', 'db.namespace': 'erp', 'db.operation.name': 'INSERT', 'db.query.text': 'INSERT INTO sales_order (no, customer, total) VALUES ($1, $2, $3)' } },
    child(post),
  );
  db.end(at(9));
  if (failed) {
    post.addEvent('exception', { 'exception.type': 'ErpUnavailable', 'exception.message': 'ERP answered 503' }, at(10));
    post.setStatus({ code: SpanStatusCode.ERROR, message: 'ERP answered 503' });
  }
  post.end(at(12));
  call.end(at(13));
  translate.end(at(14));
  const publish = tracer('middleware').startSpan(
    'orders publish',
    { kind: SpanKind.PRODUCER, startTime: at(15), attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders', 'messaging.operation.type': 'send' } },
    child(root),
  );
  publish.end(at(16));
  root.end(at(17));
}

// ── The API run, in a real server process ────────────────────────────────────────────────────────────────────

async function apiRun(bodies: Uint8Array[], concurrency: number, log: (line: string) => void): Promise<OtlpBenchResult['api']> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-otlp-'));
  const server = await startChildServer({ FLOWLENS_DATA_DIR: dataDir });
  try {
    const spans = bodies.reduce((n, body) => n + countSpans(body), 0);
    let rejectedEvents = 0;
    const run = await timedApiRun(server, spans, (refused) =>
      runPool(bodies, concurrency, async (body) => {
        const send = () => fetch(`${server.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
        const res = await sendRespectingRetryAfter(send, refused);
        const answer = new Uint8Array(await res.arrayBuffer());
        if (res.status !== 200) throw new Error(`OTLP receiver answered ${res.status}: ${Buffer.from(answer).toString('utf8')}`);
        rejectedEvents += Number(ProtobufTraceSerializer.deserializeResponse(answer).partialSuccess?.rejectedSpans ?? 0);
      }),
    );
    log(`API: ${spans} spans acknowledged in ${run.ackSeconds.toFixed(1)} s, loaded in ${run.seconds.toFixed(1)} s; server loads: ${run.inserts.map((i) => `${i.table} ${i.rows} rows in ${i.inserts} loads`).join(', ')}`);
    return { ...run, rejectedEvents };
  } finally {
    await server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Spans in a request body, counted with the receiver's decoder (before the timed part). */
function countSpans(body: Uint8Array): number {
  let n = 0;
  for (const rs of decodeTracesProtobuf(body).resourceSpans) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}

// ── Baselines: the same rows, straight into the same schema, in this process ──────────────────────────────────

type Batch = { spans: OtelTraceRow[]; events: EventRow[] };

async function baselines(batches: Batch[], log: (line: string) => void): Promise<Pick<OtlpBenchResult, 'clientInsert' | 'engineBatches' | 'engineOneFile' | 'engineWithEvents'>> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-bench-otlp-base-'));
  const store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  const total = batches.reduce((n, b) => n + b.spans.length, 0);
  try {
    const [direct, fromFiles, fromOneFile, withEvents] = ['bench_otlp_insert', 'bench_otlp_files', 'bench_otlp_file', 'bench_otlp_events'].map((db) => schemaFor(db));
    for (const schema of [direct!, fromFiles!, fromOneFile!, withEvents!]) await migrate(store.ingest, schema, quiet);

    let started = performance.now();
    for (const [i, { spans: values }] of batches.entries()) {
      await store.ingest.insert({ table: direct!.insertTarget('otelTraces'), values, format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: `b-${i}` } });
    }
    const clientInsert = throughput(total, started);
    log(`client.insert: ${total} span rows in ${clientInsert.seconds.toFixed(1)} s`);

    const files = batches.map(({ spans }, i) => writeRows(path.join(dataDir, `batch-${i}.ndjson`), [spans]));
    started = performance.now();
    for (const [i, file] of files.entries()) await loadFile(store.ingest, fromFiles!, 'otelTraces', file, `f-${i}`);
    const engineBatches = throughput(total, started);
    log(`engine, one file per batch: ${total} span rows in ${engineBatches.seconds.toFixed(1)} s`);

    const one = writeRows(path.join(dataDir, 'all.ndjson'), batches.map((b) => b.spans));
    started = performance.now();
    await loadFile(store.ingest, fromOneFile!, 'otelTraces', one, 'one-file');
    const engineOneFile = throughput(total, started);
    log(`engine, one file: ${total} span rows in ${engineOneFile.seconds.toFixed(1)} s`);

    const eventFiles = batches.map(({ events }, i) => writeRows(path.join(dataDir, `events-${i}.ndjson`), [events]));
    started = performance.now();
    for (const [i, file] of files.entries()) {
      await Promise.all([loadFile(store.ingest, withEvents!, 'otelTraces', file, `s-${i}`), loadFile(store.ingest, withEvents!, 'events', eventFiles[i]!, `e-${i}`)]);
    }
    const engineWithEvents = throughput(total, started);
    log(`engine, span and event files side by side: ${total} span rows in ${engineWithEvents.seconds.toFixed(1)} s`);
    return { clientInsert, engineBatches, engineOneFile, engineWithEvents };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

type StoreClient = ReturnType<typeof openStore>['ingest'];

async function loadFile(client: StoreClient, schema: ReturnType<typeof schemaFor>, role: TableRole, file: string, token: string): Promise<void> {
  const load = sql`INSERT INTO ${schema.table(role)} SELECT * FROM file(${file}, 'JSONEachRow')`.render();
  await client.command({ query: load.query, query_params: load.query_params, clickhouse_settings: { insert_deduplication_token: token } });
}

