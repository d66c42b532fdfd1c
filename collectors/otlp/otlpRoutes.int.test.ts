import { gzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { SpanKind, SpanStatusCode, context, trace, type HrTime } from '@opentelemetry/api';
import { OTLPLogExporter as OTLPLogExporterJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPLogExporterProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DurableTable } from '../pipeline/durableTable.js';
import { GroupCommitter } from '../pipeline/groupCommit.js';
import { startSpanPipeline } from './spanPipeline.js';
import { errorMiddleware } from '../../server/http/errorMiddleware.js';
import { queryRows } from '../../server/store/queryRows.js';
import { sql } from '../../server/store/sql.js';
import { startIngestHarness, type IngestHarness } from '../../test/support/ingestHarness.js';
import type { OtelTraceRow } from './otelTraceRow.js';
import { otlpRoutes } from './otlpRoutes.js';
import { ProtoReader } from './protobufWire.js';

const MAX_BODY = 1024 * 1024;
let harness: IngestHarness;
let spans: GroupCommitter<OtelTraceRow>;
let spanTable: DurableTable<OtelTraceRow>;
let server: Server;
let base: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  spanTable = await startSpanPipeline(harness.config, harness.store, harness.schema, harness.metrics, harness.logger);
  spans = spanTable.committer;
  const app = express();
  app.use(otlpRoutes({ ingestor: harness.ingestor, spans, maxBodyBytes: MAX_BODY }));
  app.use(errorMiddleware({ error: () => {} }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await spanTable?.close();
  await harness?.close();
});

/** UInt64 comes back as a number from the embedded engine and as a string from a server. */
type StoredSpan = Omit<OtelTraceRow, 'Duration'> & { Duration: string | number };

async function storedSpans(traceId: string): Promise<StoredSpan[]> {
  await spanTable.flush();
  return queryRows<StoredSpan>(harness.store.query, sql`SELECT * FROM ${harness.schema.table('otelTraces')} WHERE TraceId = ${traceId} ORDER BY Timestamp`);
}

/** Sends spans through the real SDK and OTLP exporter; returns what was sent as the SDK saw it. */
async function sendTrace(exporter: SpanExporter, service: string, correlation: string) {
  const seen = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'retail.region': 'eu' }),
    spanProcessors: [new BatchSpanProcessor(exporter), new SimpleSpanProcessor(seen)],
  });
  const tracer = provider.getTracer('flowlens-int', '0.1.0');
  const nowSeconds = Math.floor(Date.now() / 1000);
  const start: HrTime = [nowSeconds, 120_345_678];
  const posting = tracer.startSpan('erp.post_credit_memo', {
    kind: SpanKind.SERVER,
    startTime: start,
    attributes: {
      'retail.correlation_id': correlation,
      'retail.flow': 'return_to_refund',
      'retail.step': 'erp.credit_memo.posted',
      'retail.amount': '49.90',
      'retail.currency': 'EUR',
      'retail.key.refund_id': `re-${correlation}`,
      attempt: 2,
    },
  });
  posting.setStatus({ code: SpanStatusCode.ERROR, message: 'GL account locked' });
  // A retail span missing its flow and step: stored as a span, refused as a business event.
  const incomplete = tracer.startSpan(
    'erp.lookup',
    { kind: SpanKind.CLIENT, startTime: start, attributes: { 'retail.correlation_id': correlation } },
    trace.setSpan(context.active(), posting),
  );
  incomplete.end([nowSeconds, 220_345_678]);
  posting.end([nowSeconds + 1, 620_345_679]);
  await provider.forceFlush();
  // Read before shutdown: the in-memory exporter forgets its spans when shut down.
  const [first, second] = seen.getFinishedSpans().sort((a, b) => a.name.localeCompare(b.name));
  await provider.shutdown();
  return { posting: second!, incomplete: first!, startNanos: BigInt(nowSeconds) * 1_000_000_000n + 120_345_678n };
}

