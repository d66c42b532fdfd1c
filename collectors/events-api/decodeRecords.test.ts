import { describe, expect, it } from 'vitest';
import { decodeRecords, formatOf } from './decodeRecords.js';

describe('decodeRecords', () => {
  it('decodes a JSON array record by record', () => {
    const result = decodeRecords('[{"a":1},{"b":2}]', 'json');
    expect(result).toEqual({ ok: true, records: [{ index: 0, value: { a: 1 } }, { index: 1, value: { b: 2 } }] });
  });

  it('accepts a single JSON object as one record', () => {
    expect(decodeRecords('{"a":1}', 'json')).toEqual({ ok: true, records: [{ index: 0, value: { a: 1 } }] });
  });

  it('decodes NDJSON, skipping blank lines and reporting a broken line at its index', () => {
    const result = decodeRecords('{"a":1}\n\n{oops\r\n{"c":3}\n', 'ndjson');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.records).toHaveLength(3);
    expect(result.records[0]).toEqual({ index: 0, value: { a: 1 } });
    expect(result.records[1]).toMatchObject({ index: 1, decodeError: expect.stringContaining('not valid JSON') });
    expect(result.records[2]).toEqual({ index: 2, value: { c: 3 } });
  });

  it('refuses an empty body, an empty array and malformed JSON with a reason', () => {
    expect(decodeRecords('  \n', 'ndjson')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
    expect(decodeRecords('[]', 'json')).toMatchObject({ ok: false, message: expect.stringContaining('empty array') });
    expect(decodeRecords('[{"a":', 'json')).toMatchObject({ ok: false, message: expect.stringContaining('not valid JSON') });
    expect(decodeRecords('42', 'json')).toMatchObject({ ok: false, message: expect.stringContaining('JSON array') });
  });
});

describe('formatOf', () => {
  it('follows the content type and sniffs when there is none', () => {
    expect(formatOf('application/json; charset=utf-8', '{}')).toBe('json');
    expect(formatOf('application/x-ndjson', '{}')).toBe('ndjson');
    expect(formatOf(undefined, ' [{}]')).toBe('json');
    expect(formatOf(undefined, '{}\n{}')).toBe('ndjson');
    expect(formatOf('text/csv', 'a,b')).toBeUndefined();
  });
});
