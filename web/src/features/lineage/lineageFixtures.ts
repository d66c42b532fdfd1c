import type { LineageMissingStep, LineageNode, LineageResponse, LineageStep } from '../../api/contracts';

/**
 * Small lineage answers for the shaping tests, as the API gives them: a refund that never reached the ledger
 * (linked to its order by the order id), and an order whose ERP invoice failed once and was booked at another amount.
 */

export const AT = '2026-11-27T14:10:00.000Z';

export function step(overrides: Partial<LineageStep> & Pick<LineageStep, 'id' | 'system' | 'first_at'>): LineageStep {
  return {
    step: overrides.id.split('@')[0]!,
    channel: null,
    status: 'ok',
    ok_at: overrides.first_at,
    last_at: overrides.first_at,
    occurrences: 1,
    attempts: { retrying: 0, failed: 0, dead_lettered: 0 },
    replays: 0,
    amount: null,
    currency: null,
    events: [{ event_id: `${overrides.id}-1`, status: 'ok', occurred_at: overrides.first_at, trace_id: null, span_id: null, replay_of: null }],
    ...overrides,
  };
}

export function lanes(steps: LineageStep[]): LineageNode['lanes'] {
  const bySystem = new Map<string, LineageStep[]>();
  for (const s of steps) bySystem.set(s.system, [...(bySystem.get(s.system) ?? []), s]);
  return [...bySystem.entries()].map(([system, laneSteps]) => ({ system, steps: laneSteps }));
}

const refundSteps = [
  step({ id: 'oms.return.received', system: 'oms', first_at: '2026-11-27T14:00:00.000Z' }),
  step({ id: 'wms.return.inspected', system: 'wms', first_at: '2026-11-27T14:00:12.000Z' }),
  step({ id: 'payment.refund.created', system: 'stripe', first_at: '2026-11-27T14:00:15.000Z', amount: '19.95', currency: 'EUR' }),
];

export const refundNode: LineageNode = {
  correlation_id: 'rtr-re_1',
  flow: 'return_to_refund',
  depth: 0,
  first_at: '2026-11-27T14:00:00.000Z',
  last_at: '2026-11-27T14:00:15.000Z',
  state: 'in_progress',
  variant: null,
  lanes: lanes(refundSteps),
  hops: [
    { from: 'oms.return.received', to: 'wms.return.inspected', from_at: '2026-11-27T14:00:00.000Z', to_at: '2026-11-27T14:00:12.000Z', duration_ms: 12_000, amount: null, currency: null, previous_amount: null, amount_changed: false },
    { from: 'wms.return.inspected', to: 'payment.refund.created', from_at: '2026-11-27T14:00:12.000Z', to_at: '2026-11-27T14:00:15.000Z', duration_ms: 3_000, amount: '19.95', currency: 'EUR', previous_amount: null, amount_changed: false },
  ],
};

const waiting = { correlation_id: 'rtr-re_1', flow: 'return_to_refund', variant: null, channel: null, systems: ['erp'], last_status: null, waiting_since: '2026-11-27T14:00:15.000Z', age_ms: 585_000 };

export const refundMissing: LineageMissingStep[] = [
  { ...waiting, step: 'erp.credit_memo.posted', expected: 1, seen: 0, slas: [] },
  {
    ...waiting,
    step: 'erp.journal.posted',
    expected: 2,
    seen: 0,
    slas: [{ policy: 'refund-ledger', name: 'Refunds in the ledger within 2 min', started_at: '2026-11-27T14:00:15.000Z', deadline_at: '2026-11-27T14:02:15.000Z', overdue: true, overdue_by_ms: 465_000 }],
  },
];

const orderSteps = [
  step({ id: 'shop.order.created', system: 'shopify', first_at: '2026-11-27T13:50:00.000Z', amount: '59.90', currency: 'EUR' }),
  step({
    id: 'erp.invoice.posted',
    system: 'erp',
    first_at: '2026-11-27T13:50:40.000Z',
    ok_at: '2026-11-27T13:51:10.000Z',
    last_at: '2026-11-27T13:51:10.000Z',
    attempts: { retrying: 0, failed: 1, dead_lettered: 0 },
    amount: '59.00',
    currency: 'EUR',
    events: [
      { event_id: 'inv-1', status: 'failed', occurred_at: '2026-11-27T13:50:40.000Z', trace_id: 'trace-a', span_id: 'span-1', replay_of: null },
      { event_id: 'inv-2', status: 'ok', occurred_at: '2026-11-27T13:51:10.000Z', trace_id: 'trace-a', span_id: 'span-2', replay_of: 'inv-1' },
    ],
    replays: 1,
  }),
];

export const orderNode: LineageNode = {
  correlation_id: 'order-1',
  flow: 'order_to_cash',
  depth: 1,
  first_at: '2026-11-27T13:50:00.000Z',
  last_at: '2026-11-27T13:51:10.000Z',
  state: 'complete',
  variant: { id: 'online', name: 'Online store' },
  lanes: lanes(orderSteps),
  hops: [
    { from: 'shop.order.created', to: 'erp.invoice.posted', from_at: '2026-11-27T13:50:00.000Z', to_at: '2026-11-27T13:51:10.000Z', duration_ms: 70_000, amount: '59.00', currency: 'EUR', previous_amount: '59.90', amount_changed: true },
  ],
};

/** The refund searched by its id, the order reached through its order id. */
export function refundAnswer(overrides: Partial<LineageResponse> = {}): LineageResponse {
  return {
    key: 're_1',
    depth: 3,
    at: AT,
    correlations: [
      { correlation_id: 'rtr-re_1', flows: ['return_to_refund'], linked_by: [{ name: 'refund_id', value: 're_1' }], depth: 0, first_at: refundNode.first_at, last_at: refundNode.last_at, event_count: 3 },
      { correlation_id: 'order-1', flows: ['order_to_cash'], linked_by: [{ name: 'order_id', value: '#1001' }], depth: 1, first_at: orderNode.first_at, last_at: orderNode.last_at, event_count: 3 },
    ],
    events: [],
    truncated: false,
    latest_only: false,
    graph: { nodes: [refundNode, orderNode], edges: [{ from: 'order-1', to: 'rtr-re_1', keys: [{ name: 'order_id', value: '#1001' }] }] },
    missing: refundMissing,
    ...overrides,
  };
}
