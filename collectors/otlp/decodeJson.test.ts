import { JsonLogsSerializer, JsonTraceSerializer, ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { decodeLogsJson, decodeTracesJson } from './decodeJson.js';
import { decodeLogsProtobuf, decodeTracesProtobuf } from './decodeProtobuf.js';
import { sdkLogRecords, sdkSpans } from '../../test/support/otlpFixtures.js';
import { OtlpDecodeError } from './otlpModel.js';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

function oneSpan(span: Record<string, unknown>): string {
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
}

describe('decodeTracesJson', () => {
  it('decodes what the SDK JSON serialiser sends to the same model as its protobuf', async () => {
    const spans = await sdkSpans();
    const fromJson = decodeTracesJson(text(JsonTraceSerializer.serializeRequest(spans)));
    const fromProtobuf = decodeTracesProtobuf(ProtobufTraceSerializer.serializeRequest(spans)!);
    expect(fromJson).toEqual(fromProtobuf);
  });

  it('accepts upper-case hex ids and stores them lower-case', () => {
    const request = decodeTracesJson(oneSpan({ traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', parentSpanId: 'EEE19B7EC3C1B173' }));
    expect(request.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
    });
  });

  it('accepts nanosecond times as decimal strings and as numbers, and 64-bit ints either way', () => {
    const request = decodeTracesJson(
      oneSpan({
        startTimeUnixNano: '1795774502120345678',
        endTimeUnixNano: 1795774503000000000,
        attributes: [
          { key: 'a', value: { intValue: '9007199254740993' } },
          { key: 'b', value: { intValue: 42 } },
          { key: 'c', value: { doubleValue: 'NaN' } },
          { key: 'd', value: { bytesValue: 'AQI=' } },
          { key: 'e', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } } },
        ],
      }),
    );
    const span = request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(span.startTimeUnixNano).toBe(1795774502120345678n);
    expect(span.endTimeUnixNano).toBe(BigInt(1795774503000000000));
    expect(span.attributes.map((a) => a.value)).toEqual([
      { type: 'int', value: 9007199254740993n },
      { type: 'int', value: 42n },
      { type: 'double', value: NaN },
      { type: 'bytes', value: new Uint8Array([1, 2]) },
      { type: 'kvlist', value: [{ key: 'k', value: { type: 'bool', value: true } }] },
    ]);
  });

  it('ignores unknown fields and treats missing ones as their defaults', () => {
    const body = JSON.stringify({
      futureField: { x: 1 },
      resourceSpans: [{ resource: { attributes: [], novel: true }, schemaUrl: 'https://x', scopeSpans: [{ spans: [{ name: 'op', somethingNew: [1, 2] }] }] }],
    });
    expect(decodeTracesJson(body).resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({
      name: 'op',
      traceId: '',
      kind: 0,
      startTimeUnixNano: 0n,
      status: { code: 0, message: '' },
      events: [],
    });
  });

  it('refuses invalid JSON, wrong shapes, bad ids and enum names, naming where', () => {
    expect(() => decodeTracesJson('{"resourceSpans": [')).toThrow(OtlpDecodeError);
    expect(() => decodeTracesJson('[]')).toThrow(/must be a JSON object/);
    expect(() => decodeTracesJson('{"resourceSpans": {}}')).toThrow(/resourceSpans must be an array/);
    expect(() => decodeTracesJson(oneSpan({ traceId: 'xyz' }))).toThrow(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId must be 32 hex characters/);
    expect(() => decodeTracesJson(oneSpan({ kind: 'SPAN_KIND_SERVER' }))).toThrow(/kind must be an integer/);
    expect(() => decodeTracesJson(oneSpan({ startTimeUnixNano: '12.5' }))).toThrow(/startTimeUnixNano/);
  });
});

describe('decodeLogsJson', () => {
  it('decodes what the SDK JSON serialiser sends to the same model as its protobuf', async () => {
    const records = await sdkLogRecords();
    const fromJson = decodeLogsJson(text(JsonLogsSerializer.serializeRequest(records)));
    expect(fromJson).toEqual(decodeLogsProtobuf(ProtobufLogsSerializer.serializeRequest(records)!));
    expect(fromJson.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.eventName).toBe('pos.sale.captured');
  });
});
