import { describe, expect, it } from 'vitest';
import { formatUnits, minorDigits, minorToUnits, sumUnits, toUnits } from './money.js';

describe('money in exact units', () => {
  it('reads decimal text without float drift', () => {
    expect(toUnits('0.1') + toUnits('0.2')).toBe(toUnits('0.3'));
    expect(sumUnits(Array.from({ length: 1_000 }, () => toUnits('0.07')))).toBe(toUnits('70'));
    expect(toUnits('-12.5')).toBe(-125_000n);
    expect(toUnits('+3')).toBe(30_000n);
    expect(toUnits('1234.5678')).toBe(12_345_678n);
  });

  it('refuses what is not a decimal amount of at most four decimals', () => {
    for (const bad of ['', 'abc', '1e3', '1.23456', '1,5', '--1']) expect(() => toUnits(bad), bad).toThrow(RangeError);
  });

  it('writes amounts with the minor digits of their currency, more only when there are any', () => {
    expect(formatUnits(toUnits('120.5'), 'EUR')).toBe('120.50');
    expect(formatUnits(toUnits('-0.5'), 'EUR')).toBe('-0.50');
    expect(formatUnits(0n, 'EUR')).toBe('0.00');
    expect(formatUnits(toUnits('0.125'), 'EUR')).toBe('0.125');
    expect(formatUnits(toUnits('1200'), 'JPY')).toBe('1200');
    expect(formatUnits(toUnits('1.5'), 'KWD')).toBe('1.500');
  });

  it('knows the minor unit of a currency (ISO 4217), cents when it does not', () => {
    expect([minorDigits('EUR'), minorDigits('jpy'), minorDigits('KWD'), minorDigits('XXX')]).toEqual([2, 0, 3, 2]);
    expect(minorToUnits(1, 'EUR')).toBe(toUnits('0.01'));
    expect(minorToUnits(1, 'JPY')).toBe(toUnits('1'));
    expect(() => minorToUnits(0.5, 'EUR')).toThrow(RangeError);
  });
});
