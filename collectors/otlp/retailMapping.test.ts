import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import type { KeyValue, LogRecord, Span } from './otlpModel.js';
import { resourceDefaults, retailEventFromLog, retailEventFromSpan, retailRecordsFromTraces } from './retailMapping.js';

const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
const T0 = 1795774502120345678n; // 2026-11-27T10:15:02.120Z

function span(attributes: KeyValue[], overrides: Partial<Span> = {}): Span {
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    traceState: '',
    name: 'erp.post_credit_memo',
    kind: 2,
    startTimeUnixNano: T0,
    endTimeUnixNano: T0 + 2_000_000_000n,
    attributes,
    events: [],
    links: [],
    status: { code: 0, message: '' },
    ...overrides,
  };
}

const retail = [
  str('retail.correlation_id', 'rtr-re_1'),
  str('retail.flow', 'return_to_refund'),
  str('retail.step', 'erp.credit_memo.posted'),
  str('retail.amount', '49.90'),
  str('retail.currency', 'EUR'),
  str('retail.key.refund_id', 're_1'),
  { key: 'retail.key.order_number', value: { type: 'int', value: 1001n } },
  { key: 'retail.quantity', value: { type: 'int', value: -2n } },
] satisfies KeyValue[];
const defaults = resourceDefaults({ attributes: [str('service.name', 'middleware'), str('retail.region', 'eu')] });

describe('retailEventFromSpan', () => {
  it('maps retail.* attributes to a valid canonical event linked to its span, with resource defaults', () => {
    const event = retailEventFromSpan(span(retail), defaults)!;
    expect(event).toEqual({
      event_id: 'span-5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174',
      correlation_id: 'rtr-re_1',
      flow: 'return_to_refund',
      step: 'erp.credit_memo.posted',
      system: 'middleware',
      region: 'eu',
      amount: '49.90',
      currency: 'EUR',
      quantity: -2,
      keys: { refund_id: 're_1', order_number: '1001' },
      occurred_at: 1795774502120,
      trace_id: '5b8efff798038103d269b633813fc60c',
      span_id: 'eee19b7ec3c1b174',
    });
    expect(validateEvent(event).ok).toBe(true);
  });

  it('ignores spans without retail.* attributes (resource ones alone do not make a business step)', () => {
    expect(retailEventFromSpan(span([str('http.method', 'GET')]), defaults)).toBeUndefined();
  });

  it('turns an ERROR span into a failed technical step with the status message and exception type', () => {
    const failed = span(retail, {
      status: { code: 2, message: 'GL account locked' },
      events: [{ timeUnixNano: T0, name: 'exception', attributes: [str('exception.type', 'GlLockedError'), str('exception.message', 'locked')] }],
    });
    expect(retailEventFromSpan(failed, defaults)).toMatchObject({ status: 'failed', error_class: 'technical', error_code: 'GlLockedError', error_message: 'GL account locked' });
  });

  it('lets explicit retail attributes win over what the span says', () => {
    const explicit = span(
      [...retail, str('retail.status', 'dead_lettered'), str('retail.error_class', 'business'), str('retail.event_id', 'my-id'), str('retail.system', 'erp-adapter'), str('retail.occurred_at', '2026-11-27T10:00:00Z')],
      { status: { code: 2, message: 'boom' } },
    );
    expect(retailEventFromSpan(explicit, defaults)).toMatchObject({
      event_id: 'my-id',
      status: 'dead_lettered',
      error_class: 'business',
      error_message: 'boom',
      system: 'erp-adapter',
      occurred_at: '2026-11-27T10:00:00Z',
    });
  });

  it('leaves missing required fields for validation to name', () => {
    const event = retailEventFromSpan(span([str('retail.flow', 'order_to_cash')]), defaults)!;
    const result = validateEvent(event);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((i) => i.field).sort()).toEqual(['correlation_id', 'step']);
  });

  it('labels each candidate for the partial-success message', () => {
    const records = retailRecordsFromTraces({
      resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: '', version: '', attributes: [] }, spans: [span(retail), span([])] }] }],
    });
    expect(records.map((r) => r.label)).toEqual(['span "erp.post_credit_memo" (trace 5b8efff798038103d269b633813fc60c, span eee19b7ec3c1b174)']);
  });
});

describe('retailEventFromLog', () => {
  const log = (overrides: Partial<LogRecord> = {}): LogRecord => ({
    timeUnixNano: T0,
    observedTimeUnixNano: T0 + 5n,
    severityNumber: 9,
    severityText: '',
    body: { type: 'string', value: 'sale captured' },
    attributes: [str('retail.correlation_id', 'sale-1'), str('retail.flow', 'inventory_sync'), str('retail.sku', 'SKU-1')],
    traceId: '',
    spanId: '',
    eventName: 'pos.sale.captured',
    ...overrides,
  });

  it('maps an OpenTelemetry event: its name is the step, its time the occurred_at', () => {
    const event = retailEventFromLog(log(), defaults)!;
    expect(event).toMatchObject({ step: 'pos.sale.captured', occurred_at: 1795774502120, system: 'middleware', sku: 'SKU-1' });
    expect(event.trace_id).toBeUndefined();
    expect(validateEvent(event).ok).toBe(true);
  });

  it('derives the same event_id for the same record and a different one for a different record', () => {
    const a = retailEventFromLog(log(), defaults)!;
    expect(retailEventFromLog(log(), defaults)!.event_id).toBe(a.event_id);
    expect(retailEventFromLog(log({ timeUnixNano: T0 + 1n }), defaults)!.event_id).not.toBe(a.event_id);
    expect(a.event_id).toMatch(/^log-[0-9a-f]{32}$/);
  });

  it('links to the trace context and falls back to the observed time', () => {
    const event = retailEventFromLog(log({ timeUnixNano: 0n, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }), defaults)!;
    expect(event).toMatchObject({ trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16), occurred_at: 1795774502120 });
  });
});
