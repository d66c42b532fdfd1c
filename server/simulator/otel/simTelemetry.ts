import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { node, resources, tracing } from '@opentelemetry/sdk-node';
import type { ExportResult } from '@opentelemetry/core';
import { SIM_SERVICES, type SimEvent, type SimService } from '../model.js';
import { hashHex } from '../random.js';
import { retailAttributes } from './retailAttributes.js';

/**
 * The simulated services' OpenTelemetry: one tracer provider per service (its own `service.name` resource),
 * the real SDK's batch processor and OTLP/HTTP protobuf exporter, pointed at Flowlens. Span and trace ids are
 * derived from the step's event id and correlation, so a re-sent span is the same span and a plan replays
 * identically; context crosses service boundaries as W3C `traceparent` headers.
 */
export type SimTelemetry = {
  tracer(service: SimService): Tracer;
  /** A step as a finished span of `service`, a child of `parent` (an event id) in the correlation's trace. */
  recordStep(service: SimService, name: string, event: SimEvent, durationMs: number, parent?: string): void;
  /** A client span around a call to another service; `headers` receives its `traceparent`. */
  startClientSpan(service: SimService, name: string, event: Pick<SimEvent, 'event_id' | 'correlation_id' | 'occurred_at'>, parent: string | undefined, headers: Record<string, string>): Span;
  /** Export everything recorded so far; resolves once Flowlens answered. */
  flush(): Promise<void>;
  /** Spans Flowlens refused or never acknowledged (the exporter gave up after its retries). */
  failedSpans(): number;
  shutdown(): Promise<void>;
};

export function startSimTelemetry(otlpBaseUrl: string): SimTelemetry {
  const planned: { traceId?: string; spanId?: string } = {};
  const random = new tracing.RandomIdGenerator();
  const idGenerator = {
    generateTraceId: () => planned.traceId ?? random.generateTraceId(),
    generateSpanId: () => planned.spanId ?? random.generateSpanId(),
  };
  let failed = 0;
  const providers = new Map(
    SIM_SERVICES.map((service) => {
      const exporter = new OTLPTraceExporter({ url: new URL('/v1/traces', otlpBaseUrl).toString(), timeoutMillis: 30_000 });
      const counting = {
        export: (spans: tracing.ReadableSpan[], done: (result: ExportResult) => void) =>
          exporter.export(spans, (result) => {
            if (result.code !== 0) failed += spans.length;
            done(result);
          }),
        shutdown: () => exporter.shutdown(),
        forceFlush: () => exporter.forceFlush(),
      };
      const provider = new node.NodeTracerProvider({
        resource: resources.resourceFromAttributes({ 'service.name': service, 'service.namespace': 'retail-estate', 'deployment.environment.name': 'simulation' }),
        idGenerator,
        spanProcessors: [new tracing.BatchSpanProcessor(counting, { maxQueueSize: 200_000, maxExportBatchSize: 2_000, scheduledDelayMillis: 250 })],
      });
      return [service, provider] as const;
    }),
  );
  const propagator = new W3CTraceContextPropagator();
  const tracer = (service: SimService) => providers.get(service)!.getTracer('flowlens-simulator');
  const parentContext = (correlation: string, parent: string | undefined): Context =>
    parent ? trace.setSpanContext(ROOT_CONTEXT, { traceId: hashHex(correlation, 32), spanId: hashHex(parent, 16), traceFlags: TraceFlags.SAMPLED }) : ROOT_CONTEXT;
  const start = (service: SimService, name: string, kind: SpanKind, correlation: string, spanKey: string, at: number, parent: string | undefined): Span => {
    planned.traceId = hashHex(correlation, 32);
    planned.spanId = hashHex(spanKey, 16);
    try {
      return tracer(service).startSpan(name, { kind, startTime: at }, parentContext(correlation, parent));
    } finally {
      planned.traceId = undefined;
      planned.spanId = undefined;
    }
  };
  return {
    tracer,
    recordStep(service, name, event, durationMs, parent) {
      const span = start(service, name, kind(event), event.correlation_id, event.event_id, event.occurred_at, parent);
      span.setAttributes(retailAttributes(event));
      if (event.status && event.status !== 'ok' && event.status !== 'skipped') span.setStatus({ code: SpanStatusCode.ERROR, message: event.error_message ?? event.status });
      span.end(event.occurred_at + durationMs);
    },
    startClientSpan(service, name, event, parent, headers) {
      const span = start(service, name, SpanKind.CLIENT, event.correlation_id, `${event.event_id}:client`, event.occurred_at, parent);
      propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, { set: (carrier, key, value) => (carrier[key] = value) });
      return span;
    },
    async flush() {
      await Promise.all([...providers.values()].map((p) => p.forceFlush()));
    },
    failedSpans: () => failed,
    async shutdown() {
      await Promise.all([...providers.values()].map((p) => p.shutdown()));
    },
  };
}

function kind(event: SimEvent): SpanKind {
  if (event.step.startsWith('channel.') || event.step.startsWith('marketplace.shipment')) return SpanKind.PRODUCER;
  if (event.step.includes('.received')) return SpanKind.CONSUMER;
  return SpanKind.INTERNAL;
}
