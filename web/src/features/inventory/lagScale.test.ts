import { describe, expect, it } from 'vitest';
import { durationTicks, formatLagTick, formatTimeTick, heatLevel, timeTicks } from './lagScale';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
const T = Date.UTC(2026, 10, 27, 14, 3, 20);

describe('lag scales', () => {
  it('puts a lag on a heat level people recognise: live, seconds, a minute, minutes, oversell territory', () => {
    expect([0, 9_999, 10_000, 45_000, 60_000, 299_999, 300_000, 899_999, 900_000, 7_200_000].map(heatLevel)).toEqual([0, 0, 1, 2, 3, 3, 4, 4, 5, 5]);
  });

  it('gives round duration ticks from zero to just above the highest lag', () => {
    expect(durationTicks(0)).toEqual([0, 1_000]);
    expect(durationTicks(3_400)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
    expect(durationTicks(95_000)).toEqual([0, 30_000, 60_000, 90_000, 120_000]);
    expect(durationTicks(8 * 60_000 + 5_000)).toEqual([0, 300_000, 600_000]);
  });

  it('writes lag ticks short enough for the axis', () => {
    expect([0, 500, 30_000, 90_000, 7_200_000, 129_600_000].map(formatLagTick)).toEqual(['0', '500 ms', '30 s', '1.5 min', '2 h', '1.5 d']);
  });

  it('puts time ticks on round steps of the viewer\'s clock', () => {
    expect(timeTicks(T - 3_600_000, T)).toEqual({ stepMs: 600_000, ticks: [10, 20, 30, 40, 50, 60].map((m) => Date.UTC(2026, 10, 27, 13, m)) });
    // Half an hour east of UTC: hourly ticks on local hours, i.e. at half past in UTC.
    const sixHours = timeTicks(T - 6 * 3_600_000, T, 30 * 60_000);
    expect(sixHours.stepMs).toBe(3_600_000);
    expect(sixHours.ticks[0]).toBe(Date.UTC(2026, 10, 27, 8, 30));
    expect(formatTimeTick(Date.UTC(2026, 10, 27, 14, 5), 600_000, utc)).toBe('14:05');
    expect(formatTimeTick(Date.UTC(2026, 10, 27), 86_400_000, utc)).toBe('27 Nov');
  });
});
