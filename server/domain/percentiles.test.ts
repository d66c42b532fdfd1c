import { describe, expect, it } from 'vitest';
import { exactQuantile, percentiles } from './percentiles.js';

describe('percentiles', () => {
  it('takes the value at rank ⌊q·n⌋ of the sorted values, as ClickHouse quantileExactHigh does', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ count: 100, p50: 51, p95: 96, p99: 100, max: 100 });
    const odd = Array.from({ length: 201 }, (_, i) => i + 1);
    expect(percentiles(odd)).toMatchObject({ p50: 101, p95: 191, p99: 199 });
    expect(percentiles([4, 1, 7, 2, 6, 3, 5])).toMatchObject({ p50: 4, p95: 7, p99: 7 });
  });

  it('is all zero for no values, and the value itself for one', () => {
    expect(percentiles([])).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(percentiles([7])).toEqual({ count: 1, p50: 7, p95: 7, p99: 7, max: 7 });
    expect(exactQuantile([], 0.5)).toBe(0);
  });
});
