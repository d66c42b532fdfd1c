import { describe, expect, it } from 'vitest';
import type { LineageResponse, StoredEvent } from '../../api/contracts';
import { statusLabel, timelineEntries, timelineSystems } from './formatEvent';
import { orderNode } from './lineageFixtures';
import { storedEvent } from '../../../../test/support/storedEvent';

const options = { locale: 'en-GB', timeZone: 'UTC' };

function lineage(events: StoredEvent[], overrides: Partial<LineageResponse> = {}): LineageResponse {
  return { key: 'SO-1001', depth: 1, at: '2026-11-27T15:00:00.000Z', correlations: [], events, truncated: false, latest_only: false, graph: { nodes: [], edges: [] }, missing: [], ...overrides };
}

describe('timelineEntries', () => {
  it('lists events in the order they happened, with the offset from the first', () => {
    const entries = timelineEntries(
      lineage([
        storedEvent({ event_id: 'e3', step: 'erp.invoice.posted', occurred_at: '2026-11-27T14:03:12.000Z' }),
        storedEvent({ event_id: 'e1', step: 'shop.order.created', occurred_at: '2026-11-27T14:00:00.000Z' }),
        storedEvent({ event_id: 'e2', step: 'oms.order.released', occurred_at: '2026-11-27T14:00:01.250Z' }),
      ]),
      options,
    );

    expect(entries.map((e) => [e.step, e.time, e.offset])).toEqual([
      ['shop.order.created', '27 Nov 2026, 14:00:00.000', '+0 ms'],
      ['oms.order.released', '27 Nov 2026, 14:00:01.250', '+1.3 s'],
      ['erp.invoice.posted', '27 Nov 2026, 14:03:12.000', '+3 min 12 s'],
    ]);
  });

  it('breaks ties on event time by ingest time, then id, so the order never flickers', () => {
    const same = '2026-11-27T14:00:00.000Z';
    const entries = timelineEntries(
      lineage([
        storedEvent({ event_id: 'b', occurred_at: same, observed_at: '2026-11-27T14:00:02.000Z' }),
        storedEvent({ event_id: 'c', occurred_at: same, observed_at: '2026-11-27T14:00:01.000Z' }),
        storedEvent({ event_id: 'a', occurred_at: same, observed_at: '2026-11-27T14:00:02.000Z' }),
      ]),
      options,
    );

    expect(entries.map((e) => e.eventId)).toEqual(['c', 'a', 'b']);
  });

  it('shows where the message went, what it was worth and what went wrong', () => {
    const [entry] = timelineEntries(
      lineage([
        storedEvent({
          target_system: 'stripe',
          amount: '59.9',
          currency: 'EUR',
          status: 'failed',
          error_code: 'card_declined',
          error_class: 'business',
          error_message: 'Card was declined',
        }),
      ]),
      options,
    );

    expect(entry).toMatchObject({
      route: 'shopify → stripe',
      amount: '€59.90',
      status: 'failed',
      statusLabel: 'Failed',
      error: 'card_declined (business): Card was declined',
    });
  });

  it('shows no route arrow, amount or error when the event has none', () => {
    const [entry] = timelineEntries(lineage([storedEvent({})]), options);

    expect(entry).toMatchObject({ route: 'shopify', amount: null, error: null, details: [] });
  });

  it('lists stock dimensions for inventory steps', () => {
    const [entry] = timelineEntries(
      lineage([storedEvent({ sku: 'SKU-1', quantity: 2.5, channel: 'amazon', location_id: 'WH-1', region: 'eu' })]),
      options,
    );

    expect(entry?.details).toEqual(['SKU SKU-1 × 2.5', 'channel amazon', 'region eu', 'location WH-1']);
  });

  it('numbers the attempts of a step that did not go through at once, and ties each event to its graph step', () => {
    const entries = timelineEntries(
      lineage(
        [
          storedEvent({ event_id: 'inv-1', step: 'erp.invoice.posted', status: 'failed', occurred_at: '2026-11-27T13:50:40.000Z', trace_id: 'trace-a', span_id: 'span-1' }),
          storedEvent({ event_id: 'inv-2', step: 'erp.invoice.posted', occurred_at: '2026-11-27T13:51:10.000Z', replay_of: 'inv-1', trace_id: 'trace-a', span_id: 'span-2' }),
          storedEvent({ event_id: 'j-1', step: 'erp.journal.posted', occurred_at: '2026-11-27T13:52:00.000Z' }),
          storedEvent({ event_id: 'j-2', step: 'erp.journal.posted', occurred_at: '2026-11-27T13:52:00.100Z' }),
        ],
        { graph: { nodes: [{ ...orderNode, correlation_id: 'c1' }], edges: [] } },
      ),
      options,
    );

    expect(entries.map((e) => [e.eventId, e.stepId, e.attempt, e.replayOf, e.traceId, e.spanId])).toEqual([
      ['inv-1', 'erp.invoice.posted', 'attempt 1 of 2', null, 'trace-a', 'span-1'],
      ['inv-2', 'erp.invoice.posted', 'attempt 2 of 2', 'inv-1', 'trace-a', 'span-2'],
      // Two journal lines, both booked: lines of one posting, not attempts.
      ['j-1', 'erp.journal.posted', null, null, null, null],
      ['j-2', 'erp.journal.posted', null, null, null, null],
    ]);
  });

  it('sorts keys by name and marks the one that was searched', () => {
    const [entry] = timelineEntries(lineage([storedEvent({ keys: { refund_id: 'RF-7', order_id: 'SO-1001' } })]), options);

    expect(entry?.keys).toEqual([
      { name: 'order_id', value: 'SO-1001', isSearched: true },
      { name: 'refund_id', value: 'RF-7', isSearched: false },
    ]);
  });
});

describe('timelineSystems', () => {
  it('lists the systems in the order they first reported, with their event counts', () => {
    const entries = timelineEntries(
      lineage([
        storedEvent({ event_id: 'a', system: 'stripe', occurred_at: '2026-11-27T14:00:01.000Z' }),
        storedEvent({ event_id: 'b', system: 'shopify', occurred_at: '2026-11-27T14:00:00.000Z' }),
        storedEvent({ event_id: 'c', system: 'shopify', occurred_at: '2026-11-27T14:00:02.000Z' }),
      ]),
      options,
    );

    expect(timelineSystems(entries)).toEqual([
      { system: 'shopify', count: 2 },
      { system: 'stripe', count: 1 },
    ]);
  });
});

describe('statusLabel', () => {
  it('names every status in words, so colour is never the only cue', () => {
    expect(statusLabel('dead_lettered')).toBe('Dead-lettered');
    expect(statusLabel('ok')).toBe('OK');
  });
});
