import { describe, expect, it } from 'vitest';
import { localHour, tradingDay } from './tradingDay.js';

const factor = tradingDay('Europe/Berlin');
const at = (iso: string) => Date.parse(iso);

describe('tradingDay', () => {
  it('opens the stores from 08:00 to 20:00 local time, Monday to Saturday', () => {
    expect(factor('store', at('2026-11-27T06:59:00Z'))).toBe(0); // Fri 07:59 in Berlin
    expect(factor('store', at('2026-11-27T07:00:00Z'))).toBeGreaterThan(0); // 08:00
    expect(factor('store', at('2026-11-27T18:59:00Z'))).toBeGreaterThan(1); // 19:59, the evening rush
    expect(factor('store', at('2026-11-27T19:00:00Z'))).toBe(0); // 20:00
    expect(factor('store', at('2026-11-29T12:00:00Z'))).toBe(0); // Sunday
  });

  it('keeps online orders going all night, lowest in the small hours, highest in the evening', () => {
    const small = factor('online', at('2026-11-27T03:00:00Z'));
    const evening = factor('online', at('2026-11-27T19:00:00Z'));
    expect(small).toBeGreaterThan(0);
    expect(evening / small).toBeGreaterThan(8);
  });

  it('averages 1 over a week for every family, so the asked rate is the weekly mean', () => {
    for (const family of ['store', 'online', 'warehouse'] as const) {
      let sum = 0;
      const monday = at('2026-11-23T00:30:00+01:00');
      for (let h = 0; h < 7 * 24; h++) sum += factor(family, monday + h * 3_600_000);
      expect(sum / (7 * 24)).toBeCloseTo(1, 6);
    }
  });

  it('follows daylight saving time', () => {
    const hour = localHour('Europe/Berlin');
    expect(hour(at('2026-07-01T10:00:00Z'))).toEqual({ weekday: 3, hour: 12 });
    expect(hour(at('2026-12-01T10:00:00Z'))).toEqual({ weekday: 2, hour: 11 });
  });
});
