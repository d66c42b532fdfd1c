import type { StoredEvent } from '../../server/contracts/api.js';

/** A stored event as the API returns it, with every optional field null; override what the test is about. */
export function storedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    event_id: 'e1',
    correlation_id: 'c1',
    flow: 'order_to_cash',
    step: 'shop.order.created',
    system: 'shopify',
    target_system: null,
    channel: null,
    region: null,
    location_id: null,
    sku: null,
    quantity: null,
    amount: null,
    currency: null,
    status: 'ok',
    error_code: null,
    error_class: null,
    error_message: null,
    occurred_at: '2026-11-27T14:00:00.000Z',
    observed_at: '2026-11-27T14:00:00.100Z',
    keys: {},
    payload: null,
    replay_target: null,
    trace_id: null,
    span_id: null,
    replay_of: null,
    ...overrides,
  };
}
