import { describe, expect, it } from 'vitest';
import { decideLease, liveHolder, stillHeld, type LeaseTerm } from './replayLease.js';

const term = (over: Partial<LeaseTerm> = {}): LeaseTerm => ({ term: 3, takers: ['a'], expiresAt: 10_000, released: false, ...over });

describe('replay job leases', () => {
  it('takes term 1 of a job nobody ran', () => {
    expect(decideLease(undefined, 'a', 0)).toEqual({ kind: 'take', term: 1, takeover: false });
  });

  it('leaves a live lease to its holder, and says until when', () => {
    expect(decideLease(term(), 'b', 9_999)).toEqual({ kind: 'held', holder: 'a', until: 10_000 });
    expect(decideLease(term(), 'a', 9_999)).toEqual({ kind: 'mine', term: 3 });
  });

  it('takes the next term after a release, and takes over after an expiry', () => {
    expect(decideLease(term({ released: true }), 'b', 5_000)).toEqual({ kind: 'take', term: 4, takeover: false });
    expect(decideLease(term(), 'b', 10_000)).toEqual({ kind: 'take', term: 4, takeover: true });
    // Its own expired term too: a holder that lost it cannot know what it left half-done.
    expect(decideLease(term(), 'a', 10_001)).toEqual({ kind: 'take', term: 4, takeover: true });
  });

  it('counts a term two servers both took as held by neither', () => {
    const contested = term({ takers: ['a', 'b'] });
    expect(liveHolder(contested, 0)).toBeUndefined();
    expect(decideLease(contested, 'a', 0)).toEqual({ kind: 'take', term: 4, takeover: true });
    expect(stillHeld(contested, 3, 'a', 0)).toBe(false);
  });

  it('is still held only in the same live term by the same server', () => {
    expect(stillHeld(term(), 3, 'a', 9_000)).toBe(true);
    expect(stillHeld(term(), 3, 'a', 10_000)).toBe(false);
    expect(stillHeld(term({ term: 4, takers: ['b'] }), 3, 'a', 0)).toBe(false);
    expect(stillHeld(term({ released: true }), 3, 'a', 0)).toBe(false);
    expect(stillHeld(undefined, 3, 'a', 0)).toBe(false);
  });
});
