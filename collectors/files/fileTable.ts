import { validateEvent, type CanonicalEventInput } from '../../server/contracts/canonicalEvent.js';
import { readDelimited } from './delimitedText.js';

/** One problem in a file: the line (1-based, header = 1), the column, and why. */
export type FileLineError = { line: number; field: string; message: string };

/**
 * What a file mapper produces. `eventLines[i]` is the file line `events[i]` came from, so problems found later
 * (by the ingest pipeline, per record) can still be reported by line. `missingColumns` non-empty means the file
 * as a whole cannot be read and nothing else is filled in.
 */
export type FileParseResult = {
  events: CanonicalEventInput[];
  eventLines: number[];
  errors: FileLineError[];
  /** Data lines (records after the header; blank lines not counted). */
  lines: number;
  missingColumns: string[];
};

export type TableRow = { line: number; get(column: string): string; values: Record<string, string> };

export type Table = { rows: TableRow[]; result: FileParseResult };

/**
 * Read a delimited file with a header line into rows addressed by column name (trimmed, lower-case). Columns
 * not in `required` are optional; unknown columns are ignored, as exports gain columns over time. Rows that
 * cannot be split are reported in `result.errors` and not returned.
 */
export function readTable(text: string, delimiter: ',' | '\t', required: readonly string[]): Table {
  const result: FileParseResult = { events: [], eventLines: [], errors: [], lines: 0, missingColumns: [] };
  const records = readDelimited(text, delimiter);
  const header = records[0];
  if (!header || 'error' in header) {
    result.missingColumns = [...required];
    return { rows: [], result };
  }
  const columns = header.fields.map((name) => name.trim().toLowerCase());
  result.missingColumns = required.filter((name) => !columns.includes(name));
  if (result.missingColumns.length > 0) return { rows: [], result };

  const index = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name && !index.has(name)) index.set(name, i);
  });
  const rows: TableRow[] = [];
  for (const record of records.slice(1)) {
    if ('fields' in record && record.fields.every((f) => f.trim() === '')) continue;
    result.lines++;
    if ('error' in record) {
      result.errors.push({ line: record.line, field: '(line)', message: record.error });
      continue;
    }
    if (record.fields.length > columns.length) {
      result.errors.push({
        line: record.line,
        field: '(line)',
        message: `has ${record.fields.length} values but the header has ${columns.length} columns (an unquoted ${delimiter === '\t' ? 'tab' : 'comma'} inside a value?)`,
      });
      continue;
    }
    const fields = record.fields;
    const values: Record<string, string> = {};
    for (const [name, i] of index) values[name] = (fields[i] ?? '').trim();
    rows.push({ line: record.line, values, get: (column) => values[column] ?? '' });
  }
  return { rows, result };
}

/** Problems found on one line, named by column. */
export class LineProblems {
  readonly list: FileLineError[] = [];
  constructor(readonly line: number) {}
  add(field: string, message: string): void {
    this.list.push({ line: this.line, field, message });
  }
  get ok(): boolean {
    return this.list.length === 0;
  }
}

/**
 * Validate a mapped event against canonical event v1 and keep it, or report the issues under the file's own
 * column names (`columnOf` maps a canonical field such as `occurred_at` or `keys.order_id` to the column).
 */
export function keepEvent(result: FileParseResult, line: number, event: CanonicalEventInput, columnOf: Record<string, string>): boolean {
  const checked = validateEvent(event);
  if (checked.ok) {
    result.events.push(event);
    result.eventLines.push(line);
    return true;
  }
  for (const issue of checked.issues) result.errors.push({ line, field: columnOf[issue.field] ?? issue.field, message: issue.message });
  return false;
}

/** The row as it was in the file (non-empty values), for the event payload. */
export function rowPayload(row: TableRow): Record<string, string> {
  return Object.fromEntries(Object.entries(row.values).filter(([, v]) => v !== ''));
}

/** Errors in file order (structural problems are found before the mapping's), for people reading a report. */
export function finished(result: FileParseResult): FileParseResult {
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}
