import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../contracts/api.js';
import { addHits, correlationSummaries, type KeyHit, nextKeyValues, spanOf, startWalk, timeline, widenSpans } from './lineage.js';
import { storedEvent as baseEvent } from '../../test/support/storedEvent.js';

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function storedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return baseEvent({ event_id: 'evt-1', correlation_id: 'corr-1', step: 'erp.order.created', system: 'erp', occurred_at: iso(T0), observed_at: iso(T0), ...overrides });
}

function hit(overrides: Partial<KeyHit> = {}): KeyHit {
  return { keyValue: 'ORD-1', keyName: 'order_id', correlationId: 'corr-1', flow: 'order_to_cash', firstAt: T0, lastAt: T0 + 1000, ...overrides };
}

describe('startWalk', () => {
  it('starts with the searched key already followed and nothing found', () => {
    const walk = startWalk('ORD-1');

    expect([...walk.visitedValues]).toEqual(['ORD-1']);
    expect(walk.correlations.size).toBe(0);
    expect(walk.truncated).toBe(false);
  });
});

describe('addHits', () => {
  it('returns the correlations seen for the first time, in hit order', () => {
    const walk = startWalk('ORD-1');

    const fresh = addHits(walk, [hit({ correlationId: 'corr-b' }), hit({ correlationId: 'corr-a' }), hit({ correlationId: 'corr-b' })], 0, 10);

    expect(fresh).toEqual(['corr-b', 'corr-a']);
  });

  it('returns only new correlations on a later hop and keeps the depth where each was first found', () => {
    const walk = startWalk('ORD-1');
    addHits(walk, [hit({ correlationId: 'corr-1' })], 0, 10);

    const fresh = addHits(walk, [hit({ correlationId: 'corr-1', keyValue: 'PAY-1', keyName: 'payment_id' }), hit({ correlationId: 'corr-2', keyValue: 'PAY-1', keyName: 'payment_id' })], 1, 10);
    const summaries = correlationSummaries(walk, []);

    expect(fresh).toEqual(['corr-2']);
    expect(summaries.map((c) => [c.correlation_id, c.depth])).toEqual([
      ['corr-1', 0],
      ['corr-2', 1],
    ]);
  });

  it('records each linking key once, and only the keys of the hop that found the correlation', () => {
    const walk = startWalk('ORD-1');
    addHits(
      walk,
      [
        hit({ keyName: 'order_id', keyValue: 'ORD-1' }),
        hit({ keyName: 'order_id', keyValue: 'ORD-1' }),
        hit({ keyName: 'rma_id', keyValue: 'ORD-1' }),
      ],
      0,
      10,
    );

    addHits(walk, [hit({ keyName: 'payment_id', keyValue: 'PAY-1' })], 1, 10);
    const [summary] = correlationSummaries(walk, []);

    expect(summary?.linked_by).toEqual([
      { name: 'order_id', value: 'ORD-1' },
      { name: 'rma_id', value: 'ORD-1' },
    ]);
  });

  it('merges the flows and the time span of every hit on a correlation', () => {
    const walk = startWalk('ORD-1');

    addHits(
      walk,
      [
        hit({ flow: 'return_to_refund', firstAt: T0 + 5000, lastAt: T0 + 6000 }),
        hit({ flow: 'order_to_cash', firstAt: T0, lastAt: T0 + 1000 }),
        hit({ flow: 'order_to_cash', firstAt: T0 + 2000, lastAt: T0 + 9000 }),
      ],
      0,
      10,
    );
    const [summary] = correlationSummaries(walk, []);

    expect(summary).toMatchObject({ flows: ['order_to_cash', 'return_to_refund'], first_at: iso(T0), last_at: iso(T0 + 9000) });
  });

  it('stops at the cap, keeps what it found and marks the walk truncated', () => {
    const walk = startWalk('ORD-1');

    const fresh = addHits(walk, ['c1', 'c2', 'c3', 'c4'].map((id) => hit({ correlationId: id })), 0, 2);

    expect(fresh).toEqual(['c1', 'c2']);
    expect([...walk.correlations.keys()]).toEqual(['c1', 'c2']);
    expect(walk.truncated).toBe(true);
  });

  it('applies the cap across hops', () => {
    const walk = startWalk('ORD-1');
    addHits(walk, [hit({ correlationId: 'c1' }), hit({ correlationId: 'c2' })], 0, 3);

    const fresh = addHits(walk, [hit({ correlationId: 'c3' }), hit({ correlationId: 'c4' })], 1, 3);

    expect(fresh).toEqual(['c3']);
    expect(walk.truncated).toBe(true);
  });

  it('is not truncated by further hits on correlations it already holds', () => {
    const walk = startWalk('ORD-1');
    addHits(walk, [hit({ correlationId: 'c1' }), hit({ correlationId: 'c2' })], 0, 2);

    const fresh = addHits(walk, [hit({ correlationId: 'c1', flow: 'transfer' })], 1, 2);

    expect(fresh).toEqual([]);
    expect(walk.truncated).toBe(false);
    expect(correlationSummaries(walk, [])[0]?.flows).toEqual(['order_to_cash', 'transfer']);
  });
});

