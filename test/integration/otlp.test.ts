import { trace, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineageResponseSchema } from '../../server/contracts/lineageApi.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;

beforeAll(async () => {
  // Span tables where an existing OpenTelemetry Collector exporter would write them.
  server = await startTestServer({ env: { FLOWLENS_OTEL_DATABASE: 'otel', FLOWLENS_OTEL_TRACES_TABLE: 'otel_traces' } });
});
afterAll(async () => {
  await server?.close();
});

describe.each([
  ['protobuf', (url: string) => new OTLPTraceExporterProto({ url })],
  ['JSON', (url: string) => new OTLPTraceExporterJson({ url })],
])('the OTLP/HTTP receiver of the running server, over %s', (format, makeExporter) => {
  it('turns spans from the OpenTelemetry Node SDK into business events linked to their trace', async () => {
    const refundId = `re_otlp_${format}`;
    const sdk = new NodeSDK({
      resource: resourceFromAttributes({ 'service.name': 'middleware' }),
      spanProcessors: [new BatchSpanProcessor(makeExporter(`${server.otlpUrl}/v1/traces`))],
      instrumentations: [],
    });
    sdk.start();
    let traceId = '';
    const tracer = trace.getTracer('flowlens-test');
    tracer.startActiveSpan('erp.post_credit_memo', (span) => {
      traceId = span.spanContext().traceId;
      span.setAttributes({
        'retail.correlation_id': `rtr-otlp-${format}`,
        'retail.flow': 'return_to_refund',
        'retail.step': 'erp.credit_memo.posted',
        'retail.amount': '49.90',
        'retail.currency': 'EUR',
        'retail.key.refund_id': refundId,
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'GL account locked' });
      span.end();
    });
    await sdk.shutdown();
    trace.disable(); // the global tracer provider can be registered again by the next SDK

    await server.flush();
    const res = await server.api(`/api/v1/lineage?key=${refundId}&depth=0`, {}, 'viewer');
    expect(res.status).toBe(200);
    const [event] = lineageResponseSchema.parse(await res.json()).events;
    expect(event).toMatchObject({
      correlation_id: `rtr-otlp-${format}`,
      step: 'erp.credit_memo.posted',
      system: 'middleware',
      status: 'failed',
      error_message: 'GL account locked',
      amount: '49.9',
      trace_id: traceId,
    });
  });

});

describe('the OTLP/HTTP receiver under bad input', () => {
  it('answers a malformed protobuf body with 400 and keeps serving', async () => {
    const bad = await fetch(`${server.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array([0x0a, 0xff, 0xff]) });
    expect(bad.status).toBe(400);
    const ok = await fetch(`${server.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(ok.status).toBe(200);
  });
});
