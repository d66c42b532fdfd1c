import { describe, expect, it } from 'vitest';
import { MAX_KEYS_PER_EVENT, MAX_PAYLOAD_BYTES, type FieldIssue, type CanonicalEvent, validateEvent } from './canonicalEvent.js';

const OCCURRED_AT_MS = Date.UTC(2026, 10, 27, 10, 0, 0, 123);

/** The fewest fields an event may carry. */
function minimalEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: 'evt-0001',
    correlation_id: 'corr-0001',
    flow: 'order_to_cash',
    step: 'erp.order.created',
    system: 'erp',
    occurred_at: '2026-11-27T10:00:00.123Z',
    ...overrides,
  };
}

function accepted(record: unknown): CanonicalEvent {
  const result = validateEvent(record);
  if (!result.ok) throw new Error(`expected the event to be accepted, got ${JSON.stringify(result.issues)}`);
  return result.event;
}

function refused(record: unknown): FieldIssue[] {
  const result = validateEvent(record);
  if (result.ok) throw new Error(`expected the event to be refused, got ${JSON.stringify(result.event)}`);
  return result.issues;
}

function fieldsOf(issues: FieldIssue[]): string[] {
  return issues.map((i) => i.field);
}

describe('validateEvent: valid events', () => {
  it('accepts a full event and keeps every field', () => {
    const record = {
      event_id: 'evt-0002',
      correlation_id: 'corr-0002',
      flow: 'return_to_refund',
      step: 'psp.refund.settled',
      system: 'adyen',
      target_system: 'sap',
      channel: 'web',
      region: 'eu-west',
      location_id: 'store-17',
      sku: 'SKU-123',
      quantity: 2,
      amount: '19.99',
      currency: 'EUR',
      status: 'failed',
      error_code: 'PSP_TIMEOUT',
      error_class: 'technical',
      error_message: 'upstream timed out',
      occurred_at: '2026-11-27T10:00:00.123Z',
      observed_at: '2026-11-27T10:00:01.000Z',
      keys: { refund_id: 'RF-9', order_id: 'ORD-1' },
      payload: { psp_reference: 'abc' },
      replay_target: 'refund-queue',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      replay_of: 'evt-0001',
    };

    const event = accepted(record);

    expect(event).toEqual({
      ...record,
      occurred_at: OCCURRED_AT_MS,
      observed_at: Date.UTC(2026, 10, 27, 10, 0, 1),
      payload: '{"psp_reference":"abc"}',
    });
  });

  it('accepts a minimal event, defaulting status to ok and keys to none', () => {
    const event = accepted(minimalEvent());

    expect(event).toEqual({
      event_id: 'evt-0001',
      correlation_id: 'corr-0001',
      flow: 'order_to_cash',
      step: 'erp.order.created',
      system: 'erp',
      occurred_at: OCCURRED_AT_MS,
      status: 'ok',
      keys: {},
    });
  });

  it('trims surrounding spaces from ids and labels', () => {
    const event = accepted(minimalEvent({ event_id: '  evt-9 ', system: ' erp ' }));

    expect(event.event_id).toBe('evt-9');
    expect(event.system).toBe('erp');
  });
});

