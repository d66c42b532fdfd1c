import { createHash } from 'node:crypto';
import { RETAIL_ATTRIBUTES, RETAIL_ATTRIBUTE_PREFIX, RETAIL_KEY_ATTRIBUTE_PREFIX } from '../../server/contracts/canonicalEvent.js';
import {
  STATUS_CODE,
  anyValueToJson,
  anyValueToString,
  attributeMap,
  type AnyValue,
  type KeyValue,
  type LogRecord,
  type LogsRequest,
  type Resource,
  type Span,
  type TracesRequest,
} from './otlpModel.js';

/**
 * The one place where OpenTelemetry telemetry becomes canonical business events (docs/semantic-conventions.md).
 *
 * - A span or log record is a business step when its own attributes carry at least one `retail.*` attribute.
 *   `retail.*` attributes of its resource are defaults (a service can declare `retail.system` or
 *   `retail.region` once); the resource's `service.name` is the default `system`.
 * - Links: `trace_id`/`span_id` are the span's own ids, or the log record's trace context.
 * - `occurred_at`: `retail.occurred_at`, else the span's start (as the convention documents: the time the step
 *   began at the source, which is also the span's `Timestamp` in otel_traces), else the log record's time
 *   (its observed time when the time is unset).
 * - `status`: `retail.status`, else `failed` for a span whose status is ERROR, with the status message (or the
 *   recorded exception's message) as `error_message`, the exception type as `error_code` and `error_class`
 *   `technical`; otherwise the canonical default `ok`.
 * - `step` of an OpenTelemetry event (a log record with an event name) defaults to the event name.
 * - `event_id`: `retail.event_id`, else derived from the telemetry itself so a re-sent span or log record is the
 *   same event: `span-<trace_id>-<span_id>` for a span; for a log record a hash of its trace context, times,
 *   event name, severity, body and attributes (a span can emit many logs, and a log's position in a request
 *   changes from batch to batch, so an index would not identify it).
 * The result is an unvalidated record: the ingest pipeline validates it like any other and reports what is
 * missing field by field.
 */

export type RetailRecord = { value: Record<string, unknown>; label: string };

const FIELD_BY_ATTRIBUTE = new Map(Object.entries(RETAIL_ATTRIBUTES).map(([field, attribute]) => [attribute, field]));

export function retailRecordsFromTraces(request: TracesRequest): RetailRecord[] {
  const out: RetailRecord[] = [];
  for (const rs of request.resourceSpans) {
    const defaults = resourceDefaults(rs.resource);
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        const value = retailEventFromSpan(span, defaults);
        if (value) out.push({ value, label: `span "${span.name}" (trace ${span.traceId || '-'}, span ${span.spanId || '-'})` });
      }
    }
  }
  return out;
}

export function retailRecordsFromLogs(request: LogsRequest): RetailRecord[] {
  const out: RetailRecord[] = [];
  for (const rl of request.resourceLogs) {
    const defaults = resourceDefaults(rl.resource);
    for (const sl of rl.scopeLogs) {
      for (const log of sl.logRecords) {
        const value = retailEventFromLog(log, defaults);
        const what = log.eventName ? `event "${log.eventName}"` : 'log record';
        if (value) out.push({ value, label: `${what} (trace ${log.traceId || '-'}, span ${log.spanId || '-'})` });
      }
    }
  }
  return out;
}

/** Canonical fields a resource contributes to every record it carries. */
export function resourceDefaults(resource: Resource): Record<string, unknown> {
  const { fields, keys } = retailFields(resource.attributes);
  const serviceName = attributeMap(resource.attributes).get('service.name');
  if (fields.system === undefined && serviceName !== undefined && serviceName.type !== 'empty') fields.system = anyValueToString(serviceName);
  if (Object.keys(keys).length > 0) fields.keys = keys;
  return fields;
}

export function retailEventFromSpan(span: Span, defaults: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!hasRetailAttribute(span.attributes)) return undefined;
  const own = retailFields(span.attributes);
  const event = merge(defaults, own);
  if (span.traceId) event.trace_id = span.traceId;
  if (span.spanId) event.span_id = span.spanId;
  if (event.event_id === undefined && span.traceId && span.spanId) event.event_id = `span-${span.traceId}-${span.spanId}`;
  if (event.occurred_at === undefined && span.startTimeUnixNano !== 0n) event.occurred_at = nanosToMillis(span.startTimeUnixNano);
  if (span.status.code === STATUS_CODE.error) {
    const exception = span.events.find((e) => e.name === 'exception');
    const exceptionAttrs = attributeMap(exception?.attributes ?? []);
    if (event.status === undefined) {
      event.status = 'failed';
      event.error_class ??= 'technical';
      const type = exceptionAttrs.get('exception.type');
      if (type !== undefined) event.error_code ??= anyValueToString(type);
    }
    const message = span.status.message || (exceptionAttrs.has('exception.message') ? anyValueToString(exceptionAttrs.get('exception.message')!) : '');
    if (message && event.status !== 'ok' && event.status !== 'skipped') event.error_message ??= message;
  }
  return event;
}

