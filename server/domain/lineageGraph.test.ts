import { describe, expect, it } from 'vitest';
import type { Flow, SlaPolicy } from '../catalog/catalogSchema.js';
import type { StoredEvent } from '../contracts/api.js';
import type { LineageCorrelation } from '../contracts/lineageApi.js';
import { storedEvent as baseEvent } from '../../test/support/storedEvent.js';
import { buildLineageGraph, hopsOf, lanesOf, linkEdges, sameDecimal, stepsOf } from './lineageGraph.js';

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

function event(id: string, step: string, at: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return baseEvent({ event_id: id, correlation_id: 'rtr-1', flow: 'return_to_refund', step, system: 'oms', occurred_at: iso(T0 + at), observed_at: iso(T0 + at), ...overrides });
}

function correlation(id: string, firstAt: number, overrides: Partial<LineageCorrelation> = {}): LineageCorrelation {
  return { correlation_id: id, flows: ['return_to_refund'], linked_by: [], depth: 0, first_at: iso(T0 + firstAt), last_at: iso(T0 + firstAt + 1000), event_count: 0, ...overrides };
}

const step = (id: string, systems: string[], extra: Partial<Flow['steps'][number]> = {}): Flow['steps'][number] => ({ id, systems, perChannel: false, occurrences: 1, ...extra });

const refundFlow: Flow = {
  schemaVersion: 1,
  id: 'return_to_refund',
  name: 'Return to refund',
  description: 'test',
  keys: [],
  channels: ['shopify'],
  steps: [
    step('oms.refund.approved', ['oms']),
    step('payment.refund.created', ['stripe']),
    step('erp.credit_memo.posted', ['erp']),
    step('erp.journal.posted', ['erp'], { occurrences: 2 }),
  ],
  variants: [],
};

const refundLedger: SlaPolicy = {
  schemaVersion: 1,
  id: 'refund-ledger',
  name: 'Refunds in the ledger within 2 min',
  flow: 'return_to_refund',
  start: { steps: ['payment.refund.created'] },
  end: { step: 'erp.journal.posted', perChannel: false },
  deadline: 120_000,
  objective: 0.99,
  window: 3_600_000,
  groupBy: [],
  severity: 'critical',
  owner: 'finance',
};

