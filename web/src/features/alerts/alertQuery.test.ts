import { describe, expect, it } from 'vitest';
import { alertItem, alertList, T0 } from './alertFixtures';
import { STATE_CHOICES, alertListParams, alertListSearchKey, choiceCount, hasActiveFilters, lookbackSeconds, matchesFilters, parsePage, stateChoice, withinRange } from './alertQuery';

const none = { owner: '', severity: '', rule: '' };

describe('the Alerts screen link', () => {
  it('opens on the open alerts and names the other tabs by their state', () => {
    expect(stateChoice('').choice.states).toEqual(['pending', 'firing', 'acknowledged']);
    expect(stateChoice('muted').choice.states).toEqual(['muted']);
    expect(stateChoice('all').choice.states).toEqual(['pending', 'firing', 'acknowledged', 'resolved', 'inactive']);
  });

  it('falls back to the open alerts and says why when the link names an unknown tab', () => {
    const { choice, problem } = stateChoice('burning');
    expect(choice.value).toBe('');
    expect(problem).toBe("The link's state \"burning\" is not one of firing, acknowledged, muted, pending, resolved, all; showing open alerts.");
  });

  it('counts each tab from the counts of the answer', () => {
    const counts = alertList([alertItem(), alertItem({ id: 'b', state: 'acknowledged' }), alertItem({ id: 'c', state: 'resolved' })]).counts;
    expect(STATE_CHOICES.map((c) => [c.label, choiceCount(c, counts)])).toEqual([
      ['Open', 2],
      ['Firing', 1],
      ['Acknowledged', 1],
      ['Muted', 0],
      ['Pending', 0],
      ['Resolved', 1],
      ['All', 3],
    ]);
  });

  it('reads closed alerts back over the range (at least a minute, at most 90 days)', () => {
    expect(lookbackSeconds({ kind: 'relative', range: '24h' }, T0)).toBe(86_400);
    expect(lookbackSeconds({ kind: 'absolute', from: T0 - 3 * 86_400_000, to: T0 - 86_400_000 }, T0)).toBe(3 * 86_400);
    expect(lookbackSeconds({ kind: 'absolute', from: T0 - 10, to: T0 }, T0)).toBe(60);
    expect(alertListParams(stateChoice('firing').choice, { kind: 'relative', range: '1h' }, T0).toString()).toBe('state=firing&lookback=3600&limit=500');
  });

  it('keys a tab and range without the clock', () => {
    expect(alertListSearchKey(stateChoice('').choice, { kind: 'relative', range: '6h' })).toBe('open|6h');
    expect(alertListSearchKey(stateChoice('resolved').choice, { kind: 'absolute', from: 1, to: 2 })).toBe('resolved|1-2');
  });

  it('keeps open alerts and those closed inside a fixed range', () => {
    const range = { kind: 'absolute', from: T0 - 3_600_000, to: T0 - 1_800_000 } as const;
    const open = alertItem({ id: 'open', updated_at: T0 - 86_400_000 });
    const inside = alertItem({ id: 'inside', state: 'resolved', updated_at: T0 - 2_000_000 });
    const after = alertItem({ id: 'after', state: 'resolved', updated_at: T0 - 60_000 });
    expect(withinRange([open, inside, after], range).map((a) => a.id)).toEqual(['open', 'inside']);
    expect(withinRange([open, inside, after], { kind: 'relative', range: '1h' })).toHaveLength(3);
  });

  it('narrows by owner, severity and rule', () => {
    expect(matchesFilters(alertItem(), { ...none, owner: 'finance', severity: 'critical' })).toBe(true);
    expect(matchesFilters(alertItem(), { ...none, rule: 'error-budget-burn' })).toBe(false);
    expect(hasActiveFilters(none)).toBe(false);
    expect(hasActiveFilters({ ...none, severity: 'warning' })).toBe(true);
  });

  it('reads the page, the first for anything else', () => {
    expect(parsePage('3')).toBe(3);
    expect(parsePage('0')).toBe(1);
    expect(parsePage('two')).toBe(1);
  });
});
