import { describe, expect, it } from 'vitest';
import { burnRate, classify, errorBudget, evaluate, figures, inGroup, parseGroupFilter, seriesBuckets, seriesPoints, type SlaCounts, type SlaGroupCounts, type SlaPolicyShape } from './sla.js';

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
    expect(figures({ met: 1, late: 1, open_breached: 1, in_progress: 1 }, 0.5)).toMatchObject({ met: 1, late: 1, open_breached: 1, in_progress: 1, attainment: 1 / 3 });
    expect(figures({ met: 0, late: 0, open_breached: 0, in_progress: 3 }, 0.5)).toMatchObject({ met: 0, late: 0, open_breached: 0, in_progress: 3, attainment: null, error_budget: { allowed: 0, spent: 0, remaining: null } });
  });

  it('spends the error budget the objective allows: what is left, or how far it is overspent', () => {
    // 99 % of 200 decided: 2 may break. One broke: half the budget left; six broke: spent three times over.
    expect(errorBudget(200, 1, 0.99)).toEqual({ allowed: expect.closeTo(2, 9), spent: 1, remaining: expect.closeTo(0.5, 9) });
    expect(errorBudget(200, 6, 0.99).remaining).toBeCloseTo(-2, 9);
    expect(errorBudget(200, 0, 0.99).remaining).toBe(1);
    expect(figures({ met: 9, late: 1, open_breached: 0, in_progress: 5 }, 0.9).error_budget).toEqual({ allowed: expect.closeTo(1, 9), spent: 1, remaining: expect.closeTo(0, 9) });
  });

  it('burns the error budget per window, and alerts only when the short and the long window both burn', () => {
    // 20 met long ago; lately 1 met and 3 broken. Short window: 3 of 4 broke → 0.75 / 0.1 = 7.5; long: 3 of 24 → 1.25.
    expect(burnRate(policy, { decided: 4, bad: 3 }, 300_000)).toEqual({ window_ms: 300_000, rate: expect.closeTo(7.5, 6) });
    expect(burnRate(policy, { decided: 24, bad: 3 }, 3_600_000).rate).toBeCloseTo(1.25, 6);
    expect(burnRate(policy, { decided: 0, bad: 0 }, 300_000).rate).toBeNull();
    const once = evaluate(policy, [group({}, { met: 21, open_breached: 3 }, [{ decided: 4, bad: 3 }, { decided: 24, bad: 3 }])]);
    expect(once.burn).toMatchObject({ factor: 2, alerting: false });
    expect(once.breaching).toBe(true); // open past the deadline
    const both = evaluate(policy, [group({}, { met: 1, late: 3 }, [{ decided: 4, bad: 3 }, { decided: 4, bad: 3 }])]);
    expect(both.burn?.alerting).toBe(true);
  });

  it('adds the groups up, the burn windows too, and lists each group worst first', () => {
    const evaluation = evaluate(policy, [
      group({ channel: 'shopify' }, { met: 3 }, [{ decided: 1, bad: 0 }, { decided: 3, bad: 0 }]),
      group({ channel: 'amazon' }, { late: 1, in_progress: 2 }, [{ decided: 1, bad: 1 }, { decided: 1, bad: 1 }]),
    ]);
    expect(evaluation.groups.map((g) => [g.group.channel, g.attainment])).toEqual([
      ['amazon', 0],
      ['shopify', 1],
    ]);
    expect(evaluation).toMatchObject({ met: 3, late: 1, in_progress: 2, attainment: 0.75 });
    expect(evaluation.burn?.short.rate).toBeCloseTo(5, 6);
    expect(evaluation.burn?.long.rate).toBeCloseTo(2.5, 6);
  });

  it('neither burns nor breaches on nothing', () => {
    expect(evaluate(policy, [])).toMatchObject({ met: 0, attainment: null, breaching: false, groups: [], burn: { alerting: false, short: { rate: null } } });
  });
});

describe('SLA groups and series', () => {
  it('reads a group asked for as dimension:value against the dimensions the policy groups by', () => {
    expect(parseGroupFilter(['channel:amazon'], ['channel'])).toEqual({ ok: true, group: { channel: 'amazon' } });
    expect(parseGroupFilter(['key:order_id:SO:1', 'channel:zalando'], ['channel', 'key:order_id'])).toEqual({ ok: true, group: { 'key:order_id': 'SO:1', channel: 'zalando' } });
    expect(parseGroupFilter([], [])).toEqual({ ok: true, group: {} });
    expect(parseGroupFilter(['region:eu'], ['channel'])).toEqual({ ok: false, message: '"region:eu" names no dimension the policy groups by; use dimension:value with a dimension of this policy (channel), e.g. channel:…' });
    expect(parseGroupFilter(['channel:amazon'], [])).toEqual({ ok: false, message: '"channel:amazon" names no dimension the policy groups by; this policy has no groups' });
    expect(parseGroupFilter(['channel:amazon', 'channel:shopify'], ['channel'])).toEqual({ ok: false, message: 'channel is given twice' });
  });

  it('keeps the instances of a group, all of them for no group', () => {
    expect(inGroup({ channel: 'amazon', location_id: 'store-1' }, { channel: 'amazon' })).toBe(true);
    expect(inGroup({ channel: 'shopify' }, { channel: 'amazon' })).toBe(false);
    expect(inGroup({ channel: 'shopify' }, {})).toBe(true);
  });

  it('cuts a window into whole-second buckets aligned to their size, so points stay put as time moves', () => {
    const now = Date.UTC(2026, 10, 27, 11, 30, 20);
    expect(seriesBuckets(3_600_000, now, 60)).toEqual({ from: Date.UTC(2026, 10, 27, 10, 30), bucketMs: 60_000, count: 61 });
    expect(seriesBuckets(6 * 3_600_000, now, 60).bucketMs).toBe(360_000);
    expect(seriesBuckets(90_000, now, 120).bucketMs).toBe(1000);
  });

  it('fills every bucket, empty ones with zeros and no attainment', () => {
    const points = seriesPoints([{ bucket: 1, met: 3, late: 1, open_breached: 0, in_progress: 2 }], 1_000, 500, 3);
    expect(points).toEqual([
      { t: 1_000, met: 0, late: 0, open_breached: 0, in_progress: 0, attainment: null },
      { t: 1_500, met: 3, late: 1, open_breached: 0, in_progress: 2, attainment: 0.75 },
      { t: 2_000, met: 0, late: 0, open_breached: 0, in_progress: 0, attainment: null },
    ]);
  });
});

function group(g: Record<string, string>, counts: Partial<SlaCounts>, recent: { decided: number; bad: number }[]): SlaGroupCounts {
  return { group: g, met: 0, late: 0, open_breached: 0, in_progress: 0, ...counts, recent };
}
