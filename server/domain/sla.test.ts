import { describe, expect, it } from 'vitest';
import { burnRate, classify, evaluate, figures, instancesOf, type SlaPolicyShape } from './sla.js';

const policy: SlaPolicyShape = { id: 'p', deadlineMs: 60_000, objective: 0.9, windowMs: 3_600_000, groupBy: ['channel'], burnRate: { shortMs: 300_000, longMs: 3_600_000, factor: 2 } };
const NOW = 10_000_000;

describe('SLA evaluation', () => {
  it('tells met, finished late, open past the deadline and in progress apart', () => {
    expect(classify(0, 60_000, 60_000, NOW)).toEqual({ outcome: 'met', elapsed_ms: 60_000, overdue_by_ms: 0 });
    expect(classify(0, 61_000, 60_000, NOW)).toEqual({ outcome: 'late', elapsed_ms: 61_000, overdue_by_ms: 1_000 });
    expect(classify(NOW - 90_000, 0, 60_000, NOW)).toEqual({ outcome: 'open_breached', elapsed_ms: 90_000, overdue_by_ms: 30_000 });
    expect(classify(NOW - 30_000, 0, 60_000, NOW)).toEqual({ outcome: 'in_progress', elapsed_ms: 30_000, overdue_by_ms: 0 });
  });

  it('counts attainment over decided instances only', () => {
    const instances = instancesOf(policy, [
      { correlation_id: 'a', start_ms: NOW - 600_000, end_ms: NOW - 590_000, dims: { channel: 'amazon' } },
      { correlation_id: 'b', start_ms: NOW - 600_000, end_ms: NOW - 400_000, dims: { channel: 'amazon' } },
      { correlation_id: 'c', start_ms: NOW - 600_000, end_ms: 0, dims: { channel: 'shopify' } },
      { correlation_id: 'd', start_ms: NOW - 10_000, end_ms: 0, dims: { channel: 'shopify' } },
    ], NOW);
    expect(figures(instances)).toEqual({ met: 1, late: 1, open_breached: 1, in_progress: 1, attainment: 1 / 3 });
    expect(figures([])).toEqual({ met: 0, late: 0, open_breached: 0, in_progress: 0, attainment: null });
    expect(instances[0]!.group).toEqual({ channel: 'amazon' });
  });

  it('burns the error budget per window, and alerts only when the short and the long window both burn', () => {
    const old = Array.from({ length: 20 }, (_, i) => ({ correlation_id: `old${i}`, start_ms: NOW - 3_000_000, end_ms: NOW - 2_990_000, dims: {} }));
    const fresh = Array.from({ length: 4 }, (_, i) => ({ correlation_id: `new${i}`, start_ms: NOW - 200_000, end_ms: i === 0 ? NOW - 190_000 : 0, dims: {} }));
    const instances = instancesOf(policy, [...old, ...fresh], NOW);
    // Short window: 3 of 4 broke → 0.75 / 0.1 = 7.5; long: 3 of 24 → 0.125 / 0.1 = 1.25.
    expect(burnRate(policy, instances, NOW, 300_000).rate).toBeCloseTo(7.5, 6);
    expect(burnRate(policy, instances, NOW, 3_600_000).rate).toBeCloseTo(1.25, 6);
    const once = evaluate(policy, instances, NOW);
    expect(once.burn).toMatchObject({ factor: 2, alerting: false });
    expect(once.breaching).toBe(true); // open past the deadline
    const all = evaluate(policy, instancesOf(policy, fresh, NOW), NOW);
    expect(all.burn?.alerting).toBe(true);
    expect(burnRate(policy, [], NOW, 300_000).rate).toBeNull();
  });

  it('evaluates each group, worst first', () => {
    const evaluation = evaluate(policy, instancesOf(policy, [
      { correlation_id: 'a', start_ms: NOW - 600_000, end_ms: NOW - 590_000, dims: { channel: 'shopify' } },
      { correlation_id: 'b', start_ms: NOW - 600_000, end_ms: NOW - 100_000, dims: { channel: 'amazon' } },
    ], NOW), NOW);
    expect(evaluation.groups.map((g) => [g.group.channel, g.attainment])).toEqual([
      ['amazon', 0],
      ['shopify', 1],
    ]);
    expect(evaluation.attainment).toBe(0.5);
  });
});
