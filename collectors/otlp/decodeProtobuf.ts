import {
  EMPTY_SCOPE,
  type AnyValue,
  type KeyValue,
  type LogRecord,
  type LogsRequest,
  type Resource,
  type ResourceLogs,
  type ResourceSpans,
  type Scope,
  type ScopeLogs,
  type ScopeSpans,
  type Span,
  type SpanEvent,
  type SpanLink,
  type TracesRequest,
} from './otlpModel.js';
import { ProtoReader, WIRE } from './protobufWire.js';

/**
 * `ExportTraceServiceRequest` and `ExportLogsServiceRequest` from binary protobuf. Field numbers are those of
 * opentelemetry-proto v1 (collector/{trace,logs}/v1, trace/v1, logs/v1, common/v1, resource/v1); fields not
 * read here (dropped counts, flags, schema urls, …) are skipped. Throws OtlpDecodeError.
 */

export function decodeTracesProtobuf(body: Uint8Array): TracesRequest {
  const request: TracesRequest = { resourceSpans: [] };
  const r = new ProtoReader(body);
  r.fields((field, wire) => {
    if (field !== 1) return false;
    r.expect(field, wire, WIRE.len);
    request.resourceSpans.push(resourceSpans(r.message()));
    return true;
  });
  return request;
}

export function decodeLogsProtobuf(body: Uint8Array): LogsRequest {
  const request: LogsRequest = { resourceLogs: [] };
  const r = new ProtoReader(body);
  r.fields((field, wire) => {
    if (field !== 1) return false;
    r.expect(field, wire, WIRE.len);
    request.resourceLogs.push(resourceLogs(r.message()));
    return true;
  });
  return request;
}

function resourceSpans(r: ProtoReader): ResourceSpans {
  const out: ResourceSpans = { resource: { attributes: [] }, scopeSpans: [] };
  r.fields((field, wire) => {
    if (field === 1) out.resource = resource(lenField(r, field, wire));
    else if (field === 2) out.scopeSpans.push(scopeSpans(lenField(r, field, wire)));
    else return false;
    return true;
  });
  return out;
}

function scopeSpans(r: ProtoReader): ScopeSpans {
  const out: ScopeSpans = { scope: EMPTY_SCOPE, spans: [] };
  r.fields((field, wire) => {
    if (field === 1) out.scope = scope(lenField(r, field, wire));
    else if (field === 2) out.spans.push(span(lenField(r, field, wire)));
    else return false;
    return true;
  });
  return out;
}

function resourceLogs(r: ProtoReader): ResourceLogs {
  const out: ResourceLogs = { resource: { attributes: [] }, scopeLogs: [] };
  r.fields((field, wire) => {
    if (field === 1) out.resource = resource(lenField(r, field, wire));
    else if (field === 2) out.scopeLogs.push(scopeLogs(lenField(r, field, wire)));
    else return false;
    return true;
  });
  return out;
}

function scopeLogs(r: ProtoReader): ScopeLogs {
  const out: ScopeLogs = { scope: EMPTY_SCOPE, logRecords: [] };
  r.fields((field, wire) => {
    if (field === 1) out.scope = scope(lenField(r, field, wire));
    else if (field === 2) out.logRecords.push(logRecord(lenField(r, field, wire)));
    else return false;
    return true;
  });
  return out;
}

function span(r: ProtoReader): Span {
  const out: Span = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    events: [],
    links: [],
    status: { code: 0, message: '' },
  };
  r.fields((field, wire) => {
    switch (field) {
      case 1:
        out.traceId = id(r, field, wire, 16);
        return true;
      case 2:
        out.spanId = id(r, field, wire, 8);
        return true;
      case 3:
        r.expect(field, wire, WIRE.len);
        out.traceState = r.string();
        return true;
      case 4:
        out.parentSpanId = id(r, field, wire, 8);
        return true;
      case 5:
        r.expect(field, wire, WIRE.len);
        out.name = r.string();
        return true;
      case 6:
        r.expect(field, wire, WIRE.varint);
        out.kind = r.varint();
        return true;
      case 7:
        r.expect(field, wire, WIRE.fixed64);
        out.startTimeUnixNano = r.fixed64();
        return true;
      case 8:
        r.expect(field, wire, WIRE.fixed64);
        out.endTimeUnixNano = r.fixed64();
        return true;
      case 9:
        out.attributes.push(keyValue(lenField(r, field, wire)));
        return true;
      case 11:
        out.events.push(spanEvent(lenField(r, field, wire)));
        return true;
      case 13:
        out.links.push(spanLink(lenField(r, field, wire)));
        return true;
      case 15:
        out.status = status(lenField(r, field, wire));
        return true;
      default:
        return false;
    }
  });
  return out;
}

function spanEvent(r: ProtoReader): SpanEvent {
  const out: SpanEvent = { timeUnixNano: 0n, name: '', attributes: [] };
  r.fields((field, wire) => {
    if (field === 1) {
      r.expect(field, wire, WIRE.fixed64);
      out.timeUnixNano = r.fixed64();
    } else if (field === 2) {
      r.expect(field, wire, WIRE.len);
      out.name = r.string();
    } else if (field === 3) out.attributes.push(keyValue(lenField(r, field, wire)));
    else return false;
    return true;
  });
  return out;
}