describe('stepsOf', () => {
  it('makes one step per step name with its first success, attempts, replays and the spans behind it', () => {
    const [memo] = stepsOf([
      event('a1', 'erp.credit_memo.posted', 0, { system: 'middleware', status: 'retrying', trace_id: 't1', span_id: 's1' }),
      event('a2', 'erp.credit_memo.posted', 5_000, { system: 'middleware', status: 'dead_lettered' }),
      event('ok', 'erp.credit_memo.posted', 60_000, { system: 'erp', status: 'ok', replay_of: 'a2', amount: '59.90', currency: 'EUR', trace_id: 't2', span_id: 's2' }),
    ]);

    expect(memo).toMatchObject({
      id: 'erp.credit_memo.posted',
      system: 'erp',
      status: 'ok',
      first_at: iso(T0),
      ok_at: iso(T0 + 60_000),
      last_at: iso(T0 + 60_000),
      occurrences: 1,
      attempts: { retrying: 1, failed: 0, dead_lettered: 1 },
      replays: 1,
      amount: '59.90',
      currency: 'EUR',
    });
    expect(memo!.events.map((e) => [e.event_id, e.trace_id, e.span_id])).toEqual([
      ['a1', 't1', 's1'],
      ['a2', null, null],
      ['ok', 't2', 's2'],
    ]);
  });

  it('keeps a step that never succeeded where it is stuck, with its latest status', () => {
    const [memo] = stepsOf([
      event('a1', 'erp.credit_memo.posted', 0, { system: 'middleware', target_system: 'erp', status: 'retrying' }),
      event('a2', 'erp.credit_memo.posted', 5_000, { system: 'middleware', target_system: 'erp', status: 'dead_lettered', amount: '10.00', currency: 'EUR' }),
    ]);

    expect(memo).toMatchObject({ system: 'middleware', status: 'dead_lettered', ok_at: null, occurrences: 0, amount: '10.00' });
  });

  it('counts distinct successes as occurrences, but not a replay of one that had already succeeded', () => {
    const [journal] = stepsOf([
      event('line-1', 'erp.journal.posted', 0, { status: 'ok' }),
      event('line-2', 'erp.journal.posted', 0, { status: 'ok' }),
      event('again', 'erp.journal.posted', 9_000, { status: 'skipped', replay_of: 'line-1' }),
    ]);

    expect(journal).toMatchObject({ occurrences: 2, replays: 1, status: 'ok' });
  });

  it('splits a step done once per channel into one step per channel, and orders steps by their first success', () => {
    const perChannel = (s: string) => s === 'channel.published';
    const steps = stepsOf(
      [
        event('p', 'pos.sale.captured', 0, { system: 'pos' }),
        event('z', 'channel.published', 3_000, { system: 'middleware', channel: 'zalando' }),
        event('a1', 'channel.published', 1_000, { system: 'middleware', channel: 'amazon', status: 'retrying' }),
        event('s', 'channel.published', 2_000, { system: 'middleware', channel: 'shopify' }),
        event('a2', 'channel.published', 4_000, { system: 'middleware', channel: 'amazon' }),
      ].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at)),
      perChannel,
    );

    expect(steps.map((s) => [s.id, s.channel, s.ok_at])).toEqual([
      ['pos.sale.captured', null, iso(T0)],
      ['channel.published@shopify', 'shopify', iso(T0 + 2_000)],
      ['channel.published@zalando', 'zalando', iso(T0 + 3_000)],
      ['channel.published@amazon', 'amazon', iso(T0 + 4_000)],
    ]);
  });
});

describe('lanesOf', () => {
  it('groups steps by system, lanes in the order their first step happened', () => {
    const steps = stepsOf([
      event('1', 'oms.return.received', 0, { system: 'oms' }),
      event('2', 'wms.return.inspected', 1_000, { system: 'wms' }),
      event('3', 'oms.refund.approved', 2_000, { system: 'oms' }),
    ]);

    expect(lanesOf(steps).map((l) => [l.system, l.steps.map((s) => s.step)])).toEqual([
      ['oms', ['oms.return.received', 'oms.refund.approved']],
      ['wms', ['wms.return.inspected']],
    ]);
  });
});

