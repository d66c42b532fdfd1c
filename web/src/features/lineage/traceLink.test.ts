import { describe, expect, it } from 'vitest';
import { traceHref } from './traceLink';

describe('traceHref', () => {
  it('fills the trace and span ids into the viewer link', () => {
    expect(traceHref('https://jaeger.example.com/trace/{trace_id}?uiFind={span_id}', '4c5e35e4aa', '9795d489')).toBe('https://jaeger.example.com/trace/4c5e35e4aa?uiFind=9795d489');
    expect(traceHref('https://tempo.example.com/explore?traceId={trace_id}', 'ab/cd', null)).toBe('https://tempo.example.com/explore?traceId=ab%2Fcd');
  });

  it('gives no link without a template', () => {
    expect(traceHref(null, '4c5e35e4aa', null)).toBeNull();
    expect(traceHref('', '4c5e35e4aa', null)).toBeNull();
  });
});
