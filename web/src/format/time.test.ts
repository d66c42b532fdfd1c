import { describe, expect, it } from 'vitest';
import { formatClock, formatTimestamp, parseApiTime } from './time';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
const at = Date.UTC(2026, 10, 27, 14, 3, 7, 123);

describe('formatClock', () => {
  it('shows a 24-hour time of day', () => {
    expect(formatClock(at, utc)).toBe('14:03:07');
  });

  it('uses the viewer time zone when given', () => {
    expect(formatClock(at, { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('15:03:07');
  });
});

describe('formatTimestamp', () => {
  it('shows the date and the time to the millisecond', () => {
    expect(formatTimestamp(at, utc)).toBe('27 Nov 2026, 14:03:07.123');
  });

  it('shows a dash for a time that could not be parsed', () => {
    expect(formatTimestamp(parseApiTime('not a time'), utc)).toBe('–');
  });
});

describe('parseApiTime', () => {
  it('reads the API ISO 8601 times', () => {
    expect(parseApiTime('2026-11-27T14:03:07.123Z')).toBe(at);
  });
});