describe('widenSpans', () => {
  it("widens a correlation's span to its full extent but never narrows it", () => {
    const walk = startWalk('ORD-1');
    addHits(walk, [hit({ correlationId: 'c1', firstAt: T0, lastAt: T0 + 1000 }), hit({ correlationId: 'c2', firstAt: T0, lastAt: T0 + 1000 })], 0, 10);

    widenSpans(
      walk,
      new Map([
        ['c1', { firstAt: T0 - 60_000, lastAt: T0 + 60_000 }],
        ['c2', { firstAt: T0 + 100, lastAt: T0 + 200 }],
      ]),
    );

    expect(spanOf(walk, ['c1'])).toEqual({ from: T0 - 60_000, to: T0 + 60_000 });
    expect(spanOf(walk, ['c2'])).toEqual({ from: T0, to: T0 + 1000 });
  });

  it('ignores spans of correlations the walk does not hold', () => {
    const walk = startWalk('ORD-1');
    addHits(walk, [hit({ correlationId: 'c1' })], 0, 10);

    widenSpans(walk, new Map([['elsewhere', { firstAt: 0, lastAt: T0 * 2 }]]));

    expect(walk.correlations.has('elsewhere')).toBe(false);
    expect(spanOf(walk, ['c1'])).toEqual({ from: T0, to: T0 + 1000 });
  });
});

describe('spanOf', () => {
  it('covers every listed correlation and ignores unknown ids', () => {
    const walk = startWalk('ORD-1');
    addHits(
      walk,
      [
        hit({ correlationId: 'c1', firstAt: T0 + 5000, lastAt: T0 + 7000 }),
        hit({ correlationId: 'c2', firstAt: T0 + 1000, lastAt: T0 + 3000 }),
        hit({ correlationId: 'c3', firstAt: T0, lastAt: T0 + 99_000 }),
      ],
      0,
      10,
    );

    expect(spanOf(walk, ['c1', 'c2', 'unknown'])).toEqual({ from: T0 + 1000, to: T0 + 7000 });
  });
});

describe('nextKeyValues', () => {
  it('returns the key values not followed yet, each once, and marks them followed', () => {
    const walk = startWalk('ORD-1');
    const events = [
      storedEvent({ event_id: 'e1', keys: { order_id: 'ORD-1', payment_id: 'PAY-1' } }),
      storedEvent({ event_id: 'e2', keys: { payment_id: 'PAY-1', refund_id: 'RF-1' } }),
    ];

    const next = nextKeyValues(walk, events);

    expect(next).toEqual(['PAY-1', 'RF-1']);
    expect(walk.visitedValues.has('PAY-1')).toBe(true);
    expect(walk.visitedValues.has('RF-1')).toBe(true);
  });

  it('never returns a value twice across hops', () => {
    const walk = startWalk('ORD-1');
    const events = [storedEvent({ keys: { order_id: 'ORD-1', payment_id: 'PAY-1' } })];
    nextKeyValues(walk, events);

    const again = nextKeyValues(walk, [...events, storedEvent({ event_id: 'e9', keys: { settlement_id: 'ST-1', payment_id: 'PAY-1' } })]);

    expect(again).toEqual(['ST-1']);
  });

  it('returns nothing for events without keys', () => {
    expect(nextKeyValues(startWalk('ORD-1'), [storedEvent()])).toEqual([]);
  });
});