function spanLink(r: ProtoReader): SpanLink {
  const out: SpanLink = { traceId: '', spanId: '', traceState: '', attributes: [] };
  r.fields((field, wire) => {
    if (field === 1) out.traceId = id(r, field, wire, 16);
    else if (field === 2) out.spanId = id(r, field, wire, 8);
    else if (field === 3) {
      r.expect(field, wire, WIRE.len);
      out.traceState = r.string();
    } else if (field === 4) out.attributes.push(keyValue(lenField(r, field, wire)));
    else return false;
    return true;
  });
  return out;
}

function status(r: ProtoReader): Span['status'] {
  const out = { code: 0, message: '' };
  r.fields((field, wire) => {
    if (field === 2) {
      r.expect(field, wire, WIRE.len);
      out.message = r.string();
    } else if (field === 3) {
      r.expect(field, wire, WIRE.varint);
      out.code = r.varint();
    } else return false;
    return true;
  });
  return out;
}

function logRecord(r: ProtoReader): LogRecord {
  const out: LogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: { type: 'empty' },
    attributes: [],
    traceId: '',
    spanId: '',
    eventName: '',
  };
  r.fields((field, wire) => {
    switch (field) {
      case 1:
        r.expect(field, wire, WIRE.fixed64);
        out.timeUnixNano = r.fixed64();
        return true;
      case 11:
        r.expect(field, wire, WIRE.fixed64);
        out.observedTimeUnixNano = r.fixed64();
        return true;
      case 2:
        r.expect(field, wire, WIRE.varint);
        out.severityNumber = r.varint();
        return true;
      case 3:
        r.expect(field, wire, WIRE.len);
        out.severityText = r.string();
        return true;
      case 5:
        out.body = anyValue(lenField(r, field, wire));
        return true;
      case 6:
        out.attributes.push(keyValue(lenField(r, field, wire)));
        return true;
      case 9:
        out.traceId = id(r, field, wire, 16);
        return true;
      case 10:
        out.spanId = id(r, field, wire, 8);
        return true;
      case 12:
        r.expect(field, wire, WIRE.len);
        out.eventName = r.string();
        return true;
      default:
        return false;
    }
  });
  return out;
}

function resource(r: ProtoReader): Resource {
  const out: Resource = { attributes: [] };
  r.fields((field, wire) => {
    if (field !== 1) return false;
    out.attributes.push(keyValue(lenField(r, field, wire)));
    return true;
  });
  return out;
}

function scope(r: ProtoReader): Scope {
  const out: Scope = { name: '', version: '', attributes: [] };
  r.fields((field, wire) => {
    if (field === 1) {
      r.expect(field, wire, WIRE.len);
      out.name = r.string();
    } else if (field === 2) {
      r.expect(field, wire, WIRE.len);
      out.version = r.string();
    } else if (field === 3) out.attributes.push(keyValue(lenField(r, field, wire)));
    else return false;
    return true;
  });
  return out;
}

function keyValue(r: ProtoReader): KeyValue {
  const out: KeyValue = { key: '', value: { type: 'empty' } };
  r.fields((field, wire) => {
    if (field === 1) {
      r.expect(field, wire, WIRE.len);
      out.key = r.string();
    } else if (field === 2) out.value = anyValue(lenField(r, field, wire));
    else return false;
    return true;
  });
  return out;
}

/** AnyValue is a oneof: the last member present wins, as in any protobuf parser. */
function anyValue(r: ProtoReader): AnyValue {
  let out: AnyValue = { type: 'empty' };
  r.fields((field, wire) => {
    switch (field) {
      case 1:
        r.expect(field, wire, WIRE.len);
        out = { type: 'string', value: r.string() };
        return true;
      case 2:
        r.expect(field, wire, WIRE.varint);
        out = { type: 'bool', value: r.varint() !== 0 };
        return true;
      case 3:
        r.expect(field, wire, WIRE.varint);
        out = { type: 'int', value: r.int64() };
        return true;
      case 4:
        r.expect(field, wire, WIRE.fixed64);
        out = { type: 'double', value: r.double() };
        return true;
      case 5:
        out = { type: 'array', value: repeated(lenField(r, field, wire), anyValue) };
        return true;
      case 6:
        out = { type: 'kvlist', value: repeated(lenField(r, field, wire), keyValue) };
        return true;
      case 7:
        r.expect(field, wire, WIRE.len);
        out = { type: 'bytes', value: r.bytes().slice() };
        return true;
      default:
        return false;
    }
  });
  return out;
}

/** ArrayValue and KeyValueList: `repeated <T> values = 1`. */
function repeated<T>(r: ProtoReader, read: (r: ProtoReader) => T): T[] {
  const out: T[] = [];
  r.fields((field, wire) => {
    if (field !== 1) return false;
    out.push(read(lenField(r, field, wire)));
    return true;
  });
  return out;
}

function lenField(r: ProtoReader, field: number, wire: number): ProtoReader {
  r.expect(field, wire, WIRE.len);
  return r.message();
}

function id(r: ProtoReader, field: number, wire: number, size: 8 | 16): string {
  r.expect(field, wire, WIRE.len);
  return r.hexId(field, size);
}
