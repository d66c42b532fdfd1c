import { describe, expect, it } from 'vitest';
import { nanosToDateTime64, toOtelTraceRow } from './otelTraceRow.js';
import type { Span } from './otlpModel.js';

const span: Span = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  parentSpanId: 'eee19b7ec3c1b173',
  traceState: 'vendor=1',
  name: 'erp.post_credit_memo',
  kind: 2,
  startTimeUnixNano: 1795774502120345678n,
  endTimeUnixNano: 1795774502620345679n,
  attributes: [
    { key: 'retail.amount', value: { type: 'string', value: '49.90' } },
    { key: 'n', value: { type: 'int', value: 3n } },
    { key: 'd', value: { type: 'double', value: 1.5 } },
    { key: 'b', value: { type: 'bool', value: true } },
    { key: 'arr', value: { type: 'array', value: [{ type: 'string', value: 'x' }, { type: 'int', value: 2n }] } },
    { key: 'bytes', value: { type: 'bytes', value: new Uint8Array([1, 2]) } },
  ],
  events: [
    { timeUnixNano: 1795774502120345679n, name: 'exception', attributes: [{ key: 'exception.type', value: { type: 'string', value: 'GlLocked' } }] },
    { timeUnixNano: 1795774502120345680n, name: 'retry', attributes: [] },
  ],
  links: [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceState: 'k=v', attributes: [{ key: 'why', value: { type: 'string', value: 'batch' } }] }],
  status: { code: 2, message: 'GL account locked' },
};

describe('toOtelTraceRow', () => {
  it('fills every otel_traces column the way the collector exporter does', () => {
    const row = toOtelTraceRow(
      span,
      { attributes: [{ key: 'service.name', value: { type: 'string', value: 'middleware' } }] },
      { name: 'flowlens-test', version: '1.0.0', attributes: [] },
    );
    expect(row).toEqual({
      Timestamp: '1795774502.120345678',
      TraceId: span.traceId,
      SpanId: span.spanId,
      ParentSpanId: span.parentSpanId,
      TraceState: 'vendor=1',
      SpanName: 'erp.post_credit_memo',
      SpanKind: 'Server',
      ServiceName: 'middleware',
      ResourceAttributes: { 'service.name': 'middleware' },
      ScopeName: 'flowlens-test',
      ScopeVersion: '1.0.0',
      SpanAttributes: { 'retail.amount': '49.90', n: '3', d: '1.5', b: 'true', arr: '["x",2]', bytes: 'AQI=' },
      Duration: 500_000_001,
      StatusCode: 'Error',
      StatusMessage: 'GL account locked',
      'Events.Timestamp': ['1795774502.120345679', '1795774502.120345680'],
      'Events.Name': ['exception', 'retry'],
      'Events.Attributes': [{ 'exception.type': 'GlLocked' }, {}],
      'Links.TraceId': ['a'.repeat(32)],
      'Links.SpanId': ['b'.repeat(16)],
      'Links.TraceState': ['k=v'],
      'Links.Attributes': [{ why: 'batch' }],
    });
  });

  it('names kinds and status codes like the collector, and never stores a negative duration', () => {
    const row = toOtelTraceRow({ ...span, kind: 5, status: { code: 0, message: '' }, endTimeUnixNano: 0n }, { attributes: [] }, { name: '', version: '', attributes: [] });
    expect(row).toMatchObject({ SpanKind: 'Consumer', StatusCode: 'Unset', Duration: 0, ServiceName: '' });
    expect(toOtelTraceRow({ ...span, kind: 1, status: { code: 1, message: '' } }, { attributes: [] }, { name: '', version: '', attributes: [] })).toMatchObject({
      SpanKind: 'Internal',
      StatusCode: 'Ok',
    });
  });

  it('writes DateTime64(9) as exact epoch seconds with nine decimals', () => {
    expect(nanosToDateTime64(0n)).toBe('0.000000000');
    expect(nanosToDateTime64(1795774502000000007n)).toBe('1795774502.000000007');
  });
});
