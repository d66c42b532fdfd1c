import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventRow } from '../../server/store/eventRows.js';
import type { RowSink } from '../../server/store/rowSink.js';
import { startIngestHarness, type IngestHarness } from '../../test/support/ingestHarness.js';
import { EventIngestor } from '../pipeline/eventIngestor.js';
import { GroupCommitter } from '../pipeline/groupCommit.js';
import { watchInbox, type InboxWatcher } from './inboxWatcher.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const logs: { level: string; msg: string; obj: object }[] = [];
const logger = {
  info: (obj: object, msg: string) => logs.push({ level: 'info', msg, obj }),
  warn: (obj: object, msg: string) => logs.push({ level: 'warn', msg, obj }),
};

let harness: IngestHarness;
let inbox: string;
let watcher: InboxWatcher;

beforeAll(async () => {
  harness = await startIngestHarness();
});
afterAll(async () => {
  await harness?.close();
});
beforeEach(async () => {
  inbox = mkdtempSync(path.join(tmpdir(), 'flowlens-inbox-'));
  // Polling far apart: the tests drive every scan with scanNow().
  watcher = watchInbox(inbox, harness.ingestor, { pollMs: 60_000, logger });
  await watcher.scanNow();
});
afterEach(async () => {
  await watcher.stop();
  rmSync(inbox, { recursive: true, force: true });
});

const drop = (kind: string, fixture: string, name = fixture) => {
  const target = path.join(inbox, kind, name);
  copyFileSync(path.join(fixtures, fixture), target);
  return target;
};
const readReport = (file: string) => JSON.parse(readFileSync(`${file}.report.json`, 'utf8')) as Record<string, unknown>;
const anHourAgo = () => new Date(Date.now() - 3_600_000);