describe('hopsOf', () => {
  it('gives each hop its duration, from first success to first success', () => {
    const hops = hopsOf(
      stepsOf([
        event('1', 'oms.refund.approved', 0),
        event('2', 'payment.refund.created', 2_500, { system: 'stripe' }),
        event('3a', 'erp.credit_memo.posted', 3_000, { system: 'middleware', status: 'retrying' }),
        event('3b', 'erp.credit_memo.posted', 8_000, { system: 'erp' }),
      ]),
    );

    expect(hops.map((h) => [h.from, h.to, h.duration_ms])).toEqual([
      ['oms.refund.approved', 'payment.refund.created', 2_500],
      ['payment.refund.created', 'erp.credit_memo.posted', 5_500],
    ]);
  });

  it('flags an amount that differs from the latest earlier amount in the same currency, skipping steps without one', () => {
    const hops = hopsOf(
      stepsOf([
        event('1', 'oms.refund.approved', 0, { amount: '59.90', currency: 'EUR' }),
        event('2', 'wms.return.inspected', 1_000, { system: 'wms' }),
        event('3', 'payment.refund.created', 2_000, { system: 'stripe', amount: '59.9000', currency: 'EUR' }),
        event('4', 'erp.credit_memo.posted', 3_000, { system: 'erp', amount: '49.90', currency: 'EUR' }),
        event('5', 'erp.fx.posted', 4_000, { system: 'erp', amount: '42.00', currency: 'GBP' }),
      ]),
    );

    expect(hops.map((h) => [h.to, h.amount, h.previous_amount, h.amount_changed])).toEqual([
      ['wms.return.inspected', null, null, false],
      ['payment.refund.created', '59.9000', '59.90', false],
      ['erp.credit_memo.posted', '49.90', '59.9000', true],
      ['erp.fx.posted', '42.00', null, false],
    ]);
  });

  it('does not compare a step of many events (one settlement line of many) with a total', () => {
    const hops = hopsOf(
      stepsOf([
        event('1', 'marketplace.settlement.reported', 0, { system: 'amazon', amount: '326.75', currency: 'EUR' }),
        event('2a', 'marketplace.settlement.line', 1_000, { system: 'amazon', amount: '101.89', currency: 'EUR' }),
        event('2b', 'marketplace.settlement.line', 1_000, { system: 'amazon', amount: '291.78', currency: 'EUR' }),
        event('3', 'payment.payout.paid', 2_000, { system: 'amazon', amount: '326.75', currency: 'EUR' }),
        event('4', 'erp.bank.posted', 3_000, { system: 'erp', amount: '334.62', currency: 'EUR' }),
      ]),
    );

    expect(hops.map((h) => [h.to, h.previous_amount, h.amount_changed])).toEqual([
      ['marketplace.settlement.line', null, false],
      ['payment.payout.paid', '326.75', false],
      ['erp.bank.posted', '326.75', true],
    ]);
  });

  it('is empty for fewer than two steps', () => {
    expect(hopsOf(stepsOf([event('1', 'oms.refund.approved', 0)]))).toEqual([]);
  });
});

describe('sameDecimal', () => {
  it('compares decimal text by value', () => {
    expect(sameDecimal('59.9', '59.9000')).toBe(true);
    expect(sameDecimal('059.90', '59.9')).toBe(true);
    expect(sameDecimal('-0.00', '0')).toBe(true);
    expect(sameDecimal('12345678901234.5678', '12345678901234.5679')).toBe(false);
    expect(sameDecimal('-5', '5')).toBe(false);
  });
});

describe('linkEdges', () => {
  it('links correlations that carry the same key value, from the one that started first', () => {
    const correlations = [correlation('rtr-1', 60_000), correlation('order-1', 0, { flows: ['order_to_cash'] }), correlation('settlement-1', 120_000)];
    const events = [
      event('1', 'shop.order.created', 0, { correlation_id: 'order-1', keys: { order_id: 'SO-1', shopify_order_id: '991' } }),
      event('2', 'oms.return.received', 60_000, { keys: { order_id: 'SO-1', shopify_order_id: '991', refund_id: 're_1' } }),
      event('3', 'marketplace.settlement.line', 120_000, { correlation_id: 'settlement-1', keys: { refund_id: 're_1', settlement_id: 'ST-1' } }),
      event('4', 'unrelated', 0, { correlation_id: 'not-walked', keys: { order_id: 'SO-1' } }),
    ];

    expect(linkEdges(correlations, events)).toEqual([
      {
        from: 'order-1',
        to: 'rtr-1',
        keys: [
          { name: 'order_id', value: 'SO-1' },
          { name: 'shopify_order_id', value: '991' },
        ],
      },
      { from: 'rtr-1', to: 'settlement-1', keys: [{ name: 'refund_id', value: 're_1' }] },
    ]);
  });

  it('names a shared value as the later correlation carries it', () => {
    const edges = linkEdges(
      [correlation('a', 0), correlation('b', 1_000)],
      [event('1', 'x', 0, { correlation_id: 'a', keys: { charge_id: 'ch_1' } }), event('2', 'y', 1_000, { correlation_id: 'b', keys: { payment_id: 'ch_1' } })],
    );

    expect(edges).toEqual([{ from: 'a', to: 'b', keys: [{ name: 'payment_id', value: 'ch_1' }] }]);
  });
});

