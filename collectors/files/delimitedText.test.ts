import { describe, expect, it } from 'vitest';
import { readDelimited } from './delimitedText.js';

describe('readDelimited', () => {
  it('splits plain CSV lines and numbers them from 1', () => {
    expect(readDelimited('a,b,c\n1,2,3\n', ',')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and keeps counting physical lines', () => {
    const text = 'id,note\n1,"a, b"\n2,"say ""hi"""\n3,"two\nlines"\n4,after\n';
    expect(readDelimited(text, ',')).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'a, b'] },
      { line: 3, fields: ['2', 'say "hi"'] },
      { line: 4, fields: ['3', 'two\nlines'] },
      { line: 6, fields: ['4', 'after'] },
    ]);
  });

  it('accepts CRLF and lone CR line ends, a UTF-8 BOM, and a last line without a line end', () => {
    expect(readDelimited('\ufeffa,b\r\n1,"x\r\ny"\r\n2,z\r3,w', ',')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', 'x\r\ny'] },
      { line: 4, fields: ['2', 'z'] },
      { line: 5, fields: ['3', 'w'] },
    ]);
  });

  it('keeps empty fields, including a trailing one, and skips blank lines without losing the count', () => {
    expect(readDelimited('a,b,c\n\n1,,\n\n"",2,\n', ',')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 3, fields: ['1', '', ''] },
      { line: 5, fields: ['', '2', ''] },
    ]);
  });

  it('treats a quote inside an unquoted value as text, and text after a closing quote as part of the value', () => {
    expect(readDelimited('12" cable,"ab"cd\n', ',')).toEqual([{ line: 1, fields: ['12" cable', 'abcd'] }]);
  });

  it('reports an unterminated quoted value on its line and goes on with the next line', () => {
    const records = readDelimited('a,b\n1,"open\n2,ok\n', ',');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: expect.stringContaining('never closed') },
      { line: 3, fields: ['2', 'ok'] },
    ]);
  });

  it('reads tab-separated text, where commas are ordinary characters', () => {
    expect(readDelimited('settlement-id\tamount\n1\t-4,05\n', '\t')).toEqual([
      { line: 1, fields: ['settlement-id', 'amount'] },
      { line: 2, fields: ['1', '-4,05'] },
    ]);
  });

  it('returns nothing for an empty text', () => {
    expect(readDelimited('', ',')).toEqual([]);
    expect(readDelimited('\ufeff', ',')).toEqual([]);
  });
});
