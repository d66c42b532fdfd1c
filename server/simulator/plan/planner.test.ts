import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../contracts/canonicalEvent.js';
import type { SimStep } from '../model.js';
import { scenarioIncidents, type ScenarioName } from '../scenarios.js';
import { computeTruth } from '../truth.js';
import { ERP_RETRY_OFFSETS_MS } from './erpPosting.js';
import { createPlanner } from './planner.js';

const START = Date.parse('2026-11-27T11:00:00Z');
const DURATION = 120_000;

const plans = new Map<string, ReturnType<typeof makePlan>>();
function plan(scenario: ScenarioName, seed: string | number = 7, rate = 80) {
  const key = `${scenario}/${seed}/${rate}`;
  if (!plans.has(key)) plans.set(key, makePlan(scenario, seed, rate));
  return plans.get(key)!;
}

function makePlan(scenario: ScenarioName, seed: string | number, rate: number) {
  const incidents = scenarioIncidents(scenario, START, DURATION);
  const planner = createPlanner({ seed, rate, start: START, daily: false, incidentsAt: () => incidents });
  const steps = planner.planUntil(START + DURATION);
  const truth = computeTruth({ scenario, seed: String(seed), rate, start: START, end: START + DURATION, incidents, steps, settlements: planner.settlements });
  return { steps, truth, incidents };
}

const byStep = (steps: readonly SimStep[], step: string) => steps.filter((s) => s.event.step === step);

describe('the planner', () => {
  it('plans the same estate and traffic for the same seed, however the time is asked for', () => {
    const whole = createPlanner({ seed: 3, rate: 60, start: START, incidentsAt: () => [] }).planUntil(START + 30_000);
    const chunked = createPlanner({ seed: 3, rate: 60, start: START, incidentsAt: () => [] });
    const pieces = [...chunked.planUntil(START + 7_000), ...chunked.planUntil(START + 19_500), ...chunked.planUntil(START + 30_000)];
    expect(JSON.stringify(pieces)).toBe(JSON.stringify(whole));
    const other = createPlanner({ seed: 4, rate: 60, start: START, incidentsAt: () => [] }).planUntil(START + 30_000);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(whole));
  });

  it('produces only events the canonical contract accepts, with unique ids', () => {
    const { steps } = plan('erp-outage');
    const problems = steps.map((s) => validateEvent(s.event)).filter((r) => !r.ok);
    expect(problems).toEqual([]);
    expect(new Set(steps.map((s) => s.event.event_id)).size).toBe(steps.length);
  });

  it('produces about the asked rate (a flat week) and every flow of the estate', () => {
    const { truth } = plan('normal', 7, 80);
    // Transactions still under way at the end have not produced all their steps yet.
    expect(truth.events.stored / (80 * DURATION / 1000)).toBeGreaterThan(0.7);
    expect(truth.events.stored / (80 * DURATION / 1000)).toBeLessThan(1.15);
    expect(Object.keys(truth.events.byFlowStep).sort()).toEqual(['inventory_sync', 'order_to_cash', 'return_to_refund', 'settlement_to_ledger', 'transfer']);
    expect(Object.keys(truth.events.byTransport).sort()).toEqual(['api', 'erp', 'file:journal', 'file:pos', 'file:settlement', 'shopify', 'span', 'stripe']);
    expect(truth.openExceptions).toEqual([]);
    expect(truth.settlements.mismatched).toEqual([]);
  });

  it('draws stores and SKUs from the whole estate with a long tail', () => {
    const { steps } = plan('peak', 7, 100);
    const stores = new Set(steps.map((s) => s.event.location_id).filter((l) => l?.startsWith('store-')));
    const skus = steps.map((s) => s.event.sku).filter((s): s is string => s !== undefined);
    expect(stores.size).toBeGreaterThan(250);
    expect(new Set(skus).size).toBeGreaterThan(5_000);
    const counts = [...skus.reduce((m, s) => m.set(s, (m.get(s) ?? 0) + 1), new Map<string, number>()).values()].sort((a, b) => b - a);
    expect(counts[0]!).toBeGreaterThan(10 * counts[Math.floor(counts.length / 2)]!);
  });
});

