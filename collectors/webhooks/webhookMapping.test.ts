import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES } from '../../server/contracts/canonicalEvent.js';
import { fromMinorUnits, keysOf, minorUnitExponent, parseJsonExactIds, sumDecimals, vendorPayload } from './webhookMapping.js';

describe('minor units', () => {
  it('converts with the currency exponent: two, zero (JPY, KRW) and three (KWD) decimals', () => {
    expect(fromMinorUnits(1999, 'eur')).toBe('19.99');
    expect(fromMinorUnits(5, 'usd')).toBe('0.05');
    expect(fromMinorUnits(-1250, 'EUR')).toBe('-12.50');
    expect(fromMinorUnits(5000, 'jpy')).toBe('5000');
    expect(fromMinorUnits(12000, 'KRW')).toBe('12000');
    expect(fromMinorUnits(9999, 'kwd')).toBe('9.999');
    expect(minorUnitExponent('huf')).toBe(2); // Stripe keeps HUF two-decimal in the API
  });

  it('refuses a non-integer amount rather than guessing', () => {
    expect(() => fromMinorUnits(19.5, 'eur')).toThrow(RangeError);
  });
});

describe('sumDecimals', () => {
  it('adds decimal strings exactly', () => {
    expect(sumDecimals(['0.10', '0.20'])).toBe('0.30');
    expect(sumDecimals(['41.94', '5.01', '100'])).toBe('146.95');
    expect(sumDecimals(['10', '5'])).toBe('15');
    expect(sumDecimals(['129.00'])).toBe('129.00');
    expect(sumDecimals(['-0.5', '0.25'])).toBe('-0.25');
    expect(sumDecimals([])).toBeUndefined();
    expect(sumDecimals(['12,00'])).toBeUndefined();
  });
});

describe('parseJsonExactIds', () => {
  it('keeps integers beyond 2^53 exact as strings and leaves everything else alone', () => {
    const text = '{"id":820982911946154508,"n":42,"neg":-9007199254740993,"f":1.5e3,"s":"820982911946154508 \\" 123456789012345678","a":[1,2]}';
    expect(parseJsonExactIds(text)).toEqual({ id: '820982911946154508', n: 42, neg: '-9007199254740993', f: 1500, s: '820982911946154508 " 123456789012345678', a: [1, 2] });
  });

  it('still throws on invalid JSON', () => {
    expect(() => parseJsonExactIds('{"id": 1,')).toThrow(SyntaxError);
  });
});

describe('vendorPayload', () => {
  it('keeps a message under the payload limit as JSON', () => {
    expect(vendorPayload({ id: 1, note: 'größe' })).toBe('{"id":1,"note":"größe"}');
  });

  it('cuts a larger message at a character boundary and says so', () => {
    const text = vendorPayload({ notes: 'ü'.repeat(MAX_PAYLOAD_BYTES) });
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    expect(text).toMatch(/…\[truncated: \d+ bytes in all\]$/);
    expect(text).not.toContain('\uFFFD');
  });
});

describe('keysOf', () => {
  it('drops empty and missing values and stringifies numbers', () => {
    expect(keysOf({ order_id: '#1001', shopify_order_id: 820982911, payment_id: null, charge_id: undefined, refund_id: ' ' })).toEqual({ order_id: '#1001', shopify_order_id: '820982911' });
  });
});
