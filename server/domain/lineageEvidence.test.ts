import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readDelimited } from '../../collectors/files/delimitedText.js';
import { type StoredEvent } from '../contracts/api.js';
import { lineageEvidenceSchema, type LineageResponse } from '../contracts/lineageApi.js';
import { storedEvent } from '../../test/support/storedEvent.js';
import { csvField, EVIDENCE_COLUMNS, eventsSha256, evidenceFile, evidenceFilename, formatKeys, lineageCsv, lineageEvidence, parseKeys } from './lineageEvidence.js';

const GENERATED = Date.UTC(2026, 10, 27, 14, 5, 9, 123);

function answer(events: StoredEvent[]): LineageResponse {
  return { key: 're_1', depth: 3, at: new Date(GENERATED).toISOString(), correlations: [], events, truncated: false, latest_only: false, graph: { nodes: [], edges: [] }, missing: [] };
}

const awkward = storedEvent({
  event_id: 'e2',
  step: 'erp.credit_memo.posted',
  status: 'dead_lettered',
  quantity: 2,
  amount: '-59.90',
  currency: 'EUR',
  error_message: 'ERP said "no", then\r\nhung up, twice',
  keys: { refund_id: 're_1', order_id: '#1001', note: 'a;b=c%d' },
  payload: '{"idempotency_key":"k","lines":[1,2]}',
  replay_of: 'e1',
});

describe('csvField', () => {
  it('quotes only what needs it, doubling quotes (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('')).toBe('');
  });
});

describe('formatKeys', () => {
  it('writes keys as name=value pairs sorted by name, escaping the separators, and reads them back', () => {
    const keys = { refund_id: 're_1', order_id: '#1001', note: 'a;b=c%d' };

    expect(formatKeys(keys)).toBe('note=a%3Bb%3Dc%25d;order_id=#1001;refund_id=re_1');
    expect(parseKeys(formatKeys(keys))).toEqual(keys);
    expect(parseKeys(formatKeys({}))).toEqual({});
  });
});

describe('lineageCsv', () => {
  it('has a header naming every canonical field, then one row per event in the order given, CRLF-terminated', () => {
    const csv = lineageCsv([storedEvent({ event_id: 'e1' }), awkward]);

    expect(csv.split('\r\n')[0]).toBe(EVIDENCE_COLUMNS.join(','));
    expect(EVIDENCE_COLUMNS).toContain('replay_of');
    expect(EVIDENCE_COLUMNS).toHaveLength(25);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('reads back field for field with an RFC 4180 reader', () => {
    const events = [storedEvent({ event_id: 'e1', keys: { order_id: '#1001' } }), awkward];

    const records = readDelimited(lineageCsv(events), ',');
    const rows = records.map((r) => ('fields' in r ? r.fields : []));

    expect(rows[0]).toEqual(EVIDENCE_COLUMNS);
    const back = rows.slice(1).map((fields) => Object.fromEntries(EVIDENCE_COLUMNS.map((c, i) => [c, fields[i]])));
    expect(back[1]).toMatchObject({
      event_id: 'e2',
      status: 'dead_lettered',
      quantity: '2',
      amount: '-59.90',
      error_message: 'ERP said "no", then\r\nhung up, twice',
      payload: '{"idempotency_key":"k","lines":[1,2]}',
      target_system: '',
      replay_of: 'e1',
    });
    expect(parseKeys(back[1]!.keys!)).toEqual(awkward.keys);
  });

  it('is only the header for no events', () => {
    expect(lineageCsv([])).toBe(`${EVIDENCE_COLUMNS.join(',')}\r\n`);
  });
});

describe('lineageEvidence', () => {
  it('is the whole answer plus when it was generated and the SHA-256 of its events as compact JSON', () => {
    const events = [storedEvent({ event_id: 'e1' }), awkward];

    const evidence = lineageEvidence(answer(events), GENERATED);

    expect(lineageEvidenceSchema.parse(evidence)).toEqual(evidence);
    expect(evidence).toMatchObject({ key: 're_1', depth: 3, events, generated_at: '2026-11-27T14:05:09.123Z' });
    expect(evidence.events_sha256).toBe(createHash('sha256').update(JSON.stringify(events)).digest('hex'));
  });

  it('gives a digest anyone can recompute from the exported JSON, and that changes with any event', () => {
    const file = evidenceFile(answer([awkward]), 'json', GENERATED);
    const parsed = JSON.parse(file.body) as { events: StoredEvent[]; events_sha256: string };

    expect(eventsSha256(parsed.events)).toBe(parsed.events_sha256);
    expect(eventsSha256([{ ...awkward, amount: '-59.91' }])).not.toBe(parsed.events_sha256);
  });
});

describe('evidenceFilename', () => {
  it('names the file for the key and the UTC time, keeping only safe characters', () => {
    expect(evidenceFilename('re_3SimAbc', GENERATED, 'csv')).toBe('lineage-re_3SimAbc-20261127T140509Z.csv');
    expect(evidenceFilename('#1001 "x"/..', GENERATED, 'json')).toBe('lineage-_1001__x__..-20261127T140509Z.json');
    expect(evidenceFilename('k'.repeat(300), GENERATED, 'json')).toHaveLength('lineage--20261127T140509Z.json'.length + 80);
  });
});

describe('evidenceFile', () => {
  it('is CSV or JSON, UTF-8, under the evidence name', () => {
    const csv = evidenceFile(answer([awkward]), 'csv', GENERATED);
    const json = evidenceFile(answer([awkward]), 'json', GENERATED);

    expect(csv).toMatchObject({ filename: 'lineage-re_1-20261127T140509Z.csv', contentType: 'text/csv; charset=utf-8; header=present' });
    expect(csv.body).toBe(lineageCsv([awkward]));
    expect(json).toMatchObject({ filename: 'lineage-re_1-20261127T140509Z.json', contentType: 'application/json; charset=utf-8' });
    expect(JSON.parse(json.body)).toEqual(lineageEvidence(answer([awkward]), GENERATED));
  });
});
