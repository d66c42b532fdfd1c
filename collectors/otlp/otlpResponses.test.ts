import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { exportResponse, formatOf, statusResponse } from './otlpResponses.js';
import { ProtoReader } from './protobufWire.js';

describe('OTLP responses', () => {
  it('encodes partial success so the SDK reads it back', () => {
    const traces = exportResponse('protobuf', 'traces', { rejected: 3, errorMessage: 'three spans lacked retail.flow' });
    expect(ProtobufTraceSerializer.deserializeResponse(traces)).toEqual({ partialSuccess: { rejectedSpans: 3, errorMessage: 'three spans lacked retail.flow' } });
    const logs = exportResponse('protobuf', 'logs', { rejected: 0, errorMessage: 'warning only' });
    expect(ProtobufLogsSerializer.deserializeResponse(logs)).toMatchObject({ partialSuccess: { errorMessage: 'warning only' } });
  });

  it('leaves partial_success unset on full success', () => {
    expect(exportResponse('protobuf', 'traces').length).toBe(0);
    expect(JSON.parse(exportResponse('json', 'traces', { rejected: 0, errorMessage: '' }).toString())).toEqual({});
    expect(JSON.parse(exportResponse('json', 'logs', { rejected: 2, errorMessage: 'x' }).toString())).toEqual({ partialSuccess: { rejectedLogRecords: '2', errorMessage: 'x' } });
  });

  it('encodes google.rpc.Status in the request encoding', () => {
    expect(JSON.parse(statusResponse('json', 3, 'bad').toString())).toEqual({ code: 3, message: 'bad' });
    const r = new ProtoReader(statusResponse('protobuf', 3, 'bad'));
    const seen: Record<number, unknown> = {};
    r.fields((field) => {
      seen[field] = field === 1 ? r.varint() : r.string();
      return true;
    });
    expect(seen).toEqual({ 1: 3, 2: 'bad' });
  });

  it('recognises the two OTLP media types only', () => {
    expect(formatOf('application/x-protobuf')).toBe('protobuf');
    expect(formatOf('application/json; charset=utf-8')).toBe('json');
    expect(formatOf('text/plain')).toBeUndefined();
    expect(formatOf(undefined)).toBeUndefined();
  });
});
