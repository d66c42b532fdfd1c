import { describe, expect, it } from 'vitest';
import { createTokenBucket } from './tokenBucket.js';

/** Runs `count` callers through the bucket the way a waiting caller would, returning when each one goes. */
function schedule(ratePerSecond: number, count: number, start = 1_000_000, capacity?: number): number[] {
  const bucket = createTokenBucket({ ratePerSecond, ...(capacity === undefined ? {} : { capacity }) });
  return Array.from({ length: count }, () => start + bucket.reserve(start));
}

describe('createTokenBucket', () => {
  it('lets the first request go at once', () => {
    expect(createTokenBucket({ ratePerSecond: 5 }).reserve(0)).toBe(0);
  });

  it('spaces N requests at r per second over about N / r seconds', () => {
    const start = 1_000_000;
    const times = schedule(5, 50, start);

    expect(times.at(-1)! - start).toBe(49 * 200);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(Array(49).fill(200));
  });

  it('handles rates below one per second', () => {
    expect(schedule(0.5, 3, 0)).toEqual([0, 2000, 4000]);
  });

  it('refills with time but never beyond its capacity', () => {
    const bucket = createTokenBucket({ ratePerSecond: 10, capacity: 3 });
    expect([0, 0, 0, 0].map(() => bucket.reserve(0))).toEqual([0, 0, 0, 100]);
    // An hour idle gives three tokens, not 36,000.
    const later = 3_600_000;
    expect([0, 0, 0, 0].map(() => bucket.reserve(later))).toEqual([0, 0, 0, 100]);
  });

  it('gives a released token to the next caller', () => {
    const bucket = createTokenBucket({ ratePerSecond: 1 });
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(1000);
    bucket.release(10); // the second caller was aborted while waiting
    expect(bucket.reserve(10)).toBe(990);
  });

  it('does not hand out tokens when the clock steps back', () => {
    const bucket = createTokenBucket({ ratePerSecond: 1 });
    expect(bucket.reserve(5000)).toBe(0);
    expect(bucket.reserve(1000)).toBe(1000);
  });

  it('refuses a rate or capacity it cannot keep', () => {
    expect(() => createTokenBucket({ ratePerSecond: 0 })).toThrow('ratePerSecond must be a positive number, got 0');
    expect(() => createTokenBucket({ ratePerSecond: Number.NaN })).toThrow(RangeError);
    expect(() => createTokenBucket({ ratePerSecond: 1, capacity: 0.5 })).toThrow('capacity must be at least 1, got 0.5');
  });
});
