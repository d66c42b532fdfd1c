import {
  EMPTY_SCOPE,
  OtlpDecodeError,
  type AnyValue,
  type KeyValue,
  type LogRecord,
  type LogsRequest,
  type Resource,
  type Scope,
  type Span,
  type TracesRequest,
} from './otlpModel.js';

/**
 * `ExportTraceServiceRequest` and `ExportLogsServiceRequest` from OTLP/JSON: the proto3 JSON mapping with the
 * OTLP deviations (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): lowerCamelCase keys,
 * trace and span ids as case-insensitive hex, enums as integers, 64-bit integers as strings or numbers,
 * unknown fields ignored. Throws OtlpDecodeError naming the path of the first bad value.
 */

type Json = Record<string, unknown>;

export function decodeTracesJson(text: string): TracesRequest {
  const root = object(parse(text), '(body)');
  return {
    resourceSpans: list(root.resourceSpans, 'resourceSpans', (rs, p) => {
      const o = object(rs, p);
      return {
        resource: resource(o.resource, `${p}.resource`),
        scopeSpans: list(o.scopeSpans, `${p}.scopeSpans`, (ss, q) => {
          const s = object(ss, q);
          return { scope: scope(s.scope, `${q}.scope`), spans: list(s.spans, `${q}.spans`, span) };
        }),
      };
    }),
  };
}

export function decodeLogsJson(text: string): LogsRequest {
  const root = object(parse(text), '(body)');
  return {
    resourceLogs: list(root.resourceLogs, 'resourceLogs', (rl, p) => {
      const o = object(rl, p);
      return {
        resource: resource(o.resource, `${p}.resource`),
        scopeLogs: list(o.scopeLogs, `${p}.scopeLogs`, (sl, q) => {
          const s = object(sl, q);
          return { scope: scope(s.scope, `${q}.scope`), logRecords: list(s.logRecords, `${q}.logRecords`, logRecord) };
        }),
      };
    }),
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`request body is not valid JSON: ${(err as Error).message}`);
  }
}

function span(value: unknown, path: string): Span {
  const o = object(value, path);
  const status = o.status === undefined || o.status === null ? {} : object(o.status, `${path}.status`);
  return {
    traceId: hexId(o.traceId, 16, `${path}.traceId`),
    spanId: hexId(o.spanId, 8, `${path}.spanId`),
    parentSpanId: hexId(o.parentSpanId, 8, `${path}.parentSpanId`),
    traceState: string(o.traceState, `${path}.traceState`),
    name: string(o.name, `${path}.name`),
    kind: int32(o.kind, `${path}.kind`),
    startTimeUnixNano: uint64(o.startTimeUnixNano, `${path}.startTimeUnixNano`),
    endTimeUnixNano: uint64(o.endTimeUnixNano, `${path}.endTimeUnixNano`),
    attributes: attributes(o.attributes, `${path}.attributes`),
    events: list(o.events, `${path}.events`, (e, p) => {
      const ev = object(e, p);
      return { timeUnixNano: uint64(ev.timeUnixNano, `${p}.timeUnixNano`), name: string(ev.name, `${p}.name`), attributes: attributes(ev.attributes, `${p}.attributes`) };
    }),
    links: list(o.links, `${path}.links`, (l, p) => {
      const link = object(l, p);
      return {
        traceId: hexId(link.traceId, 16, `${p}.traceId`),
        spanId: hexId(link.spanId, 8, `${p}.spanId`),
        traceState: string(link.traceState, `${p}.traceState`),
        attributes: attributes(link.attributes, `${p}.attributes`),
      };
    }),
    status: { code: int32(status.code, `${path}.status.code`), message: string(status.message, `${path}.status.message`) },
  };
}

function logRecord(value: unknown, path: string): LogRecord {
  const o = object(value, path);
  return {
    timeUnixNano: uint64(o.timeUnixNano, `${path}.timeUnixNano`),
    observedTimeUnixNano: uint64(o.observedTimeUnixNano, `${path}.observedTimeUnixNano`),
    severityNumber: int32(o.severityNumber, `${path}.severityNumber`),
    severityText: string(o.severityText, `${path}.severityText`),
    body: o.body === undefined || o.body === null ? { type: 'empty' } : anyValue(o.body, `${path}.body`),
    attributes: attributes(o.attributes, `${path}.attributes`),
    traceId: hexId(o.traceId, 16, `${path}.traceId`),
    spanId: hexId(o.spanId, 8, `${path}.spanId`),
    eventName: string(o.eventName, `${path}.eventName`),
  };
}