describe('buildLineageGraph', () => {
  const catalog = { flows: new Map([['return_to_refund', refundFlow]]), policies: [refundLedger] };
  const refundChain = [
    event('1', 'oms.refund.approved', 0, { amount: '59.90', currency: 'EUR' }),
    event('2', 'payment.refund.created', 2_000, { system: 'stripe', amount: '59.90', currency: 'EUR' }),
    event('3', 'erp.credit_memo.posted', 5_000, { system: 'erp', amount: '59.90', currency: 'EUR' }),
    event('4', 'erp.journal.posted', 9_000, { system: 'erp', amount: '59.90', currency: 'EUR' }),
  ];

  it('makes a node per correlation with its lanes, hops, state and what is still missing', () => {
    const { graph, missing } = buildLineageGraph({ correlations: [correlation('rtr-1', 0)], events: refundChain, catalog, now: T0 + 600_000 });

    expect(graph.nodes).toHaveLength(1);
    expect(graph.nodes[0]).toMatchObject({ correlation_id: 'rtr-1', flow: 'return_to_refund', state: 'in_progress', variant: null });
    expect(graph.nodes[0]!.lanes.map((l) => l.system)).toEqual(['oms', 'stripe', 'erp']);
    expect(graph.nodes[0]!.hops.map((h) => h.duration_ms)).toEqual([2_000, 3_000, 4_000]);
    expect(missing).toEqual([
      {
        correlation_id: 'rtr-1',
        flow: 'return_to_refund',
        variant: null,
        step: 'erp.journal.posted',
        channel: null,
        systems: ['erp'],
        expected: 2,
        seen: 1,
        last_status: 'ok',
        waiting_since: iso(T0 + 9_000),
        age_ms: 591_000,
        slas: [{ policy: 'refund-ledger', name: refundLedger.name, started_at: iso(T0 + 2_000), deadline_at: iso(T0 + 122_000), overdue: true, overdue_by_ms: 478_000 }],
      },
    ]);
  });

  it('is complete when every expected step is in', () => {
    const events = [...refundChain, event('5', 'erp.journal.posted', 9_000, { system: 'erp', amount: '-59.90', currency: 'EUR' })];

    const { graph, missing } = buildLineageGraph({ correlations: [correlation('rtr-1', 0)], events, catalog, now: T0 + 600_000 });

    expect(missing).toEqual([]);
    expect(graph.nodes[0]!.state).toBe('complete');
  });

  it('says nothing is missing of a correlation the event cap cut short, and never calls it complete', () => {
    const { graph, missing } = buildLineageGraph({ correlations: [correlation('rtr-1', 0)], events: refundChain, catalog, now: T0, partial: new Set(['rtr-1']) });

    expect(missing).toEqual([]);
    expect(graph.nodes[0]!.state).toBe('in_progress');
  });

  it('expects nothing of a flow the catalog does not know', () => {
    const events = [event('1', 'custom.thing.done', 0, { flow: 'custom_flow' })];

    const { graph, missing } = buildLineageGraph({ correlations: [correlation('rtr-1', 0, { flows: ['custom_flow'] })], events, catalog, now: T0 });

    expect(missing).toEqual([]);
    expect(graph.nodes[0]).toMatchObject({ flow: 'custom_flow', state: 'complete', variant: null });
  });

  it('keeps a node, never complete, for a correlation whose events were not read', () => {
    const { graph } = buildLineageGraph({ correlations: [correlation('rtr-9', 0)], events: [], catalog, now: T0 });

    expect(graph.nodes[0]).toMatchObject({ correlation_id: 'rtr-9', flow: 'return_to_refund', lanes: [], hops: [], state: 'in_progress' });
  });
});
