import { describe, expect, it } from 'vitest';
import { describeTimeRange, parseTimeRange, rangeParams, resolveTimeRange, timeRangeKey } from './timeRange';

const none = { range: '', from: '', to: '' };

describe('parseTimeRange', () => {
  it('uses the view default when the URL names no range', () => {
    expect(parseTimeRange(none, '1h')).toEqual({ range: { kind: 'relative', range: '1h' } });
  });

  it('reads a relative range and an absolute one, the absolute one winning', () => {
    expect(parseTimeRange({ ...none, range: '24h' }, '1h').range).toEqual({ kind: 'relative', range: '24h' });
    const absolute = { range: '24h', from: '2026-11-27T10:00:00Z', to: '2026-11-27T11:00:00Z' };
    expect(parseTimeRange(absolute, '1h').range).toEqual({ kind: 'absolute', from: Date.UTC(2026, 10, 27, 10), to: Date.UTC(2026, 10, 27, 11) });
    expect(parseTimeRange({ ...none, from: '1000', to: '2000' }, '1h').range).toEqual({ kind: 'absolute', from: 1000, to: 2000 });
  });

  it('falls back to the default and says why when the link is broken', () => {
    expect(parseTimeRange({ ...none, range: '3w' }, '1h')).toEqual({
      range: { kind: 'relative', range: '1h' },
      problem: 'The link\'s range "3w" is not one of 15m, 1h, 6h, 24h, 7d; showing last hour.',
    });
    expect(parseTimeRange({ ...none, from: 'yesterday', to: '2026-11-27T11:00:00Z' }, '1h').problem).toBe('The link\'s time range was ignored: "from" (yesterday) is not a time.');
    expect(parseTimeRange({ ...none, from: '2026-11-27T11:00:00Z', to: '2026-11-27T10:00:00Z' }, '1h').problem).toMatch(/"from" is not before "to"/);
    expect(parseTimeRange({ ...none, from: '2026-11-01T00:00:00Z', to: '2026-11-27T00:00:00Z' }, '1h').problem).toMatch(/longer than 7 days/);
    expect(parseTimeRange({ ...none, from: '2026-11-01T00:00:00Z' }, '6h').problem).toMatch(/"to" \(missing\)/);
  });
});

describe('resolveTimeRange', () => {
  it('ends a relative range now, to the second, and keeps an absolute one', () => {
    expect(resolveTimeRange({ kind: 'relative', range: '15m' }, 1_700_000_123_456)).toEqual({ from: 1_700_000_123_000 - 900_000, to: 1_700_000_123_000 });
    expect(resolveTimeRange({ kind: 'absolute', from: 5, to: 9 }, 1_700_000_000_000)).toEqual({ from: 5, to: 9 });
  });
});

describe('round trips and labels', () => {
  it('writes all three URL parameters so one kind clears the other', () => {
    expect(rangeParams({ kind: 'relative', range: '7d' })).toEqual({ range: '7d', from: '', to: '' });
    const absolute = { kind: 'absolute', from: Date.UTC(2026, 10, 27, 10), to: Date.UTC(2026, 10, 27, 11) } as const;
    expect(parseTimeRange(rangeParams(absolute), '1h').range).toEqual(absolute);
  });

  it('keys relative ranges by name and absolute ones by their bounds', () => {
    expect(timeRangeKey({ kind: 'relative', range: '1h' })).toBe('1h');
    expect(timeRangeKey({ kind: 'absolute', from: 1, to: 2 })).toBe('1-2');
  });

  it('describes ranges for people', () => {
    const utc = { locale: 'en-GB', timeZone: 'UTC' };
    expect(describeTimeRange({ kind: 'relative', range: '24h' }, utc)).toBe('Last 24 hours');
    expect(describeTimeRange({ kind: 'absolute', from: Date.UTC(2026, 10, 27, 10), to: Date.UTC(2026, 10, 27, 11, 30) }, utc)).toBe('27 Nov, 10:00 – 11:30');
    expect(describeTimeRange({ kind: 'absolute', from: Date.UTC(2026, 10, 26, 22), to: Date.UTC(2026, 10, 27, 2) }, utc)).toBe('26 Nov, 22:00 – 27 Nov, 02:00');
  });
});
