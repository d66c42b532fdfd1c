import { describe, expect, it } from 'vitest';
import { formatCount, formatMoney, formatQuantity, formatRate } from './number';

describe('formatCount', () => {
  it('groups thousands for the locale', () => {
    expect(formatCount(1234567, 'en-US')).toBe('1,234,567');
    expect(formatCount(1234567, 'de-DE')).toBe('1.234.567');
  });
});

describe('formatQuantity', () => {
  it('keeps fractional quantities to three decimals', () => {
    expect(formatQuantity(12, 'en-US')).toBe('12');
    expect(formatQuantity(2.5, 'en-US')).toBe('2.5');
    expect(formatQuantity(1.23456, 'en-US')).toBe('1.235');
  });
});

describe('formatRate', () => {
  it('keeps one decimal for small rates and none for larger ones', () => {
    expect(formatRate(0.4, 'en-US')).toBe('0.4/s');
    expect(formatRate(3, 'en-US')).toBe('3/s');
    expect(formatRate(123.4, 'en-US')).toBe('123/s');
  });

  it('abbreviates very high rates', () => {
    expect(formatRate(12_345, 'en-US')).toBe('12.3K/s');
  });
});

describe('formatMoney', () => {
  it('shows the currency with its usual decimals', () => {
    expect(formatMoney('59.9', 'EUR', 'en-US')).toBe('€59.90');
    expect(formatMoney('1200', 'JPY', 'en-US')).toBe('¥1,200');
    expect(formatMoney('-15.00', 'GBP', 'en-GB')).toBe('-£15.00');
  });

  it('never rounds away digits the sender gave', () => {
    expect(formatMoney('0.1234', 'EUR', 'en-US')).toBe('€0.1234');
  });

  it('keeps amounts beyond double precision exact', () => {
    expect(formatMoney('12345678901234.5678', 'USD', 'en-US')).toBe('$12,345,678,901,234.5678');
  });

  it('falls back to the raw amount and code when the currency is not well-formed', () => {
    expect(formatMoney('10.00', 'EURO', 'en-US')).toBe('10.00 EURO');
    expect(formatMoney('ten', 'EUR', 'en-US')).toBe('ten EUR');
  });
});
