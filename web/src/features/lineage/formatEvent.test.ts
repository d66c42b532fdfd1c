import { describe, expect, it } from 'vitest';
import type { LineageResponse, StoredEvent } from '../../api/contracts';
import { correlationSummaries, lineageHeadline, statusLabel, timelineEntries } from './formatEvent';
import { storedEvent } from '../../../../test/support/storedEvent';

const options = { locale: 'en-GB', timeZone: 'UTC' };

function lineage(events: StoredEvent[], overrides: Partial<LineageResponse> = {}): LineageResponse {
  return { key: 'SO-1001', depth: 1, at: '2026-11-27T15:00:00.000Z', correlations: [], events, truncated: false, graph: { nodes: [], edges: [] }, missing: [], ...overrides };
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

  it('sorts keys by name and marks the one that was searched', () => {
    const [entry] = timelineEntries(lineage([storedEvent({ keys: { refund_id: 'RF-7', order_id: 'SO-1001' } })]), options);

    expect(entry?.keys).toEqual([
      { name: 'order_id', value: 'SO-1001', isSearched: true },
      { name: 'refund_id', value: 'RF-7', isSearched: false },
    ]);
  });
});

describe('correlationSummaries', () => {
  it('says which keys linked each correlation, nearest hop first', () => {
    const summaries = correlationSummaries(
      lineage([], {
        correlations: [
          {
            correlation_id: 'refund-1',
            flows: ['return_to_refund'],
            linked_by: [{ name: 'order_id', value: 'SO-1001' }],
            depth: 1,
            first_at: '2026-11-27T15:00:00.000Z',
            last_at: '2026-11-27T15:00:30.000Z',
            event_count: 1,
          },
          {
            correlation_id: 'order-1',
            flows: ['order_to_cash', 'transfer'],
            linked_by: [{ name: 'order_id', value: 'SO-1001' }],
            depth: 0,
            first_at: '2026-11-27T14:00:00.000Z',
            last_at: '2026-11-27T14:03:12.000Z',
            event_count: 3,
          },
        ],
      }),
      options,
    );

    expect(summaries).toEqual([
      {
        correlationId: 'order-1',
        flows: 'order_to_cash, transfer',
        linkedBy: 'order_id = SO-1001',
        depth: 0,
        events: '3 events',
        firstAt: '27 Nov 2026, 14:00:00.000',
        duration: '3 min 12 s',
      },
      {
        correlationId: 'refund-1',
        flows: 'return_to_refund',
        linkedBy: 'order_id = SO-1001',
        depth: 1,
        events: '1 event',
        firstAt: '27 Nov 2026, 15:00:00.000',
        duration: '30 s',
      },
    ]);
  });
});

describe('lineageHeadline', () => {
  it('counts correlations and events and says how long the lineage spans', () => {
    const events = [
      storedEvent({ occurred_at: '2026-11-27T14:00:00.000Z' }),
      storedEvent({ event_id: 'e2', occurred_at: '2026-11-27T14:03:12.000Z' }),
    ];
    const correlations = [
      {
        correlation_id: 'c1',
        flows: ['order_to_cash'],
        linked_by: [],
        depth: 0,
        first_at: '2026-11-27T14:00:00.000Z',
        last_at: '2026-11-27T14:03:12.000Z',
        event_count: 2,
      },
    ];

    expect(lineageHeadline(lineage(events, { correlations }), options)).toBe('1 correlation · 2 events · over 3 min 12 s');
  });
});

describe('statusLabel', () => {
  it('names every status in words, so colour is never the only cue', () => {
    expect(statusLabel('dead_lettered')).toBe('Dead-lettered');
    expect(statusLabel('ok')).toBe('OK');
  });
});
