import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventRow } from '../../server/store/eventRows.js';
import type { RowSink } from '../../server/store/rowSink.js';
import { EventIngestor, type IngestOutcome } from '../pipeline/eventIngestor.js';
import { GroupCommitter } from '../pipeline/groupCommit.js';
import { ingestFile } from './fileIngest.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const noCounters = { accepted: () => {}, rejected: () => {}, duplicates: () => {} };

function memoryIngestor(sink: RowSink<EventRow> = { write: async () => ({ ok: true }) }) {
  return new EventIngestor(new GroupCommitter<EventRow>(sink, { maxBatchRows: 1000, maxPendingRows: 1000, retry: { attempts: 1, baseDelayMs: 1 } }), noCounters);
}

describe('ingestFile', () => {
  it('counts lines, accepted, duplicates and rejected lines, errors in file order', async () => {
    const ingestor = memoryIngestor();
    const first = await ingestFile(ingestor, 'journal', fixture('erp-journal-with-errors.csv'));
    expect(first).toMatchObject({ result: 'stored', report: { kind: 'journal', lines: 8, accepted: 2, duplicates: 0, rejected: 6, errors_truncated: false } });
    const again = await ingestFile(ingestor, 'journal', fixture('erp-journal-with-errors.csv'));
    expect(again).toMatchObject({ result: 'stored', report: { accepted: 2, duplicates: 2, rejected: 6 } });
  });

  it('reports problems the pipeline finds by the line the event came from', async () => {
    const stub: Pick<EventIngestor, 'ingest'> = {
      ingest: async (): Promise<IngestOutcome> => ({
        kind: 'stored',
        response: { accepted: 4, duplicates: 0, rejected: 1, errors: [{ index: 1, field: 'keys.order_id', message: 'key values must be at most 256 characters' }], errors_truncated: false },
      }),
    };
    const outcome = await ingestFile(stub, 'pos', fixture('pos-batch.csv'));
    expect(outcome).toMatchObject({ result: 'stored', report: { rejected: 1, errors: [{ line: 3, field: 'keys.order_id' }] } });
  });

  it('refuses a file with missing columns, an empty file, and a file without a valid line', async () => {
    const ingestor = memoryIngestor();
    expect(await ingestFile(ingestor, 'pos', 'store_id,receipt_id\n')).toMatchObject({
      result: 'refused',
      code: 'missing_columns',
      message: expect.stringContaining('register_id, line_no'),
    });
    expect(await ingestFile(ingestor, 'pos', '')).toMatchObject({ result: 'refused', code: 'missing_columns', message: expect.stringContaining('empty') });
    const header = fixture('pos-batch.csv').split('\n')[0];
    expect(await ingestFile(ingestor, 'pos', `${header}\n`)).toMatchObject({ result: 'refused', code: 'invalid_file', message: expect.stringContaining('no data lines') });
    expect(await ingestFile(ingestor, 'pos', `${header}\nstore-1,R1,X,1,yesterday,sale,SKU,,1,1,1,EUR,,\n`)).toMatchObject({
      result: 'refused',
      code: 'invalid_file',
      report: { lines: 1, rejected: 1, errors: [{ line: 2, field: 'timestamp' }] },
    });
  });

  it('passes on that the store is unavailable, so the sender can retry', async () => {
    const down = memoryIngestor({ write: async () => ({ ok: false, retryable: true, error: new Error('connection refused') }) });
    expect(await ingestFile(down, 'settlement', fixture('amazon-settlement-v2.tsv'))).toMatchObject({ result: 'unavailable', status: 503 });
  });
});
