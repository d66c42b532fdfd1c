import { describe, expect, it } from 'vitest';
import { clearedFilters, detailLookbackSeconds, hasActiveFilters, listSearchParams, parsePage, parseSort, rangeQuery, type InboxFilters } from './inboxQuery';

const none: InboxFilters = { owner: '', flow: '', system: '', bucket: '', error: '', class: '', state: '', kind: '' };
const NOW = Date.UTC(2026, 10, 27, 12);

describe('the inbox query', () => {
  it('sends the URL filters under the API names, with the page as an offset', () => {
    const params = listSearchParams({ filters: { ...none, owner: 'finance', error: 'HTTP_503', class: 'technical' }, sort: 'newest', page: 3, pageSize: 50, range: { kind: 'relative', range: '24h' } }, NOW);
    expect(Object.fromEntries(params)).toEqual({ lookback: '86400', owner: 'finance', error_code: 'HTTP_503', error_class: 'technical', sort: 'newest', limit: '50', offset: '100' });
  });

  it('asks an absolute range by its bounds, and nothing extra on the default first page', () => {
    const range = { kind: 'absolute', from: Date.UTC(2026, 10, 27, 10), to: Date.UTC(2026, 10, 27, 11) } as const;
    expect(Object.fromEntries(listSearchParams({ filters: none, sort: 'oldest', page: 1, pageSize: 20, range }, NOW))).toEqual({ from: '2026-11-27T10:00:00.000Z', to: '2026-11-27T11:00:00.000Z', limit: '20' });
    expect(rangeQuery(undefined, NOW)).toEqual({});
  });

  it('opens one exception with at least a week of lookback, back to the start of an old range', () => {
    expect(detailLookbackSeconds({ kind: 'relative', range: '1h' }, NOW)).toBe(7 * 86_400);
    expect(detailLookbackSeconds({ kind: 'absolute', from: NOW - 20 * 86_400_000, to: NOW - 19 * 86_400_000 }, NOW)).toBe(20 * 86_400);
    expect(detailLookbackSeconds({ kind: 'absolute', from: NOW - 200 * 86_400_000, to: NOW - 199 * 86_400_000 }, NOW)).toBe(90 * 86_400);
  });

  it('counts the default states as no filter, and clears every filter and the page at once', () => {
    expect(hasActiveFilters(none)).toBe(false);
    expect(hasActiveFilters({ ...none, state: 'open,acknowledged' })).toBe(false);
    expect(hasActiveFilters({ ...none, state: 'resolved' })).toBe(true);
    expect(hasActiveFilters({ ...none, bucket: 'over_24h' })).toBe(true);
    expect(Object.keys(clearedFilters())).toEqual(['owner', 'flow', 'system', 'bucket', 'error', 'class', 'state', 'kind', 'page']);
  });

  it('reads a broken page or sort from a pasted link as the default', () => {
    expect([parsePage(''), parsePage('2'), parsePage('0'), parsePage('x'), parsePage('1.5')]).toEqual([1, 2, 1, 1, 1]);
    expect([parseSort(''), parseSort('newest'), parseSort('age')]).toEqual(['oldest', 'newest', 'oldest']);
  });
});
