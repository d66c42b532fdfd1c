import { describe, expect, it } from 'vitest';
import { inlineParams, stringLiteral, valueLiteral } from './inlineParams.js';
import { param, sql } from './sql.js';

describe('inlineParams', () => {
  it('writes each typed parameter of the sql template as a literal cast to its type', () => {
    const { query, query_params } = sql`SELECT * FROM t WHERE flow = ${'order_to_cash'} AND at >= ${param.dateTime64(Date.UTC(2026, 10, 27, 10))} AND id IN ${param.arrayString(['a', 'b'])} LIMIT ${param.uint32(5)}`.render();

    expect(inlineParams(query, query_params)).toBe(
      "SELECT * FROM t WHERE flow = CAST('order_to_cash', 'String') AND at >= CAST('2026-11-27 10:00:00.000', 'DateTime64(3, \\'UTC\\')') AND id IN CAST(['a', 'b'], 'Array(String)') LIMIT CAST(5, 'UInt32')",
    );
  });

  it('escapes every character that could end or bend a string literal', () => {
    expect(stringLiteral("it's a \\ test\n\t\0\r\b\f")).toBe("'it\\'s a \\\\ test\\n\\t\\0\\r\\b\\f'");
    expect(stringLiteral("' OR 1=1 --")).toBe("'\\' OR 1=1 --'");
  });

  it('never reads a value it put in as a placeholder', () => {
    expect(inlineParams('SELECT {a:String}, {b:String}', { a: '{b:String}', b: 'x' })).toBe("SELECT CAST('{b:String}', 'String'), CAST('x', 'String')");
  });

  it('leaves text that is not a placeholder of a given parameter alone', () => {
    expect(inlineParams("SELECT map('k', 1), {other:UInt8}, {p0:UInt8}", { p0: 1 })).toBe("SELECT map('k', 1), {other:UInt8}, CAST(1, 'UInt8')");
    expect(inlineParams('SELECT 1', undefined)).toBe('SELECT 1');
  });

  it('refuses values that have no exact literal', () => {
    expect(() => valueLiteral(Number.NaN)).toThrow('not a finite number');
    expect(() => valueLiteral(Number.POSITIVE_INFINITY)).toThrow('not a finite number');
    expect(() => valueLiteral({ a: 1 })).toThrow('cannot be written as a literal');
    expect(() => valueLiteral(null)).toThrow('cannot be written as a literal');
    expect(valueLiteral(10n ** 20n)).toBe('100000000000000000000');
    expect(valueLiteral([true, 1.5, 'x'])).toBe("[true, 1.5, 'x']");
  });
});