function resource(value: unknown, path: string): Resource {
  if (value === undefined || value === null) return { attributes: [] };
  return { attributes: attributes(object(value, path).attributes, `${path}.attributes`) };
}

function scope(value: unknown, path: string): Scope {
  if (value === undefined || value === null) return EMPTY_SCOPE;
  const o = object(value, path);
  return { name: string(o.name, `${path}.name`), version: string(o.version, `${path}.version`), attributes: attributes(o.attributes, `${path}.attributes`) };
}

function attributes(value: unknown, path: string): KeyValue[] {
  return list(value, path, keyValue);
}

function keyValue(value: unknown, path: string): KeyValue {
  const o = object(value, path);
  return { key: string(o.key, `${path}.key`), value: o.value === undefined || o.value === null ? { type: 'empty' } : anyValue(o.value, `${path}.value`) };
}

/** AnyValue is a oneof: exactly one of its members is expected; an object with none is the empty value. */
function anyValue(value: unknown, path: string): AnyValue {
  const o = object(value, path);
  if (o.stringValue !== undefined && o.stringValue !== null) return { type: 'string', value: string(o.stringValue, `${path}.stringValue`) };
  if (o.boolValue !== undefined && o.boolValue !== null) {
    if (typeof o.boolValue !== 'boolean') throw bad(`${path}.boolValue`, 'must be true or false');
    return { type: 'bool', value: o.boolValue };
  }
  if (o.intValue !== undefined && o.intValue !== null) return { type: 'int', value: int64(o.intValue, `${path}.intValue`) };
  if (o.doubleValue !== undefined && o.doubleValue !== null) return { type: 'double', value: double(o.doubleValue, `${path}.doubleValue`) };
  if (o.arrayValue !== undefined && o.arrayValue !== null) {
    return { type: 'array', value: list(object(o.arrayValue, `${path}.arrayValue`).values, `${path}.arrayValue.values`, anyValue) };
  }
  if (o.kvlistValue !== undefined && o.kvlistValue !== null) {
    return { type: 'kvlist', value: list(object(o.kvlistValue, `${path}.kvlistValue`).values, `${path}.kvlistValue.values`, keyValue) };
  }
  if (o.bytesValue !== undefined && o.bytesValue !== null) {
    const text = string(o.bytesValue, `${path}.bytesValue`);
    if (!/^[A-Za-z0-9+/\-_]*={0,2}$/.test(text)) throw bad(`${path}.bytesValue`, 'must be base64');
    return { type: 'bytes', value: new Uint8Array(Buffer.from(text, 'base64')) };
  }
  return { type: 'empty' };
}

function object(value: unknown, path: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(path, 'must be a JSON object');
  return value as Json;
}

function list<T>(value: unknown, path: string, item: (v: unknown, path: string) => T): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(path, 'must be an array');
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

function string(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw bad(path, 'must be a string');
  return value;
}

function hexId(value: unknown, bytes: 8 | 16, path: string): string {
  const text = string(value, path);
  if (text === '') return '';
  if (text.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(text)) throw bad(path, `must be ${bytes * 2} hex characters`);
  const lower = text.toLowerCase();
  return /^0+$/.test(lower) ? '' : lower;
}

const DECIMAL = /^-?\d+$/;

/** fixed64 nanosecond times: a decimal string or a number (a number past 2^53 has already lost digits). */
function uint64(value: unknown, path: string): bigint {
  const n = int64(value, path);
  if (n < 0n || n >= 1n << 64n) throw bad(path, 'must be an unsigned 64-bit integer');
  return n;
}

function int64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) return 0n;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && DECIMAL.test(value.trim())) {
    const n = BigInt(value.trim());
    if (n >= -(1n << 63n) && n < 1n << 64n) return n;
  }
  throw bad(path, 'must be a 64-bit integer (a number or a decimal string)');
}

function int32(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  throw bad(path, 'must be an integer (OTLP/JSON enums are integers)');
}

function double(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw bad(path, 'must be a number');
}

function bad(path: string, reason: string): OtlpDecodeError {
  return new OtlpDecodeError(`${path} ${reason}`);
}
