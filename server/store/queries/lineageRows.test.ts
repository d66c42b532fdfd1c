import { describe, expect, it } from 'vitest';
import type { KeyHit } from '../../domain/lineage.js';
import type { EventRow } from '../eventRows.js';
import { byteOrder, eachEventOnce, keyHits, spansOf } from './lineageRows.js';

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const text = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

function hit(overrides: Partial<KeyHit> = {}): KeyHit {
  return { keyValue: 'ORD-1', keyName: 'order_id', correlationId: 'corr-1', flow: 'order_to_cash', firstAt: T0, lastAt: T0, ...overrides };
}

function row(overrides: Partial<EventRow> = {}): EventRow {
  return {
    event_id: 'e1',
    correlation_id: 'corr-1',
    flow: 'order_to_cash',
    step: 'shop.order.created',
    system: 'shopify',
    target_system: '',
    channel: '',
    region: '',
    location_id: '',
    sku: '',
    quantity: null,
    amount: null,
    currency: '',
    status: 'ok',
    error_code: '',
    error_class: '',
    error_message: '',
    occurred_at: text(T0),
    observed_at: text(T0 + 100),
    keys: {},
    payload: '',
    replay_target: '',
    trace_id: '',
    span_id: '',
    replay_of: '',
    ...overrides,
  };
}

describe('byteOrder', () => {
  it('orders as UTF-8 bytes: a character past U+FFFF after U+E000–U+FFFF, unlike JavaScript', () => {
    expect(byteOrder('a', 'b')).toBeLessThan(0);
    expect(byteOrder('b', 'a')).toBeGreaterThan(0);
    expect(byteOrder('same', 'same')).toBe(0);
    expect('😀' < '\uffe0').toBe(true);
    expect(byteOrder('😀', '\uffe0')).toBeGreaterThan(0);
  });
});

describe('keyHits', () => {
  it('merges the stored rows of one key, correlation and flow into the earliest first and latest last', () => {
    const hits = keyHits([hit({ firstAt: T0 + 5, lastAt: T0 + 5 }), hit({ firstAt: T0 + 1, lastAt: T0 + 1 }), hit({ firstAt: T0 + 9, lastAt: T0 + 9 })], 10);

    expect(hits).toEqual([hit({ firstAt: T0 + 1, lastAt: T0 + 9 })]);
  });

  it('keeps rows of another key name or flow apart', () => {
    const hits = keyHits([hit(), hit({ keyName: 'rma_id' }), hit({ flow: 'return_to_refund' })], 10);

    expect(hits.map((h) => [h.keyName, h.flow])).toEqual([
      ['order_id', 'order_to_cash'],
      ['order_id', 'return_to_refund'],
      ['rma_id', 'order_to_cash'],
    ]);
  });

  it('orders by first time, then correlation id, then key value, and keeps the first `limit`', () => {
    const hits = keyHits(
      [
        hit({ correlationId: 'corr-b', firstAt: T0 }),
        hit({ correlationId: 'corr-a', keyValue: 'PAY-1', firstAt: T0 }),
        hit({ correlationId: 'corr-a', keyValue: 'ORD-1', firstAt: T0 }),
        hit({ correlationId: 'corr-0', firstAt: T0 + 1 }),
      ],
      3,
    );

    expect(hits.map((h) => [h.correlationId, h.keyValue])).toEqual([
      ['corr-a', 'ORD-1'],
      ['corr-a', 'PAY-1'],
      ['corr-b', 'ORD-1'],
    ]);
  });

  it('keeps the latest `limit` when asked for the latest: by last time, newest first, then correlation id', () => {
    const hits = keyHits(
      [
        hit({ correlationId: 'corr-old', firstAt: T0, lastAt: T0 + 10 }),
        hit({ correlationId: 'corr-new', firstAt: T0 + 50, lastAt: T0 + 60 }),
        hit({ correlationId: 'corr-b', firstAt: T0 + 20, lastAt: T0 + 30 }),
        hit({ correlationId: 'corr-a', firstAt: T0 + 25, lastAt: T0 + 30 }),
        hit({ correlationId: 'corr-old', firstAt: T0 + 70, lastAt: T0 + 70 }),
      ],
      3,
      'latest',
    );

    expect(hits.map((h) => [h.correlationId, h.firstAt, h.lastAt])).toEqual([
      ['corr-old', T0, T0 + 70],
      ['corr-new', T0 + 50, T0 + 60],
      ['corr-a', T0 + 25, T0 + 30],
    ]);
  });

  it('does not change the rows it was given', () => {
    const rows = [hit({ firstAt: T0 + 5 }), hit({ firstAt: T0 + 1 })];
    keyHits(rows, 10);

    expect(rows[0]!.firstAt).toBe(T0 + 5);
  });
});

describe('eachEventOnce', () => {
  it('keeps one copy of an event stored twice: the earliest, then the one observed first', () => {
    const events = eachEventOnce([
      row({ observed_at: text(T0 + 900), payload: 'sent again' }),
      row({ observed_at: text(T0 + 100), payload: 'first' }),
      row({ occurred_at: text(T0 + 50), observed_at: text(T0 + 10), payload: 'later event time' }),
    ]);

    expect(events.map((e) => e.payload)).toEqual(['first']);
  });

  it('orders by event time, then event id, then arrival', () => {
    const events = eachEventOnce([row({ event_id: 'e3', occurred_at: text(T0 + 1) }), row({ event_id: 'e2' }), row({ event_id: 'e1' })]);

    expect(events.map((e) => e.event_id)).toEqual(['e1', 'e2', 'e3']);
  });
});

describe('spansOf', () => {
  it('spans every stored row of each correlation, a re-sent copy with another time included', () => {
    const spans = spansOf([
      row({ event_id: 'e1', occurred_at: text(T0 + 2_000) }),
      row({ event_id: 'e2', occurred_at: text(T0) }),
      row({ event_id: 'e2', occurred_at: text(T0 + 9_000) }),
      row({ event_id: 'x1', correlation_id: 'corr-2', occurred_at: text(T0 + 5) }),
    ]);

    expect(spans).toEqual(
      new Map([
        ['corr-1', { firstAt: T0, lastAt: T0 + 9_000 }],
        ['corr-2', { firstAt: T0 + 5, lastAt: T0 + 5 }],
      ]),
    );
  });
});