describe('scenarios', () => {
  it('erp-outage: postings in the outage retry, then dead-letter with the posting as replayable payload; none is applied inside it', () => {
    const { steps, truth, incidents } = plan('erp-outage');
    const [outage] = incidents;
    const applied = steps.filter((s) => s.via.kind === 'erp' && s.via.expect === 'applied');
    expect(applied.some((s) => s.event.occurred_at >= outage!.from && s.event.occurred_at < outage!.to)).toBe(false);
    const dead = steps.filter((s) => s.event.status === 'dead_lettered');
    expect(dead.length).toBeGreaterThan(20);
    for (const s of dead) {
      expect(s.event).toMatchObject({ system: 'middleware', target_system: 'erp', error_code: 'HTTP_503', error_class: 'technical', replay_target: 'erp' });
      expect(s.event.payload).toMatchObject({ idempotency_key: s.event.event_id.replace(/:attempt-\d+$/, '') });
    }
    expect(byStep(steps, 'erp.inventory.posted').filter((s) => s.event.status === 'retrying').length).toBeGreaterThan(dead.length);
    expect(truth.openExceptions.length).toBe(new Set(dead.filter((s) => s.deliverAt < START + DURATION).map((s) => s.event.correlation_id + s.event.step)).size);
    expect(ERP_RETRY_OFFSETS_MS.length).toBe(4);
  });

  it('marketplace-throttle: Amazon answers 429 and its lag grows while the other channels stay as usual', () => {
    const normal = plan('normal').truth.inventoryLag.byChannel;
    const { truth, steps } = plan('marketplace-throttle');
    expect(steps.some((s) => s.event.error_code === 'HTTP_429' && s.event.channel === 'amazon')).toBe(true);
    expect(truth.inventoryLag.byChannel.amazon!.p95).toBeGreaterThan(2 * normal.amazon!.p95);
    expect(truth.inventoryLag.byChannel.shopify!.p95).toBe(normal.shopify!.p95);
    expect(truth.openExceptions).toEqual([]);
  });

  it('store-offline: the store\'s sales arrive in one burst after it reconnects, and it becomes the worst location', () => {
    const { truth, steps, incidents } = plan('store-offline');
    const back = incidents[0]!.to;
    const held = steps.filter((s) => s.event.location_id === 'store-001' && s.event.step.startsWith('pos.') && s.event.occurred_at >= incidents[0]!.from && s.event.occurred_at < back);
    expect(held.length).toBeGreaterThan(0);
    for (const s of held) expect(s.deliverAt).toBeGreaterThanOrEqual(back);
    expect(truth.inventoryLag.worstLocations[0]!.location_id).toBe('store-001');
  });

  it('duplicates: messages are delivered two or three times, and the truth counts each event once', () => {
    const normal = plan('normal').truth;
    const { truth, steps } = plan('duplicates');
    expect(steps.some((s) => s.copies === 3)).toBe(true);
    expect(truth.events.deliveries).toBeGreaterThan(truth.events.stored * 1.3);
    expect(Math.abs(truth.events.stored - normal.events.stored) / normal.events.stored).toBeLessThan(0.02);
  });

  it('out-of-order: later steps of a transaction often arrive before earlier ones', () => {
    const { steps } = plan('out-of-order');
    const byCorrelation = new Map<string, SimStep[]>();
    for (const s of steps) byCorrelation.set(s.event.correlation_id, [...(byCorrelation.get(s.event.correlation_id) ?? []), s]);
    let inverted = 0;
    for (const list of byCorrelation.values()) {
      const byTime = [...list].sort((a, b) => a.event.occurred_at - b.event.occurred_at);
      const byDelivery = [...list].sort((a, b) => a.deliverAt - b.deliverAt);
      if (byTime.some((s, i) => s !== byDelivery[i])) inverted++;
    }
    expect(inverted / byCorrelation.size).toBeGreaterThan(0.3);
  });

  it('settlement-mismatch: Amazon deposits less than the ERP expects, by exactly the extra commission', () => {
    const { truth, steps } = plan('settlement-mismatch');
    expect(truth.settlements.mismatched.length).toBeGreaterThan(0);
    for (const m of truth.settlements.mismatched) {
      expect(m).toMatchObject({ source: 'amazon', reason: 'fee' });
      expect(Number(m.difference)).toBeLessThan(0);
      expect(Number(m.reported_net) - Number(m.erp_net)).toBeCloseTo(Number(m.difference), 2);
      const lines = steps.filter((s) => s.event.correlation_id === `settlement-${m.settlement_id}` && s.event.step === 'marketplace.settlement.line');
      const sum = lines.reduce((total, s) => total + Number(s.event.amount), 0);
      expect(sum).toBeCloseTo(Number(m.reported_net), 2);
    }
    expect(truth.settlements.reported.filter((s) => s.source === 'stripe').every((s) => s.difference === '0.00')).toBe(true);
  });

  it('refund-lost: refunds in the window never reach the ledger, and the truth names them as lost', () => {
    const { truth, steps, incidents } = plan('refund-lost');
    const lost = truth.refunds.missingLedger.filter((r) => r.lost);
    expect(lost.length).toBeGreaterThan(3);
    for (const r of lost) {
      expect(r.refunded_at).toBeGreaterThanOrEqual(incidents[0]!.from - 1000);
      expect(r.refunded_at).toBeLessThan(incidents[0]!.to);
      expect(steps.some((s) => s.event.correlation_id === r.correlation_id && s.event.step.startsWith('erp.'))).toBe(false);
    }
    expect(plan('normal').truth.refunds.missingLedger.every((r) => !r.lost)).toBe(true);
  });

  it('peak: ten times the traffic', () => {
    const normal = plan('normal', 7, 20).truth.events.stored;
    const peak = plan('peak', 7, 20).truth.events.stored;
    expect(peak / normal).toBeGreaterThan(8);
    expect(peak / normal).toBeLessThan(12);
  });
});

describe('the trading week', () => {
  const night = Date.parse('2026-11-27T02:00:00Z'); // 03:00 in Berlin
  const stepsAt = (daily: boolean) => createPlanner({ seed: 5, rate: 80, start: night, daily, incidentsAt: () => [] }).planUntil(night + 60_000);

  it('has no store sales while the stores are closed, but online orders go on', () => {
    const steps = stepsAt(true);
    expect(steps.some((s) => s.event.step === 'pos.sale.captured')).toBe(false);
    expect(steps.some((s) => s.event.step === 'shop.order.created')).toBe(true);
  });

  it('keeps stores trading at every hour when the week is flat', () => {
    expect(stepsAt(false).some((s) => s.event.step === 'pos.sale.captured')).toBe(true);
  });
});
