import { describe, expect, it } from 'vitest';
import type { Flow, SlaPolicy } from '../catalog/catalogSchema.js';
import type { StoredEvent } from '../contracts/api.js';
import type { LineageStep } from '../contracts/lineageApi.js';
import { storedEvent as baseEvent } from '../../test/support/storedEvent.js';
import { correlationState, expectedSteps, missingSteps } from './lineageExpectations.js';
import { stepsOf } from './lineageGraph.js';

const T0 = Date.UTC(2026, 10, 27, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();
const step = (id: string, systems: string[], extra: Partial<Flow['steps'][number]> = {}): Flow['steps'][number] => ({ id, systems, perChannel: false, occurrences: 1, ...extra });

const inventory: Flow = {
  schemaVersion: 1,
  id: 'inventory_sync',
  name: 'Inventory sync',
  description: 'test',
  keys: [],
  channels: ['shopify', 'amazon'],
  steps: [
    step('pos.sale.captured', ['pos']),
    step('pos.return.captured', ['pos']),
    step('wms.receipt.posted', ['wms']),
    step('erp.inventory.posted', ['erp']),
    step('channel.published', ['middleware'], { perChannel: true }),
  ],
  variants: [
    { id: 'store_sale', name: 'Store sale', steps: ['pos.sale.captured', 'erp.inventory.posted', 'channel.published'] },
    { id: 'store_return', name: 'Store return', steps: ['pos.return.captured', 'erp.inventory.posted', 'channel.published'] },
    { id: 'goods_receipt', name: 'Goods receipt', steps: ['wms.receipt.posted', 'erp.inventory.posted', 'channel.published'] },
  ],
};

const policy = (overrides: Partial<SlaPolicy>): SlaPolicy => ({
  schemaVersion: 1,
  id: 'inventory-published',
  name: 'Stock visible within 90 s',
  flow: 'inventory_sync',
  start: { steps: ['pos.sale.captured', 'pos.return.captured', 'wms.receipt.posted'] },
  end: { step: 'channel.published', perChannel: true },
  deadline: 90_000,
  objective: 0.99,
  window: 3_600_000,
  groupBy: [],
  severity: 'critical',
  owner: 'ecommerce-ops',
  ...overrides,
});

function event(id: string, stepId: string, at: number, overrides: Partial<StoredEvent> = {}): StoredEvent {
  return baseEvent({ event_id: id, correlation_id: 'wms-GR-1', flow: 'inventory_sync', step: stepId, system: 'wms', occurred_at: iso(T0 + at), ...overrides });
}
const perChannel = (s: string) => s === 'channel.published';
const stepsFrom = (events: StoredEvent[]): LineageStep[] => stepsOf(events, perChannel);

describe('expectedSteps', () => {
  it('picks the variant sharing most steps with what was seen', () => {
    const picked = expectedSteps(inventory, new Set(['wms.receipt.posted', 'erp.inventory.posted']));

    expect(picked.variant).toEqual({ id: 'goods_receipt', name: 'Goods receipt' });
    expect(picked.steps.map((s) => s.id)).toEqual(['wms.receipt.posted', 'erp.inventory.posted', 'channel.published']);
  });

  it('breaks a tie by fewest seen steps the variant does not list, then by file order', () => {
    expect(expectedSteps(inventory, new Set(['erp.inventory.posted'])).variant?.id).toBe('store_sale');
    const odd = { ...inventory, variants: [{ id: 'wide', name: 'Wide', steps: ['erp.inventory.posted'] }, { id: 'narrow', name: 'Narrow', steps: ['erp.inventory.posted', 'x.y'] }] };
    expect(expectedSteps(odd, new Set(['erp.inventory.posted', 'x.y'])).variant?.id).toBe('narrow');
  });

  it('expects every step of a flow without variants', () => {
    const plain = { ...inventory, variants: [] };

    expect(expectedSteps(plain, new Set()).steps).toHaveLength(5);
    expect(expectedSteps(plain, new Set()).variant).toBeNull();
  });
});

describe('missingSteps', () => {
  it('lists each channel still to publish, aged from the last success, with the per-channel deadline', () => {
    const steps = stepsFrom([
      event('gr', 'wms.receipt.posted', 0),
      event('erp', 'erp.inventory.posted', 2_000, { system: 'erp' }),
      event('shop', 'channel.published', 5_000, { system: 'middleware', channel: 'shopify' }),
      event('amz', 'channel.published', 6_000, { system: 'middleware', channel: 'amazon', status: 'retrying', error_code: 'HTTP_429' }),
    ]);

    const { variant, missing } = missingSteps({ correlationId: 'wms-GR-1', flow: inventory, steps, policies: [policy({})], now: T0 + 100_000 });

    expect(variant?.id).toBe('goods_receipt');
    expect(missing).toEqual([
      {
        correlation_id: 'wms-GR-1',
        flow: 'inventory_sync',
        variant: 'goods_receipt',
        step: 'channel.published',
        channel: 'amazon',
        systems: ['middleware'],
        expected: 1,
        seen: 0,
        last_status: 'retrying',
        waiting_since: iso(T0 + 5_000),
        age_ms: 95_000,
        slas: [{ policy: 'inventory-published', name: 'Stock visible within 90 s', started_at: iso(T0), deadline_at: iso(T0 + 90_000), overdue: true, overdue_by_ms: 10_000 }],
      },
    ]);
  });

  it('gives a deadline not yet due as not overdue, and none for a policy that did not start in this correlation', () => {
    const steps = stepsFrom([event('gr', 'wms.receipt.posted', 0), event('erp', 'erp.inventory.posted', 2_000, { system: 'erp' })]);
    const policies = [policy({}), policy({ id: 'from-elsewhere', start: { steps: ['pos.sale.captured'] } }), policy({ id: 'amazon-only', end: { step: 'channel.published', perChannel: false, channel: 'amazon' } })];

    const { missing } = missingSteps({ correlationId: 'wms-GR-1', flow: inventory, steps, policies, now: T0 + 30_000 });

    expect(missing.map((m) => [m.channel, m.slas.map((s) => [s.policy, s.overdue, s.overdue_by_ms])])).toEqual([
      ['shopify', [['inventory-published', false, 0]]],
      [
        'amazon',
        [
          ['inventory-published', false, 0],
          ['amazon-only', false, 0],
        ],
      ],
    ]);
  });

  it('reports a step tried but never succeeded as missing, with the status it is stuck in', () => {
    const steps = stepsFrom([
      event('gr', 'wms.receipt.posted', 0),
      event('a1', 'erp.inventory.posted', 1_000, { system: 'middleware', status: 'retrying' }),
      event('a2', 'erp.inventory.posted', 31_000, { system: 'middleware', status: 'dead_lettered' }),
    ]);

    const { missing } = missingSteps({ correlationId: 'wms-GR-1', flow: inventory, steps, policies: [], now: T0 + 60_000 });

    expect(missing.map((m) => [m.step, m.channel, m.last_status, m.waiting_since])).toEqual([
      ['erp.inventory.posted', null, 'dead_lettered', iso(T0)],
      ['channel.published', 'shopify', null, iso(T0)],
      ['channel.published', 'amazon', null, iso(T0)],
    ]);
  });

  it('counts "many" as at least once', () => {
    const flow: Flow = { ...inventory, channels: [], steps: [step('settlement.line', ['amazon'], { occurrences: 'many' })], variants: [] };

    expect(missingSteps({ correlationId: 'c', flow, steps: stepsFrom([event('x', 'other.step', 0)]), policies: [], now: T0 }).missing.map((m) => m.expected)).toEqual([1]);
    expect(missingSteps({ correlationId: 'c', flow, steps: stepsFrom([event('l1', 'settlement.line', 0)]), policies: [], now: T0 }).missing).toEqual([]);
  });

  it('never reports an age below zero', () => {
    const steps = stepsFrom([event('gr', 'wms.receipt.posted', 10_000)]);

    expect(missingSteps({ correlationId: 'c', flow: inventory, steps, policies: [], now: T0 }).missing[0]?.age_ms).toBe(0);
  });
});

describe('correlationState', () => {
  const [missingOne] = missingSteps({ correlationId: 'c', flow: inventory, steps: stepsFrom([event('gr', 'wms.receipt.posted', 0)]), policies: [], now: T0 }).missing;

  it('is failed while a failed or dead-lettered step has not succeeded since', () => {
    expect(correlationState(stepsFrom([event('a', 'erp.inventory.posted', 0, { status: 'failed' })]), [])).toBe('failed');
    expect(correlationState(stepsFrom([event('a', 'erp.inventory.posted', 0, { status: 'dead_lettered' }), event('b', 'erp.inventory.posted', 1, { status: 'ok' })]), [])).toBe('complete');
  });

  it('is in progress while a step is missing or still retrying', () => {
    expect(correlationState(stepsFrom([event('a', 'wms.receipt.posted', 0)]), [missingOne!])).toBe('in_progress');
    expect(correlationState(stepsFrom([event('a', 'erp.inventory.posted', 0, { status: 'retrying' })]), [])).toBe('in_progress');
  });
});