describe.each([
  ['protobuf', (url: string) => new OTLPTraceExporterProto({ url })],
  ['JSON', (url: string) => new OTLPTraceExporterJson({ url })],
])('spans from the OpenTelemetry SDK over OTLP/HTTP %s', (format, makeExporter) => {
  it('are stored in otel_traces field by field and their retail.* steps become linked business events', async () => {
    const correlation = `rtr-${format}-1`;
    const sent = await sendTrace(makeExporter(`${base}/v1/traces`), `middleware-${format}`, correlation);
    const traceId = sent.posting.spanContext().traceId;

    const rows = await storedSpans(traceId);
    expect(rows).toHaveLength(2);
    const posting = rows.find((r) => r.SpanName === 'erp.post_credit_memo')!;
    expect(posting).toMatchObject({
      TraceId: traceId,
      SpanId: sent.posting.spanContext().spanId,
      ParentSpanId: '',
      SpanName: 'erp.post_credit_memo',
      SpanKind: 'Server',
      ServiceName: `middleware-${format}`,
      ScopeName: 'flowlens-int',
      ScopeVersion: '0.1.0',
      StatusCode: 'Error',
      StatusMessage: 'GL account locked',
    });
    expect(String(posting.Duration)).toBe('1500000001');
    expect(posting.SpanAttributes).toEqual({
      'retail.correlation_id': correlation,
      'retail.flow': 'return_to_refund',
      'retail.step': 'erp.credit_memo.posted',
      'retail.amount': '49.90',
      'retail.currency': 'EUR',
      'retail.key.refund_id': `re-${correlation}`,
      attempt: '2',
    });
    expect(posting.ResourceAttributes).toMatchObject({ 'service.name': `middleware-${format}`, 'retail.region': 'eu' });
    const [ns] = await queryRows<{ ns: string }>(
      harness.store.query,
      sql`SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ns FROM ${harness.schema.table('otelTraces')} WHERE SpanId = ${posting.SpanId}`,
    );
    expect(ns!.ns).toBe(sent.startNanos.toString());
    expect(rows.find((r) => r.SpanName === 'erp.lookup')).toMatchObject({
      SpanId: sent.incomplete.spanContext().spanId,
      ParentSpanId: posting.SpanId,
      SpanKind: 'Client',
      StatusCode: 'Unset',
    });
    expect(String(rows.find((r) => r.SpanName === 'erp.lookup')!.Duration)).toBe('100000000');

    const events = await harness.eventsWithKey(correlation);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_id: `span-${traceId}-${posting.SpanId}`,
      flow: 'return_to_refund',
      step: 'erp.credit_memo.posted',
      system: `middleware-${format}`,
      region: 'eu',
      amount: '49.9',
      status: 'failed',
      error_class: 'technical',
      error_message: 'GL account locked',
      trace_id: traceId,
      span_id: posting.SpanId,
      keys: { refund_id: `re-${correlation}` },
    });

    const [lookup] = await queryRows<{ n: string }>(harness.store.query, sql`SELECT count() AS n FROM ${harness.schema.table('otelTracesTraceIdTs')} WHERE TraceId = ${traceId}`);
    expect(Number(lookup!.n)).toBeGreaterThan(0);
  });
});

