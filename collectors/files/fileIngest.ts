import type { EventIngestor } from '../pipeline/eventIngestor.js';
import type { FileLineError, FileParseResult } from './fileTable.js';
import { parseJournalExport } from './journalExport.js';
import { parsePosBatch } from './posBatch.js';
import { parseSettlementReport } from './settlementReport.js';

export const FILE_KINDS = ['settlement', 'pos', 'journal'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const PARSERS: Record<FileKind, (text: string) => FileParseResult> = {
  settlement: parseSettlementReport,
  pos: parsePosBatch,
  journal: parseJournalExport,
};

export function isFileKind(value: string): value is FileKind {
  return (FILE_KINDS as readonly string[]).includes(value);
}

/**
 * What happened to a file, line by line. `accepted` counts stored events including `duplicates` (already
 * stored before); `rejected` counts lines refused before an event could be made plus events the pipeline refused.
 */
export type FileReport = {
  kind: FileKind;
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  errors: FileLineError[];
  errors_truncated: boolean;
};

export type FileIngestOutcome =
  | { result: 'stored'; report: FileReport }
  /** Nothing in the file could be used: missing columns, or no valid line. */
  | { result: 'refused'; code: 'missing_columns' | 'invalid_file'; message: string; report: FileReport }
  | { result: 'unavailable'; status: 429 | 503; retryAfterSeconds: number; message: string };

const MAX_REPORTED_ERRORS = 100;

/** Parse a file of `kind`, ingest its events, and report by file line (shared by the HTTP route and the inbox). */
export async function ingestFile(ingestor: Pick<EventIngestor, 'ingest'>, kind: FileKind, text: string, key = 'inbox'): Promise<FileIngestOutcome> {
  const parsed = PARSERS[kind](text);
  const report: FileReport = { kind, lines: parsed.lines, accepted: 0, duplicates: 0, rejected: 0, errors: [], errors_truncated: false };
  if (parsed.missingColumns.length > 0) {
    const missing = parsed.missingColumns;
    report.errors = missing.map((column) => ({ line: 1, field: column, message: 'required column is missing from the header line' }));
    const message =
      text.trim() === ''
        ? `the ${kind} file is empty; its header line must name the columns ${missing.join(', ')}`
        : `the ${kind} file's header line is missing the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
    return { result: 'refused', code: 'missing_columns', message, report };
  }

  const errors = [...parsed.errors];
  const rejectedLines = new Set(parsed.errors.map((e) => e.line)).size;
  report.rejected = rejectedLines;
  if (parsed.events.length > 0) {
    const records = parsed.events.map((value, index) => ({ index, value }));
    const outcome = await ingestor.ingest(`file_${kind}`, records, key);
    if (outcome.kind === 'unavailable') return { result: 'unavailable', status: outcome.status, retryAfterSeconds: outcome.retryAfterSeconds, message: outcome.message };
    const { accepted, duplicates, rejected, errors: recordErrors } = outcome.response;
    for (const e of recordErrors) errors.push({ line: parsed.eventLines[e.index] ?? 0, field: e.field, message: e.message });
    report.accepted = accepted;
    report.duplicates = duplicates;
    report.rejected += rejected;
  }
  errors.sort((a, b) => a.line - b.line);
  report.errors = errors.slice(0, MAX_REPORTED_ERRORS);
  report.errors_truncated = errors.length > MAX_REPORTED_ERRORS;
  if (report.accepted === 0) {
    const message =
      parsed.lines === 0 ? `the ${kind} file has a header line but no data lines` : `no valid line in the ${kind} file: all ${parsed.lines} lines were rejected; see details`;
    return { result: 'refused', code: 'invalid_file', message, report };
  }
  return { result: 'stored', report };
}
