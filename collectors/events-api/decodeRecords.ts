import type { DecodedRecord } from '../pipeline/eventIngestor.js';

export type BodyFormat = 'json' | 'ndjson';

export type DecodeResult = { ok: true; records: DecodedRecord[] } | { ok: false; message: string };

/**
 * Decode a body of canonical events: a JSON array (or a single JSON object) or NDJSON, one event per line.
 * A line that is not JSON becomes a record-level error at its index, so its neighbours still go through.
 */
export function decodeRecords(body: string, format: BodyFormat): DecodeResult {
  const text = body.replace(/^\uFEFF/, '');
  if (text.trim().length === 0) return { ok: false, message: 'request body is empty: send a JSON array of events or NDJSON (one event per line)' };
  return format === 'json' ? decodeJson(text) : { ok: true, records: decodeNdjson(text) };
}

/** The format a body is in, from its Content-Type, or by its first character when none is given. */
export function formatOf(contentType: string | undefined, body: string): BodyFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl' || type === 'application/x-jsonlines') return 'ndjson';
  if (type !== '' && type !== 'application/octet-stream') return undefined;
  return body.trimStart().startsWith('[') ? 'json' : 'ndjson';
}

function decodeJson(text: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `request body is not valid JSON: ${(err as Error).message}` };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { ok: false, message: 'request body is an empty array: send at least one event' };
    return { ok: true, records: value.map((v, index) => ({ index, value: v })) };
  }
  if (value !== null && typeof value === 'object') return { ok: true, records: [{ index: 0, value }] };
  return { ok: false, message: 'request body must be a JSON array of event objects' };
}

function decodeNdjson(text: string): DecodedRecord[] {
  const records: DecodedRecord[] = [];
  let index = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0) continue;
    try {
      records.push({ index, value: JSON.parse(line) });
    } catch (err) {
      records.push({ index, decodeError: `line is not valid JSON: ${(err as Error).message}` });
    }
    index++;
  }
  return records;
}