describe('validateEvent: times', () => {
  it.each([
    ['ISO 8601 in UTC', '2026-11-27T10:00:00.123Z'],
    ['ISO 8601 with a +hh:mm offset', '2026-11-27T12:00:00.123+02:00'],
    ['ISO 8601 with a -hhmm offset', '2026-11-27T05:00:00.123-0500'],
    ['epoch milliseconds', OCCURRED_AT_MS],
  ])('normalises %s to epoch milliseconds', (_label, occurredAt) => {
    expect(accepted(minimalEvent({ occurred_at: occurredAt })).occurred_at).toBe(OCCURRED_AT_MS);
  });

  it('accepts ISO times without seconds', () => {
    expect(accepted(minimalEvent({ occurred_at: '2026-11-27T10:00Z' })).occurred_at).toBe(Date.UTC(2026, 10, 27, 10, 0));
  });

  it('keeps epoch times to the millisecond', () => {
    expect(accepted(minimalEvent({ occurred_at: OCCURRED_AT_MS + 0.9 })).occurred_at).toBe(OCCURRED_AT_MS);
  });

  it.each([
    ['a time without a timezone', '2026-11-27T10:00:00.123'],
    ['a date alone', '2026-11-27'],
    ['a year before 2000', '1990-01-01T00:00:00Z'],
    ['epoch milliseconds before 2000', Date.UTC(1999, 11, 31, 23, 59, 59, 999)],
    ['epoch seconds mistaken for milliseconds', 1_795_773_600],
    ['a year after 2100', '2101-01-01T00:00:00Z'],
    ['garbage', 'yesterday'],
    ['an impossible hour', '2026-11-27T25:00:00Z'],
  ])('refuses %s, naming occurred_at', (_label, occurredAt) => {
    const issues = refused(minimalEvent({ occurred_at: occurredAt }));

    expect(issues).toEqual([{ field: 'occurred_at', message: expect.stringContaining('occurred_at must be an ISO 8601 time with a timezone') }]);
  });

  it('refuses a time of the wrong type', () => {
    expect(refused(minimalEvent({ occurred_at: true }))).toEqual([
      { field: 'occurred_at', message: 'occurred_at must be an ISO 8601 string or epoch milliseconds' },
    ]);
  });

  it('checks observed_at the same way and names it', () => {
    expect(accepted(minimalEvent({ observed_at: '2026-11-27T10:00:00.123Z' })).observed_at).toBe(OCCURRED_AT_MS);
    expect(fieldsOf(refused(minimalEvent({ observed_at: '2026-11-27 10:00:00' })))).toEqual(['observed_at']);
  });
});

describe('validateEvent: required and unknown fields', () => {
  it.each(['event_id', 'correlation_id', 'flow', 'step', 'system', 'occurred_at'])('says %s is required when it is missing', (field) => {
    const record = minimalEvent();
    delete record[field];

    expect(refused(record)).toEqual([{ field, message: 'is required' }]);
  });

  it('lists every missing field at once', () => {
    expect(fieldsOf(refused({}))).toEqual(['event_id', 'correlation_id', 'flow', 'step', 'system', 'occurred_at']);
  });

  it('refuses an empty id, naming it', () => {
    expect(refused(minimalEvent({ event_id: '   ' }))).toEqual([{ field: 'event_id', message: 'event_id must not be empty' }]);
  });

  it('refuses an id of the wrong type', () => {
    expect(refused(minimalEvent({ correlation_id: 5 }))).toEqual([{ field: 'correlation_id', message: 'correlation_id must be a string' }]);
  });

  it('refuses an unknown top-level field, naming it', () => {
    expect(refused(minimalEvent({ orderId: 'ORD-1' }))).toEqual([{ field: 'orderId', message: 'unknown field (not in canonical event v1)' }]);
  });

  it('names every unknown field in one issue', () => {
    expect(refused(minimalEvent({ extra: 1, other: 2 }))).toEqual([{ field: 'extra,other', message: 'unknown fields (not in canonical event v1)' }]);
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['an array', []],
    ['a string', 'evt-1'],
  ])('refuses %s as a record, with field (record)', (_label, record) => {
    expect(refused(record)).toEqual([{ field: '(record)', message: 'each event must be a JSON object' }]);
  });
});

describe('validateEvent: amount and currency', () => {
  it.each([
    [19.99, '19.99'],
    [12, '12'],
    [-0.5, '-0.5'],
    ['  100.1234 ', '100.1234'],
    ['99999999999999.9999', '99999999999999.9999'],
  ])('normalises amount %j to the decimal string %j', (amount, expected) => {
    expect(accepted(minimalEvent({ amount, currency: 'EUR' })).amount).toBe(expected);
  });

  it.each([
    ['too many fraction digits', '1.23456'],
    ['too many fraction digits as a number', 1.23456],
    ['too many integer digits', '123456789012345'],
    ['exponent notation', 1e21],
    ['words', 'ten euros'],
    ['a thousands separator', '1,000.00'],
  ])('refuses an amount with %s', (_label, amount) => {
    expect(refused(minimalEvent({ amount, currency: 'EUR' }))).toEqual([
      { field: 'amount', message: 'amount must be a decimal with at most 14 integer and 4 fraction digits' },
    ]);
  });

  it('asks for a currency when an amount is given', () => {
    expect(fieldsOf(refused(minimalEvent({ amount: '10.00' })))).toEqual(['currency']);
  });

  it.each(['eur', 'EURO', 'E1R'])('refuses currency %j', (currency) => {
    expect(refused(minimalEvent({ amount: '10.00', currency }))).toEqual([
      { field: 'currency', message: 'currency must be an ISO 4217 code, e.g. EUR' },
    ]);
  });
});