export function retailEventFromLog(log: LogRecord, defaults: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!hasRetailAttribute(log.attributes)) return undefined;
  const own = retailFields(log.attributes);
  const event = merge(defaults, own);
  if (log.traceId) event.trace_id = log.traceId;
  if (log.spanId && log.traceId) event.span_id = log.spanId;
  if (log.eventName) event.step ??= log.eventName;
  event.event_id ??= `log-${logFingerprint(log)}`;
  const time = log.timeUnixNano !== 0n ? log.timeUnixNano : log.observedTimeUnixNano;
  if (event.occurred_at === undefined && time !== 0n) event.occurred_at = nanosToMillis(time);
  return event;
}

/** Most telemetry carries no retail.* attribute: answer that without allocating anything. */
function hasRetailAttribute(attributes: readonly KeyValue[]): boolean {
  for (const { key } of attributes) if (key.startsWith(RETAIL_ATTRIBUTE_PREFIX)) return true;
  return false;
}

type Extracted = { fields: Record<string, unknown>; keys: Record<string, string> };

function retailFields(attributes: readonly KeyValue[]): Extracted {
  // No prototype on keys: a key named __proto__ is data, and validation refuses it as a key name.
  const out: Extracted = { fields: {}, keys: Object.create(null) as Record<string, string> };
  for (const { key, value } of attributes) {
    if (!key.startsWith(RETAIL_ATTRIBUTE_PREFIX)) continue;
    if (value.type === 'empty') continue;
    if (key.startsWith(RETAIL_KEY_ATTRIBUTE_PREFIX)) {
      out.keys[key.slice(RETAIL_KEY_ATTRIBUTE_PREFIX.length)] = anyValueToString(value);
      continue;
    }
    const field = FIELD_BY_ATTRIBUTE.get(key);
    if (field !== undefined) out.fields[field] = fieldValue(field, value);
  }
  return out;
}

/** Attribute value → canonical field value. OpenTelemetry SDKs differ in how they type numbers, so be lenient. */
function fieldValue(field: string, value: AnyValue): unknown {
  switch (field) {
    case 'quantity':
      if (value.type === 'int') return Number(value.value);
      if (value.type === 'double') return value.value;
      if (value.type === 'string' && value.value.trim() !== '' && Number.isFinite(Number(value.value))) return Number(value.value);
      return anyValueToJson(value);
    case 'amount':
      return value.type === 'double' ? value.value : anyValueToString(value);
    case 'occurred_at':
      if (value.type === 'int') return Number(value.value);
      if (value.type === 'double') return value.value;
      return anyValueToString(value);
    case 'payload':
      return value.type === 'string' ? value.value : anyValueToJson(value);
    default:
      return anyValueToString(value);
  }
}

/** The record's fields over its resource's defaults; no field is ever set to undefined (so none is deleted later). */
function merge(defaults: Record<string, unknown>, own: Extracted): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const name in defaults) if (name !== 'keys') event[name] = defaults[name];
  for (const name in own.fields) event[name] = own.fields[name];
  const defaultKeys = defaults.keys as Record<string, string> | undefined;
  let ownKeys = false;
  for (const _ in own.keys) {
    ownKeys = true;
    break;
  }
  if (ownKeys) event.keys = defaultKeys ? { ...defaultKeys, ...own.keys } : own.keys;
  else if (defaultKeys) event.keys = { ...defaultKeys };
  return event;
}

function nanosToMillis(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}

function logFingerprint(log: LogRecord): string {
  const hash = createHash('sha256');
  const attributes = log.attributes.map((kv) => [kv.key, anyValueToJson(kv.value)]);
  hash.update(
    JSON.stringify([log.traceId, log.spanId, String(log.timeUnixNano), String(log.observedTimeUnixNano), log.eventName, log.severityNumber, anyValueToJson(log.body), attributes]),
  );
  return hash.digest('hex').slice(0, 32);
}
