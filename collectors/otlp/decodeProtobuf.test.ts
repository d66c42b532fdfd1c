import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeLogsProtobuf, decodeTracesProtobuf } from './decodeProtobuf.js';
import { FIXTURE_START, sdkLogRecords, sdkSpans } from '../../test/support/otlpFixtures.js';
import { OtlpDecodeError, attributeMap } from './otlpModel.js';
import { ProtoWriter } from './protobufWire.js';

const startNanos = BigInt(FIXTURE_START[0]) * 1_000_000_000n + BigInt(FIXTURE_START[1]);

describe('decodeTracesProtobuf', () => {
  it('reads what the OpenTelemetry SDK serialises: resource, scope, ids, kind, times, attributes, events, status', async () => {
    const spans = await sdkSpans();
    const request = decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);

    const [rs] = request.resourceSpans;
    expect(attributeMap(rs!.resource.attributes).get('service.name')).toEqual({ type: 'string', value: 'middleware' });
    const [ss] = rs!.scopeSpans;
    expect(ss!.scope).toMatchObject({ name: 'flowlens-test', version: '1.0.0' });
    const parent = ss!.spans.find((s) => s.name === 'erp.post_credit_memo')!;
    const child = ss!.spans.find((s) => s.name === 'http.call')!;
    const sdkParent = spans.find((s) => s.name === 'erp.post_credit_memo')!;
    expect(parent.traceId).toBe(sdkParent.spanContext().traceId);
    expect(parent.spanId).toBe(sdkParent.spanContext().spanId);
    expect(parent.parentSpanId).toBe('');
    expect(child.parentSpanId).toBe(parent.spanId);
    expect(parent.kind).toBe(2);
    expect(child.kind).toBe(3);
    expect(parent.startTimeUnixNano).toBe(startNanos);
    expect(parent.endTimeUnixNano).toBe(startNanos + 2_000_000_000n);
    expect(parent.status).toEqual({ code: 2, message: 'GL account locked' });
    expect(parent.events).toEqual([{ timeUnixNano: startNanos + 1000n, name: 'posted', attributes: [{ key: 'erp.document', value: { type: 'string', value: 'CM-1' } }] }]);
    const attrs = attributeMap(child.attributes);
    expect(attrs.get('http.status_code')).toEqual({ type: 'int', value: 503n });
    expect(attrs.get('ratio')).toEqual({ type: 'double', value: 0.25 });
    expect(attrs.get('ok')).toEqual({ type: 'bool', value: false });
    expect(attrs.get('tags')).toEqual({ type: 'array', value: [{ type: 'string', value: 'a' }, { type: 'string', value: 'b' }] });
  });

  it('skips fields it does not know, at any depth', () => {
    const span = new ProtoWriter()
      .bytesField(1, new Uint8Array(16).fill(0xab))
      .bytesField(2, new Uint8Array(8).fill(0xcd))
      .stringField(5, 'op')
      .varintField(99, 7)
      .stringField(100, 'future field');
    const scopeSpans = new ProtoWriter().messageField(2, span).varintField(42, 1);
    const body = new ProtoWriter().messageField(1, new ProtoWriter().messageField(2, scopeSpans)).stringField(77, 'x').finish();

    const request = decodeTracesProtobuf(body);

    expect(request.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), name: 'op' });
  });

  it('reads a negative int attribute (ten-byte varint) and an empty request', () => {
    const kv = new ProtoWriter().stringField(1, 'n').messageField(2, new ProtoWriter().varintField(3, -5n));
    const body = new ProtoWriter().messageField(1, new ProtoWriter().messageField(2, new ProtoWriter().messageField(2, new ProtoWriter().messageField(9, kv)))).finish();
    expect(decodeTracesProtobuf(body).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes).toEqual([{ key: 'n', value: { type: 'int', value: -5n } }]);
    expect(decodeTracesProtobuf(new Uint8Array())).toEqual({ resourceSpans: [] });
  });

  it('refuses malformed bodies with a reason', async () => {
    const valid = ProtobufTraceSerializer.serializeRequest(await sdkSpans())!;
    expect(() => decodeTracesProtobuf(valid.subarray(0, valid.length - 3))).toThrow(OtlpDecodeError);
    expect(() => decodeTracesProtobuf(Buffer.from('{"resourceSpans":[]}'))).toThrow(/malformed protobuf/);
    const shortTraceId = new ProtoWriter().messageField(1, new ProtoWriter().messageField(2, new ProtoWriter().messageField(2, new ProtoWriter().bytesField(1, new Uint8Array(5))))).finish();
    expect(() => decodeTracesProtobuf(shortTraceId)).toThrow(/16-byte id/);
    const wrongWireType = new ProtoWriter().varintField(1, 3).finish();
    expect(() => decodeTracesProtobuf(wrongWireType)).toThrow(/wire type/);
  });
});

describe('decodeLogsProtobuf', () => {
  it('reads log records with event name, severity, body, attributes and times', async () => {
    const records = await sdkLogRecords();
    const request = decodeLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!);

    const logs = request.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatchObject({ eventName: 'pos.sale.captured', severityNumber: 9, timeUnixNano: startNanos, traceId: '', spanId: '' });
    expect(logs[0]!.body).toEqual({ type: 'kvlist', value: [{ key: 'till', value: { type: 'int', value: 7n } }] });
    expect(logs[0]!.observedTimeUnixNano).toBeGreaterThan(0n);
    expect(attributeMap(logs[0]!.attributes).get('retail.quantity')).toEqual({ type: 'int', value: -2n });
    expect(logs[1]).toMatchObject({ eventName: '', severityNumber: 13, body: { type: 'string', value: 'plain log line' } });
  });
});