describe('validateEvent: trace context', () => {
  it('lower-cases an upper-case trace and span id', () => {
    const event = accepted(minimalEvent({ trace_id: '0AF7651916CD43DD8448EB211C80319C', span_id: 'B7AD6B7169203331' }));

    expect(event.trace_id).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(event.span_id).toBe('b7ad6b7169203331');
  });

  it.each([
    ['too short', '0af7651916cd43dd8448eb211c80319'],
    ['too long', '0af7651916cd43dd8448eb211c80319c0'],
    ['not hex', 'g'.repeat(32)],
  ])('refuses a trace_id that is %s', (_label, traceId) => {
    expect(refused(minimalEvent({ trace_id: traceId }))).toEqual([{ field: 'trace_id', message: 'trace_id must be 32 hex characters' }]);
  });

  it('refuses a span_id of the wrong length', () => {
    expect(refused(minimalEvent({ trace_id: 'a'.repeat(32), span_id: 'b'.repeat(15) }))).toEqual([
      { field: 'span_id', message: 'span_id must be 16 hex characters' },
    ]);
  });

  it('asks for a trace_id when a span_id is given', () => {
    expect(fieldsOf(refused(minimalEvent({ span_id: 'b7ad6b7169203331' })))).toEqual(['trace_id']);
  });
});

describe('validateEvent: flow, step and status', () => {
  it.each(['Order_To_Cash', 'order-to-cash', '1flow', 'order to cash', ''])('refuses flow %j', (flow) => {
    expect(refused(minimalEvent({ flow }))).toEqual([{ field: 'flow', message: 'flow must be lower_snake_case, e.g. order_to_cash' }]);
  });

  it('accepts a flow outside the known list when it is well-formed', () => {
    expect(accepted(minimalEvent({ flow: 'click_and_collect' })).flow).toBe('click_and_collect');
  });

  it.each(['ERP.order.created', 'erp..posted', 'erp.order.', '.erp', 'erp/order'])('refuses step %j', (step) => {
    expect(refused(minimalEvent({ step }))).toEqual([
      { field: 'step', message: 'step must be a dotted lower-case name, e.g. erp.inventory.posted' },
    ]);
  });

  it('refuses an unknown status and error class, listing the allowed values', () => {
    expect(refused(minimalEvent({ status: 'weird', error_class: 'other' }))).toEqual([
      { field: 'status', message: 'status must be one of ok, failed, retrying, dead_lettered, skipped' },
      { field: 'error_class', message: 'error_class must be one of business, technical' },
    ]);
  });

  it('refuses a quantity sent as text', () => {
    expect(refused(minimalEvent({ quantity: '3' }))).toEqual([{ field: 'quantity', message: 'quantity must be a number' }]);
  });
});

