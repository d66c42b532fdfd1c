import { describe, expect, it } from 'vitest';
import { csvRecord, isoWithOffset, localDate, toWholeSeconds } from './textFormats.js';

describe('isoWithOffset', () => {
  it('writes Berlin local time with the winter or summer offset, to the second', () => {
    expect(isoWithOffset(Date.UTC(2026, 10, 27, 9, 15, 2, 999))).toBe('2026-11-27T10:15:02+01:00');
    expect(isoWithOffset(Date.UTC(2026, 6, 1, 8, 30))).toBe('2026-07-01T10:30:00+02:00');
  });

  it('writes other zones, west of UTC and UTC itself', () => {
    expect(isoWithOffset(Date.UTC(2026, 10, 27, 3, 0), 'America/New_York')).toBe('2026-11-26T22:00:00-05:00');
    expect(isoWithOffset(Date.UTC(2026, 10, 27, 3, 0), 'UTC')).toBe('2026-11-27T03:00:00+00:00');
  });

  it('names an instant Date.parse reads back', () => {
    const at = Date.UTC(2026, 2, 29, 1, 30, 5);
    expect(Date.parse(isoWithOffset(at))).toBe(at);
  });
});

describe('localDate and toWholeSeconds', () => {
  it('gives the local calendar date, which can be a day after UTC’s', () => {
    expect(localDate(Date.UTC(2026, 10, 10, 23, 30))).toBe('2026-11-11');
  });

  it('drops milliseconds', () => {
    expect(toWholeSeconds(Date.UTC(2026, 0, 1, 0, 0, 1, 999))).toBe(Date.UTC(2026, 0, 1, 0, 0, 1));
  });
});

describe('csvRecord', () => {
  it('quotes only values with commas, quotes or line breaks, doubling quotes', () => {
    expect(csvRecord(['a', 'b,c', 'say "hi"', 'two\nlines', 7, undefined, ''])).toBe('a,"b,c","say ""hi""","two\nlines",7,,');
  });
});