describe('OTLP/HTTP answers', () => {
  it('reports retail spans refused as business events as partial success, and a re-send stores the event once', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'pos' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const tracer = provider.getTracer('t');
    tracer.startSpan('ok', { attributes: { 'retail.correlation_id': 'ps-1', 'retail.flow': 'inventory_sync', 'retail.step': 'pos.sale.captured' } }).end();
    tracer.startSpan('bad', { attributes: { 'retail.correlation_id': 'ps-1' } }).end();
    tracer.startSpan('plain').end();
    await provider.forceFlush();
    const body = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!;

    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' }, body: gzipSync(body) });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      const answer = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await res.arrayBuffer()));
      expect(answer.partialSuccess?.rejectedSpans).toBe(1);
      expect(answer.partialSuccess?.errorMessage).toMatch(/span "bad" .*flow is required/);
    }
    expect((await harness.eventsWithKey('ps-1')).map((e) => e.step)).toEqual(['pos.sale.captured']);
  });

  it('refuses a gzip bomb with 413 and a Status body, and stays up', async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BODY * 4));
    const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' }, body: bomb });
    expect(res.status).toBe(413);
    expect(statusMessage(new Uint8Array(await res.arrayBuffer()))).toMatch(/larger than 1048576 bytes/);
    const again = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(200);
  });

  it('answers 503 with Retry-After when the span store is unavailable', async () => {
    const down = new GroupCommitter<OtelTraceRow>(
      { write: async () => ({ ok: false, retryable: true, error: new Error('store restarting') }) },
      { maxBatchRows: 10, maxPendingRows: 10, retry: { attempts: 1, baseDelayMs: 1 } },
    );
    const app = express().use(otlpRoutes({ ingestor: harness.ingestor, spans: down }));
    const other = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'op' }] }] }] });
      const res = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await res.json()).toMatchObject({ code: 14, message: expect.stringMatching(/store restarting/) });
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('answers 429 with Retry-After while the span queue is full, and takes the request once it drains', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = new GroupCommitter<OtelTraceRow>(
      { write: async () => (await held, { ok: true }) },
      { maxBatchRows: 10, maxPendingRows: 1 },
    );
    const app = express().use(otlpRoutes({ ingestor: harness.ingestor, spans: slow }));
    const other = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1/traces`;
    const body = (id: string) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ab'.repeat(16), spanId: id.repeat(8), name: 'op' }] }] }] });
    try {
      const first = fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body('e1') });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body('e2') });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ code: 8, message: expect.stringMatching(/queue is full/) }); // RESOURCE_EXHAUSTED
      release();
      expect((await first).status).toBe(200);
    } finally {
      release();
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('answers malformed protobuf with 400 and a protobuf Status', async () => {
    const res = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0x05, 0x01]) });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(statusMessage(new Uint8Array(await res.arrayBuffer()))).toMatch(/malformed protobuf/);
  });

  it('answers invalid JSON with 400 and a JSON Status, and other media types with 415', async () => {
    const res = await fetch(`${base}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceLogs": [' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 3, message: expect.stringMatching(/not valid JSON/) });
    const other = await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'hi' });
    expect(other.status).toBe(415);
    expect((await fetch(`${base}/v1/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(200);
  });
});

describe.each([
  ['protobuf', (url: string) => new OTLPLogExporterProto({ url })],
  ['JSON', (url: string) => new OTLPLogExporterJson({ url })],
])('log records from the OpenTelemetry SDK over OTLP/HTTP %s', (format, makeExporter) => {
  it('become business events when they carry retail.* attributes', async () => {
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': `pos-${format}` }),
      processors: [new BatchLogRecordProcessor({ exporter: makeExporter(`${base}/v1/logs`) })],
    });
    const logger = provider.getLogger('till');
    const correlation = `sale-${format}`;
    logger.emit({ eventName: 'pos.sale.captured', attributes: { 'retail.correlation_id': correlation, 'retail.flow': 'inventory_sync', 'retail.sku': 'SKU-1', 'retail.quantity': -2 } });
    logger.emit({ body: 'till opened' });
    await provider.forceFlush();
    await provider.shutdown();

    const events = await harness.eventsWithKey(correlation);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ step: 'pos.sale.captured', system: `pos-${format}`, sku: 'SKU-1', quantity: -2, status: 'ok' });
    expect(events[0]!.event_id).toMatch(/^log-[0-9a-f]{32}$/);
  });
});

function statusMessage(bytes: Uint8Array): string {
  let message = '';
  const r = new ProtoReader(bytes);
  r.fields((field) => {
    if (field !== 2) return false;
    message = r.string();
    return true;
  });
  return message;
}

describe('with FLOWLENS_OTLP_REQUIRE_INGEST_KEY on', () => {
  it('takes spans from an exporter that sends an ingest key, and refuses others with 401 and a Status', async () => {
    const app = express().use(otlpRoutes({ ingestor: harness.ingestor, spans, maxBodyBytes: MAX_BODY, ingestKeys: [{ name: 'middleware', token: 'otlp-key-0123456789abcdef' }] }));
    const keyed = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(keyed.address() as AddressInfo).port}/v1/traces`;
    try {
      const sent = await sendTrace(new OTLPTraceExporterProto({ url, headers: { Authorization: 'Bearer otlp-key-0123456789abcdef' } }), 'middleware-keyed', 'rtr-keyed-1');
      expect(await storedSpans(sent.posting.spanContext().traceId)).toHaveLength(2);

      const body = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'ef'.repeat(16), spanId: 'cd'.repeat(8), name: 'op' }] }] }] });
      for (const authorization of [undefined, 'Bearer not-a-key-0123456789', 'Basic b3RscDprZXk=']) {
        const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(authorization ? { authorization } : {}) }, body });
        expect(res.status, authorization ?? 'no Authorization').toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="flowlens-otlp"');
        expect(await res.json()).toMatchObject({ code: 16, message: expect.stringMatching(/bearer token.*ingest key/) }); // UNAUTHENTICATED
      }
      expect(await storedSpans('ef'.repeat(16))).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => keyed.close(() => resolve()));
    }
  });
});