describe('watchInbox', () => {
  it('creates a folder per file kind to drop files into', () => {
    expect(readdirSync(inbox).sort()).toEqual(['journal', 'pos', 'settlement']);
  });

  it('ignores a .partial file, and takes the file it is renamed to at the next scan', async () => {
    const partial = drop('settlement', 'amazon-settlement-v2.tsv', 'report-2026-11.tsv.partial');
    await watcher.scanNow();
    await watcher.scanNow();
    expect(existsSync(partial)).toBe(true);
    expect(await harness.eventsWithKey('11893454021')).toEqual([]);

    renameSync(partial, path.join(inbox, 'settlement', 'report-2026-11.tsv'));
    await watcher.scanNow();
    expect(await harness.eventsWithKey('11893454021')).toHaveLength(16);
    expect(readdirSync(path.join(inbox, 'settlement'))).toEqual([]);
    const moved = path.join(inbox, 'processed', 'settlement', 'report-2026-11.tsv');
    expect(existsSync(moved)).toBe(true);
    expect(readReport(moved)).toMatchObject({ file: 'report-2026-11.tsv', outcome: 'stored', kind: 'settlement', lines: 16, accepted: 16, duplicates: 0, rejected: 0, errors: [] });
  });

  it('takes a freshly written file once its size is unchanged between two scans', async () => {
    const file = drop('pos', 'pos-batch.csv');
    await watcher.scanNow();
    expect(existsSync(file)).toBe(true);
    await watcher.scanNow();
    expect(existsSync(file)).toBe(false);
    expect(await harness.eventsWithKey('R-002-20261127-0007')).toHaveLength(1);
    expect(readReport(path.join(inbox, 'processed', 'pos', 'pos-batch.csv'))).toMatchObject({ lines: 5, accepted: 5 });
  });

  it('takes a file written before (renamed in, or there at start-up) at the first scan, and reports its bad lines', async () => {
    const file = drop('journal', 'erp-journal-with-errors.csv');
    utimesSync(file, anHourAgo(), anHourAgo());
    await watcher.scanNow();
    const report = readReport(path.join(inbox, 'processed', 'journal', 'erp-journal-with-errors.csv'));
    // Nine physical lines after the header, eight records: the first has a line break in its description.
    expect(report).toMatchObject({ lines: 8, accepted: 2, rejected: 6 });
    expect((report.errors as { line: number; field: string }[]).map((e) => [e.line, e.field])).toEqual([
      [4, 'document_type'],
      [5, 'posting_date'],
      [6, 'debit'],
      [7, 'debit'],
      [8, 'line_no'],
      [9, 'reference'],
    ]);
  });

  it('moves a file it cannot use at all to failed/ with the reason', async () => {
    const file = path.join(inbox, 'journal', 'wrong-export.csv');
    writeFileSync(file, 'journal,line,date,amount\nJE-1,1,2026-11-30,10.00\n');
    utimesSync(file, anHourAgo(), anHourAgo());
    await watcher.scanNow();
    const failed = path.join(inbox, 'failed', 'journal', 'wrong-export.csv');
    expect(existsSync(failed)).toBe(true);
    expect(readReport(failed)).toMatchObject({ outcome: 'refused', message: expect.stringContaining('journal_id') });
    expect(logs.some((l) => l.level === 'warn' && l.msg === 'inbox file refused')).toBe(true);
  });

  it('never reads dot-files or .tmp files', async () => {
    for (const name of ['.hidden.csv', 'upload.csv.tmp']) {
      const file = drop('pos', 'pos-batch.csv', name);
      utimesSync(file, anHourAgo(), anHourAgo());
    }
    await watcher.scanNow();
    await watcher.scanNow();
    expect(readdirSync(path.join(inbox, 'pos')).sort()).toEqual(['.hidden.csv', 'upload.csv.tmp']);
  });

  it('stores nothing twice when the same file arrives again, keeping both reports', async () => {
    const before = await harness.countEvents();
    const text = readFileSync(path.join(fixtures, 'pos-batch.csv'), 'utf8').replaceAll('20261127', '20261201');
    for (let i = 0; i < 2; i++) {
      const file = path.join(inbox, 'pos', 'daily.csv');
      writeFileSync(file, text);
      utimesSync(file, anHourAgo(), anHourAgo());
      await watcher.scanNow();
    }
    const folder = path.join(inbox, 'processed', 'pos');
    const processed = readdirSync(folder).filter((n) => !n.endsWith('.report.json'));
    expect(processed).toHaveLength(2);
    const reports = processed.map((n) => readReport(path.join(folder, n)));
    expect(reports.map((r) => [r.accepted, r.duplicates]).sort()).toEqual([
      [5, 0],
      [5, 5],
    ]);
    expect(await harness.countEvents()).toBe(before + 5);
  });
});

describe('watchInbox when the store is unavailable', () => {
  it('leaves the file for the next scan, then ingests it', async () => {
    let down = true;
    const written: EventRow[] = [];
    const sink: RowSink<EventRow> = {
      write: async (rows) => {
        if (down) return { ok: false, retryable: true, error: new Error('store is restarting') };
        written.push(...rows);
        return { ok: true };
      },
    };
    const committer = new GroupCommitter<EventRow>(sink, { maxBatchRows: 1000, maxPendingRows: 1000, retry: { attempts: 1, baseDelayMs: 1 } });
    const ingestor = new EventIngestor(committer, { accepted: () => {}, rejected: () => {}, duplicates: () => {} });
    const dir = mkdtempSync(path.join(tmpdir(), 'flowlens-inbox-down-'));
    const own = watchInbox(dir, ingestor, { pollMs: 60_000, logger });
    try {
      await own.scanNow();
      const file = path.join(dir, 'pos', 'batch.csv');
      copyFileSync(path.join(fixtures, 'pos-batch.csv'), file);
      utimesSync(file, anHourAgo(), anHourAgo());
      await own.scanNow();
      expect(existsSync(file)).toBe(true);
      expect(logs.some((l) => l.msg.includes('store unavailable'))).toBe(true);

      down = false;
      await own.scanNow();
      expect(existsSync(file)).toBe(false);
      expect(written).toHaveLength(5);
      expect(existsSync(path.join(dir, 'processed', 'pos', 'batch.csv.report.json'))).toBe(true);
    } finally {
      await own.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