describe('validateEvent: keys', () => {
  it('keeps lower_snake_case keys and trims their values', () => {
    expect(accepted(minimalEvent({ keys: { order_id: ' ORD-1 ', loyalty_card2: 'L-7' } })).keys).toEqual({ order_id: 'ORD-1', loyalty_card2: 'L-7' });
  });

  it.each(['Order-Id', 'orderId', '1st_key', 'order id'])('refuses the key name %j, naming it in the path', (name) => {
    expect(fieldsOf(refused(minimalEvent({ keys: { [name]: 'ORD-1' } })))).toEqual([`keys.${name}`]);
  });

  it('refuses an empty key value', () => {
    expect(refused(minimalEvent({ keys: { order_id: '  ' } }))).toEqual([{ field: 'keys.order_id', message: 'key values must not be empty' }]);
  });

  it('refuses a key value that is not a string', () => {
    expect(refused(minimalEvent({ keys: { order_id: 5 } }))).toEqual([{ field: 'keys.order_id', message: 'key values must be strings' }]);
  });

  it('refuses a key value longer than 256 characters', () => {
    expect(refused(minimalEvent({ keys: { order_id: 'x'.repeat(257) } }))).toEqual([
      { field: 'keys.order_id', message: 'key values must be at most 256 characters' },
    ]);
  });

  it(`accepts ${MAX_KEYS_PER_EVENT} keys and refuses one more`, () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key_${i}`, `v${i}`]));

    expect(Object.keys(accepted(minimalEvent({ keys: keys(MAX_KEYS_PER_EVENT) })).keys)).toHaveLength(MAX_KEYS_PER_EVENT);
    expect(refused(minimalEvent({ keys: keys(MAX_KEYS_PER_EVENT + 1) }))).toEqual([
      { field: 'keys', message: `keys must hold at most ${MAX_KEYS_PER_EVENT} entries` },
    ]);
  });
});

describe('validateEvent: payload', () => {
  it('serialises an object payload to a JSON string', () => {
    expect(accepted(minimalEvent({ payload: { lines: [{ sku: 'A', qty: 1 }] } })).payload).toBe('{"lines":[{"sku":"A","qty":1}]}');
  });

  it('keeps a string payload as it is', () => {
    expect(accepted(minimalEvent({ payload: '<order id="1"/>' })).payload).toBe('<order id="1"/>');
  });

  it('stores a null payload as empty text', () => {
    expect(accepted(minimalEvent({ payload: null })).payload).toBe('');
  });

  it(`accepts a payload of exactly ${MAX_PAYLOAD_BYTES} bytes`, () => {
    expect(accepted(minimalEvent({ payload: 'x'.repeat(MAX_PAYLOAD_BYTES) })).payload).toHaveLength(MAX_PAYLOAD_BYTES);
  });

  it('refuses a payload over 64 KiB once serialised, counting bytes rather than characters', () => {
    // 33,000 two-byte characters: under the limit in characters, over it in UTF-8 bytes.
    const issues = refused(minimalEvent({ payload: { note: 'é'.repeat(33_000) } }));

    expect(issues).toEqual([{ field: 'payload', message: `payload must be at most ${MAX_PAYLOAD_BYTES} bytes once serialised` }]);
  });
});

describe('validateEvent: reasons a sender can act on', () => {
  it('names a bad key and says how key names are written', () => {
    expect(refused(minimalEvent({ keys: { 'Order-Id': 'x' } }))).toContainEqual({ field: 'keys.Order-Id', message: expect.stringContaining('lower_snake_case') });
  });

  it('says a too-long flow or step is too long', () => {
    expect(refused(minimalEvent({ flow: 'a'.repeat(65) }))).toContainEqual({ field: 'flow', message: 'flow must be at most 64 characters' });
    expect(refused(minimalEvent({ step: `a.${'b'.repeat(130)}` }))).toContainEqual({ field: 'step', message: 'step must be at most 128 characters' });
  });

  it('refuses a day the month does not have instead of rolling it over', () => {
    expect(fieldsOf(refused(minimalEvent({ occurred_at: '2026-02-30T10:00:00Z' })))).toEqual(['occurred_at']);
    expect(accepted(minimalEvent({ occurred_at: '2028-02-29T10:00:00Z' })).occurred_at).toBe(Date.UTC(2028, 1, 29, 10));
  });

  it('explains why an optional field became necessary', () => {
    expect(refused(minimalEvent({ amount: '10.00' }))).toContainEqual({ field: 'currency', message: 'currency is required when amount is given' });
    expect(refused(minimalEvent({ span_id: 'a'.repeat(16) }))).toContainEqual({ field: 'trace_id', message: 'trace_id is required when span_id is given' });
  });
});
