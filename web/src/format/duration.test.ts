import { describe, expect, it } from 'vitest';
import { formatDuration, formatOffset } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [1000, '1 s'],
    [4_240, '4.2 s'],
    [42_000, '42 s'],
    [192_000, '3 min 12 s'],
    [180_000, '3 min'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 5 min'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
    [-1_500, '−1.5 s'],
  ])('%d ms reads as %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it('shows a dash for a value that is not a number', () => {
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});

describe('formatOffset', () => {
  it('signs offsets from the first event', () => {
    expect(formatOffset(0)).toBe('+0 ms');
    expect(formatOffset(1_200)).toBe('+1.2 s');
    expect(formatOffset(-300)).toBe('−300 ms');
  });
});
