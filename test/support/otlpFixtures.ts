import { SpanKind, SpanStatusCode, context, trace, type Attributes } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/**
 * Test fixtures made by the real OpenTelemetry SDK (spans and log records as its exporters see them), for
 * serialising with @opentelemetry/otlp-transformer. Shared by the decoder and mapping tests.
 */

export const FIXTURE_RESOURCE = { 'service.name': 'middleware', 'retail.region': 'eu' };
/** 2026-11-27T10:15:02.120Z plus 345 678 ns, as [seconds, nanoseconds]. */
export const FIXTURE_START: [number, number] = [1795774502, 120_345_678];

export async function sdkSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes(FIXTURE_RESOURCE), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('flowlens-test', '1.0.0');
  const parent = tracer.startSpan('erp.post_credit_memo', { kind: SpanKind.SERVER, startTime: FIXTURE_START, attributes: retailAttributes() });
  parent.addEvent('posted', { 'erp.document': 'CM-1' }, [FIXTURE_START[0], FIXTURE_START[1] + 1000]);
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'GL account locked' });
  const child = tracer.startSpan(
    'http.call',
    { kind: SpanKind.CLIENT, startTime: [FIXTURE_START[0], FIXTURE_START[1] + 5000], attributes: { 'http.status_code': 503, ratio: 0.25, ok: false, tags: ['a', 'b'] } },
    trace.setSpan(context.active(), parent),
  );
  child.end([FIXTURE_START[0] + 1, FIXTURE_START[1]]);
  parent.end([FIXTURE_START[0] + 2, FIXTURE_START[1]]);
  // Not shutdown(): the in-memory exporters forget what they hold when shut down.
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

export function retailAttributes(overrides: Attributes = {}): Attributes {
  return {
    'retail.correlation_id': 'rtr-re_1',
    'retail.flow': 'return_to_refund',
    'retail.step': 'erp.credit_memo.posted',
    'retail.target_system': 'erp',
    'retail.amount': '49.90',
    'retail.currency': 'EUR',
    'retail.key.refund_id': 're_1',
    'retail.key.order_id': 'SO-1',
    ...overrides,
  };
}

export async function sdkLogRecords(): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes(FIXTURE_RESOURCE), processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('flowlens-test', '1.0.0');
  logger.emit({
    eventName: 'pos.sale.captured',
    timestamp: FIXTURE_START,
    severityNumber: SeverityNumber.INFO,
    body: { till: 7 },
    attributes: { 'retail.correlation_id': 'sale-1', 'retail.flow': 'inventory_sync', 'retail.sku': 'SKU-1', 'retail.quantity': -2 },
  });
  logger.emit({ timestamp: FIXTURE_START, severityNumber: SeverityNumber.WARN, body: 'plain log line' });
  // Not shutdown(): the in-memory exporters forget what they hold when shut down.
  await provider.forceFlush();
  return exporter.getFinishedLogRecords();
}
