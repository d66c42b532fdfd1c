import { describe, expect, it } from 'vitest';
import { RecentIds } from './recentIds.js';

describe('RecentIds', () => {
  it('remembers ids it was given', () => {
    const ids = new RecentIds(10);
    ids.add('a');
    expect(ids.has('a')).toBe(true);
    expect(ids.has('b')).toBe(false);
  });

  it('keeps at most two generations, forgetting the oldest first', () => {
    const ids = new RecentIds(2);
    for (const id of ['a', 'b', 'c', 'd', 'e']) ids.add(id);
    expect(ids.has('a')).toBe(false);
    expect(ids.has('b')).toBe(false);
    expect(ids.has('c')).toBe(true);
    expect(ids.has('e')).toBe(true);
    expect(ids.size).toBeLessThanOrEqual(4);
  });

  it('does not grow when the same id is added again', () => {
    const ids = new RecentIds(2);
    ids.add('a');
    ids.add('a');
    ids.add('b');
    expect(ids.size).toBe(2);
  });
});