describe('correlationSummaries', () => {
  it('orders by depth, then first time, then id, with event counts', () => {
    const walk = startWalk('ORD-1');
    addHits(
      walk,
      [
        hit({ correlationId: 'late', firstAt: T0 + 5000, lastAt: T0 + 6000 }),
        hit({ correlationId: 'early-b', firstAt: T0, lastAt: T0 + 1000 }),
        hit({ correlationId: 'early-a', firstAt: T0, lastAt: T0 + 2000 }),
      ],
      0,
      10,
    );
    addHits(walk, [hit({ correlationId: 'second-hop', keyValue: 'PAY-1', keyName: 'payment_id', firstAt: T0 - 60_000, lastAt: T0 })], 1, 10);
    const events = [
      storedEvent({ event_id: 'e1', correlation_id: 'late' }),
      storedEvent({ event_id: 'e2', correlation_id: 'late' }),
      storedEvent({ event_id: 'e3', correlation_id: 'early-a' }),
      storedEvent({ event_id: 'e4', correlation_id: 'second-hop' }),
      storedEvent({ event_id: 'e5', correlation_id: 'not-in-walk' }),
    ];

    const summaries = correlationSummaries(walk, events);

    expect(summaries.map((s) => [s.correlation_id, s.depth, s.event_count])).toEqual([
      ['early-a', 0, 1],
      ['early-b', 0, 0],
      ['late', 0, 2],
      ['second-hop', 1, 1],
    ]);
  });

  it('shows times as ISO 8601 UTC and the keys that linked each correlation', () => {
    const walk = startWalk('ORD-1');
    addHits(walk, [hit({ correlationId: 'c1', firstAt: T0, lastAt: T0 + 1500 })], 0, 10);

    expect(correlationSummaries(walk, [storedEvent({ correlation_id: 'c1' })])).toEqual([
      {
        correlation_id: 'c1',
        flows: ['order_to_cash'],
        linked_by: [{ name: 'order_id', value: 'ORD-1' }],
        depth: 0,
        first_at: '2026-11-27T10:00:00.000Z',
        last_at: '2026-11-27T10:00:01.500Z',
        event_count: 1,
      },
    ]);
  });

  it('is empty for an empty walk', () => {
    expect(correlationSummaries(startWalk('ORD-1'), [storedEvent()])).toEqual([]);
  });
});

describe('timeline', () => {
  it('keeps each event once, the first copy seen', () => {
    const first = storedEvent({ event_id: 'e1', step: 'erp.order.created' });
    const copy = storedEvent({ event_id: 'e1', step: 'erp.order.copy' });

    expect(timeline([first, copy])).toEqual([first]);
  });

  it('orders by time, then by event id for events at the same time', () => {
    const events = [
      storedEvent({ event_id: 'c', occurred_at: iso(T0 + 2000) }),
      storedEvent({ event_id: 'b', occurred_at: iso(T0) }),
      storedEvent({ event_id: 'a', occurred_at: iso(T0) }),
      storedEvent({ event_id: 'd', occurred_at: iso(T0 - 1) }),
      storedEvent({ event_id: 'a', occurred_at: iso(T0) }),
    ];

    expect(timeline(events).map((e) => e.event_id)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('does not change the list it was given', () => {
    const events = [storedEvent({ event_id: 'b', occurred_at: iso(T0 + 1) }), storedEvent({ event_id: 'a', occurred_at: iso(T0) })];

    timeline(events);

    expect(events.map((e) => e.event_id)).toEqual(['b', 'a']);
  });
});
