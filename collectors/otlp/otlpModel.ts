/**
 * The part of the OTLP data model Flowlens reads (opentelemetry-proto common, resource, trace and logs v1),
 * decoded from either wire format. Ids are lower-case hex ('' when absent or all zero), times are unsigned
 * nanoseconds since the epoch as bigint, enums are their integer values.
 */

export type AnyValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'int'; value: bigint }
  | { type: 'double'; value: number }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'array'; value: AnyValue[] }
  | { type: 'kvlist'; value: KeyValue[] }
  | { type: 'empty' };

export type KeyValue = { key: string; value: AnyValue };

export type Resource = { attributes: KeyValue[] };
export type Scope = { name: string; version: string; attributes: KeyValue[] };

export type SpanEvent = { timeUnixNano: bigint; name: string; attributes: KeyValue[] };
export type SpanLink = { traceId: string; spanId: string; traceState: string; attributes: KeyValue[] };
export type SpanStatus = { code: number; message: string };

export type Span = {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: KeyValue[];
  events: SpanEvent[];
  links: SpanLink[];
  status: SpanStatus;
};

export type LogRecord = {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  traceId: string;
  spanId: string;
  eventName: string;
};

export type ScopeSpans = { scope: Scope; spans: Span[] };
export type ResourceSpans = { resource: Resource; scopeSpans: ScopeSpans[] };
export type TracesRequest = { resourceSpans: ResourceSpans[] };

export type ScopeLogs = { scope: Scope; logRecords: LogRecord[] };
export type ResourceLogs = { resource: Resource; scopeLogs: ScopeLogs[] };
export type LogsRequest = { resourceLogs: ResourceLogs[] };

/** Span status codes (trace.proto Status.StatusCode). */
export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

/** A request body that could not be decoded; answered with 400 and this message. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

export const EMPTY_SCOPE: Scope = { name: '', version: '', attributes: [] };

/** Attributes as a lookup; a key repeated in the list keeps its last value, as the collector's pdata does. */
export function attributeMap(attributes: readonly KeyValue[]): Map<string, AnyValue> {
  return new Map(attributes.map((kv) => [kv.key, kv.value]));
}

/**
 * An attribute value as text, the way the collector's `Value.AsString()` renders it (and so the way the
 * ClickHouse exporter fills its Map(String, String) columns): strings as-is, numbers in shortest form,
 * bytes as base64, arrays and maps as JSON.
 */
export function anyValueToString(value: AnyValue): string {
  switch (value.type) {
    case 'string':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'int':
      return value.value.toString();
    case 'double':
      return doubleToString(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
    case 'kvlist':
      return JSON.stringify(anyValueToJson(value));
    case 'empty':
      return '';
  }
}

/** An attribute value as a plain JSON value (ints beyond 2^53 become strings so no digit is lost). */
export function anyValueToJson(value: AnyValue): unknown {
  switch (value.type) {
    case 'string':
    case 'bool':
      return value.value;
    case 'int':
      return value.value >= BigInt(Number.MIN_SAFE_INTEGER) && value.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value.value) : value.value.toString();
    case 'double':
      return Number.isFinite(value.value) ? value.value : doubleToString(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
      return value.value.map(anyValueToJson);
    case 'kvlist':
      return Object.fromEntries(value.value.map((kv) => [kv.key, anyValueToJson(kv.value)]));
    case 'empty':
      return null;
  }
}

function doubleToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

/** Attributes as the exporter's Map(LowCardinality(String), String) value. */
export function attributesToStringMap(attributes: readonly KeyValue[]): Record<string, string> {
  // No prototype: an attribute named __proto__ is data like any other.
  const out = Object.create(null) as Record<string, string>;
  for (const kv of attributes) out[kv.key] = anyValueToString(kv.value);
  return out;
}

