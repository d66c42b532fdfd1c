/**
 * A small RFC 4180 reader for CSV and tab-separated exports: quoted fields with embedded delimiters, doubled
 * quotes and line breaks, CRLF / LF / CR line ends, a leading UTF-8 BOM. Each record remembers the line it starts
 * on (1-based, as an editor shows it) so problems can be reported where a person would look.
 *
 * Lenient where real exports are sloppy: a quote inside an unquoted field is kept as text, and text after a
 * closing quote is appended. An unterminated quoted field spoils only its own record: reading resumes on the
 * line after the one where that record began.
 */

export type DelimitedRecord = { line: number; fields: string[] } | { line: number; error: string };

export function readDelimited(text: string, delimiter: ',' | '\t'): DelimitedRecord[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: DelimitedRecord[] = [];
  let pos = 0;
  let line = 1;
  while (pos < source.length) {
    const read = readRecord(source, pos, delimiter);
    if (read.ok) {
      if (!(read.fields.length === 1 && read.fields[0] === '')) records.push({ line, fields: read.fields });
      line += read.lineBreaks;
      pos = read.next;
    } else {
      records.push({ line, error: 'a quoted value is never closed (a missing " ?); the rest of this line was skipped' });
      const resume = nextLineStart(source, pos);
      line += 1;
      pos = resume;
    }
  }
  return records;
}

type ReadResult = { ok: true; fields: string[]; next: number; lineBreaks: number } | { ok: false };

function readRecord(s: string, start: number, delimiter: string): ReadResult {
  const fields: string[] = [];
  let field = '';
  let pos = start;
  let lineBreaks = 0;
  let atFieldStart = true;
  while (pos < s.length) {
    const ch = s[pos]!;
    if (atFieldStart && ch === '"') {
      const closed = readQuoted(s, pos + 1);
      if (!closed) return { ok: false };
      field += closed.value;
      lineBreaks += closed.lineBreaks;
      pos = closed.next;
      atFieldStart = false;
      continue;
    }
    if (ch === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
      pos++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      const next = ch === '\r' && s[pos + 1] === '\n' ? pos + 2 : pos + 1;
      fields.push(field);
      return { ok: true, fields, next, lineBreaks: lineBreaks + 1 };
    }
    // Plain text up to the next delimiter or line end, taken as one slice.
    let end = pos + 1;
    while (end < s.length && s[end] !== delimiter && s[end] !== '\n' && s[end] !== '\r') end++;
    field += s.slice(pos, end);
    atFieldStart = false;
    pos = end;
  }
  fields.push(field);
  return { ok: true, fields, next: pos, lineBreaks };
}

function readQuoted(s: string, from: number): { value: string; next: number; lineBreaks: number } | undefined {
  let value = '';
  let lineBreaks = 0;
  let pos = from;
  while (pos < s.length) {
    const quote = s.indexOf('"', pos);
    if (quote < 0) return undefined;
    const chunk = s.slice(pos, quote);
    lineBreaks += countLineBreaks(chunk);
    value += chunk;
    if (s[quote + 1] === '"') {
      value += '"';
      pos = quote + 2;
      continue;
    }
    return { value, next: quote + 1, lineBreaks };
  }
  return undefined;
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) n++;
  }
  return n;
}

function nextLineStart(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\n') return i + 1;
    if (s[i] === '\r') return s[i + 1] === '\n' ? i + 2 : i + 1;
  }
  return s.length;
}
