import { describe, expect, it } from 'vitest';
import { fromScaled, idProblem, parseDateTime, parseDecimal, toScaled } from './fieldValues.js';

describe('parseDecimal', () => {
  it.each([
    ['49.90', '49.9'],
    ['49,90', '49.9'],
    ['-4,05', '-4.05'],
    ['1,234.56', '1234.56'],
    ['1.234,56', '1234.56'],
    ['1 234,56', '1234.56'],
    ['1,234', '1234'],
    ['0.125', '0.125'],
    ['(12.00)', '-12'],
    ['12.00-', '-12'],
    ['+7', '7'],
    ['-0.00', '0'],
    ['007.50', '7.5'],
  ])('reads %s as %s', (text, expected) => {
    expect(parseDecimal(text)).toBe(expected);
  });

  it.each(['', 'n/a', '12,34,5', '1.2.3,4', '1e3', '12.34567', '123456789012345', '--1', '.'])('refuses %j', (text) => {
    expect(parseDecimal(text)).toBeUndefined();
  });
});

describe('scaled money', () => {
  it('subtracts exactly and prints at least two fraction digits', () => {
    expect(fromScaled(toScaled('129') - toScaled('0.1'))).toBe('128.90');
    expect(fromScaled(toScaled('0.1') + toScaled('0.2'))).toBe('0.30');
    expect(fromScaled(toScaled('-20.6'))).toBe('-20.60');
    expect(fromScaled(toScaled('1.2345'))).toBe('1.2345');
    expect(fromScaled(0n)).toBe('0.00');
  });
});

describe('parseDateTime', () => {
  const utc = (iso: string) => Date.parse(iso);
  it.each([
    ['2026-11-03 09:12:44 UTC', utc('2026-11-03T09:12:44Z'), true],
    ['2026-11-27T10:15:02+01:00', utc('2026-11-27T09:15:02Z'), true],
    ['2026-11-27T10:15:02.123-0500', utc('2026-11-27T15:15:02.123Z'), true],
    ['03.11.2026 07:00:00 UTC', utc('2026-11-03T07:00:00Z'), true],
    ['2026-11-09', utc('2026-11-09T00:00:00Z'), false],
    ['11/09/26', utc('2026-11-09T00:00:00Z'), false],
    ['03.11.2026', utc('2026-11-03T00:00:00Z'), false],
  ])('reads %s', (text, ms, hasZone) => {
    expect(parseDateTime(text)).toEqual({ ms, hasTime: text.includes(':'), hasZone });
  });

  it('says when a time has no zone, so a caller can insist on one', () => {
    expect(parseDateTime('2026-11-28 09:01:00')).toMatchObject({ hasTime: true, hasZone: false });
  });

  it.each(['2026-02-30', '13/45/26', '2026-11-03 25:00:00 UTC', 'yesterday', ''])('refuses %j', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });
});

describe('idProblem', () => {
  it('accepts ids and names what is wrong with the others', () => {
    expect(idProblem('R-001-20261127-0042')).toBeUndefined();
    expect(idProblem('')).toBe('is required');
    expect(idProblem('a b')).toMatch(/spaces/);
    expect(idProblem('x'.repeat(65))).toMatch(/at most 64/);
  });
});
