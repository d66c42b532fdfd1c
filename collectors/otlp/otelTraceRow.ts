import { STATUS_CODE, attributeMap, anyValueToString, attributesToStringMap, type Resource, type Scope, type Span } from './otlpModel.js';

/**
 * A span as a JSONEachRow row of `otel_traces`, the table layout of the OpenTelemetry Collector's ClickHouse
 * exporter (migration 0004): the same columns filled the same way, so tools built on that exporter read
 * Flowlens' spans unchanged. Nested `Events` and `Links` are flattened into parallel arrays, one element per
 * event or link, as the exporter inserts them.
 */
export type OtelTraceRow = {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ScopeVersion: string;
  SpanAttributes: Record<string, string>;
  Duration: number;
  StatusCode: string;
  StatusMessage: string;
  'Events.Timestamp': string[];
  'Events.Name': string[];
  'Events.Attributes': Record<string, string>[];
  'Links.TraceId': string[];
  'Links.SpanId': string[];
  'Links.TraceState': string[];
  'Links.Attributes': Record<string, string>[];
};

/** The collector's names for SpanKind and StatusCode (pdata `String()`), which the exporter stores. */
const SPAN_KINDS = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'] as const;
const STATUS_CODES: Record<number, string> = { [STATUS_CODE.unset]: 'Unset', [STATUS_CODE.ok]: 'Ok', [STATUS_CODE.error]: 'Error' };

export function toOtelTraceRow(span: Span, resource: Resource, scope: Scope): OtelTraceRow {
  return {
    Timestamp: nanosToDateTime64(span.startTimeUnixNano),
    TraceId: span.traceId,
    SpanId: span.spanId,
    ParentSpanId: span.parentSpanId,
    TraceState: span.traceState,
    SpanName: span.name,
    SpanKind: SPAN_KINDS[span.kind] ?? '',
    ServiceName: serviceNameOf(resource),
    ResourceAttributes: attributesToStringMap(resource.attributes),
    ScopeName: scope.name,
    ScopeVersion: scope.version,
    SpanAttributes: attributesToStringMap(span.attributes),
    // Unsigned in the table: a span that ends before it starts (clock skew) gets 0, not a wrapped value.
    Duration: span.endTimeUnixNano > span.startTimeUnixNano ? Number(span.endTimeUnixNano - span.startTimeUnixNano) : 0,
    StatusCode: STATUS_CODES[span.status.code] ?? '',
    StatusMessage: span.status.message,
    'Events.Timestamp': span.events.map((e) => nanosToDateTime64(e.timeUnixNano)),
    'Events.Name': span.events.map((e) => e.name),
    'Events.Attributes': span.events.map((e) => attributesToStringMap(e.attributes)),
    'Links.TraceId': span.links.map((l) => l.traceId),
    'Links.SpanId': span.links.map((l) => l.spanId),
    'Links.TraceState': span.links.map((l) => l.traceState),
    'Links.Attributes': span.links.map((l) => attributesToStringMap(l.attributes)),
  };
}

/** The resource's `service.name`, or '' (the exporter stores '' too). */
export function serviceNameOf(resource: Resource): string {
  const value = attributeMap(resource.attributes).get('service.name');
  return value === undefined ? '' : anyValueToString(value);
}

/**
 * DateTime64(9) as epoch seconds with nine decimals ("1795435935.846270997"). ClickHouse reads this form
 * exactly and independently of the server's time zone, unlike "YYYY-MM-DD hh:mm:ss", which a column without
 * a time zone (as the exporter's are) would read in the server's local time.
 */
export function nanosToDateTime64(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = nanos % 1_000_000_000n;
  return `${seconds}.${fraction.toString().padStart(9, '0')}`;
}
