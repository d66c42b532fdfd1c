import { describe, expect, it } from 'vitest';
import { burnRate, classify, evaluate, figures, type SlaCounts, type SlaGroupCounts, type SlaPolicyShape } from './sla.js';

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
    expect(figures({ met: 1, late: 1, open_breached: 1, in_progress: 1 })).toEqual({ met: 1, late: 1, open_breached: 1, in_progress: 1, attainment: 1 / 3 });
    expect(figures({ met: 0, late: 0, open_breached: 0, in_progress: 3 })).toEqual({ met: 0, late: 0, open_breached: 0, in_progress: 3, attainment: null });
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

function group(g: Record<string, string>, counts: Partial<SlaCounts>, recent: { decided: number; bad: number }[]): SlaGroupCounts {
  return { group: g, met: 0, late: 0, open_breached: 0, in_progress: 0, ...counts, recent };
}
