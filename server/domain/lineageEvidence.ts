import { createHash } from 'node:crypto';
import { storedEventSchema, type StoredEvent } from '../contracts/api.js';
import { type LineageEvidence, type LineageResponse } from '../contracts/lineageApi.js';

/**
 * A lineage answer shaped as evidence for an auditor (issue 5), pure: the JSON document (the whole answer, when
 * it was made and a SHA-256 of its events) or a CSV of its events, and the file name to save it under.
 */

export const EVIDENCE_FORMATS = ['json', 'csv'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];
export type EvidenceFile = { filename: string; contentType: string; body: string };

/** Every canonical field, in contract order: the CSV's columns. */
export const EVIDENCE_COLUMNS = Object.keys(storedEventSchema.shape) as (keyof StoredEvent)[];

/** SHA-256 (hex) of the events as compact JSON in UTF-8, so anyone can recompute it from the JSON export. */
export function eventsSha256(events: readonly StoredEvent[]): string {
  return createHash('sha256').update(JSON.stringify(events), 'utf8').digest('hex');
}

/** The JSON evidence: the lineage answer as served, plus when it was generated and the digest of its events. */
export function lineageEvidence(answer: LineageResponse, generatedAt: number): LineageEvidence {
  return { ...answer, generated_at: new Date(generatedAt).toISOString(), events_sha256: eventsSha256(answer.events) };
}

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// `;` and `=` separate keys; `%` escapes them, so a value holding any of the three still reads back exactly.
const keyPart = (text: string) => text.replace(/[%;=]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** Business keys as `name=value;name=value`, sorted by name; `%`, `;` and `=` inside them percent-encoded. */
export function formatKeys(keys: Readonly<Record<string, string>>): string {
  return Object.entries(keys)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${keyPart(name)}=${keyPart(value)}`)
    .join(';');
}

/** The inverse of formatKeys. */
export function parseKeys(text: string): Record<string, string> {
  if (text === '') return {};
  return Object.fromEntries(
    text.split(';').map((pair) => {
      const [name = '', value = ''] = pair.split('=');
      return [decodeURIComponent(name), decodeURIComponent(value)];
    }),
  );
}

function cell(event: StoredEvent, column: keyof StoredEvent): string {
  const value = event[column];
  if (value === null) return '';
  if (column === 'keys') return formatKeys(value as Record<string, string>);
  return String(value);
}

/** RFC 4180 CSV: a header row, then one row per event in the order given (time order); CRLF line ends; nulls empty. */
export function lineageCsv(events: readonly StoredEvent[]): string {
  const rows = [EVIDENCE_COLUMNS.join(','), ...events.map((e) => EVIDENCE_COLUMNS.map((c) => csvField(cell(e, c))).join(','))];
  return `${rows.join('\r\n')}\r\n`;
}

/** `lineage-<key>-<UTC time>.<ext>`; the key keeps letters, digits, `.`, `_` and `-` (others become `_`), at most 80 of them. */
export function evidenceFilename(key: string, generatedAt: number, ext: EvidenceFormat): string {
  const safeKey = key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
  const stamp = new Date(generatedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `lineage-${safeKey}-${stamp}.${ext}`;
}

/** The export as a file: JSON (pretty-printed) or CSV, UTF-8, named for the key and the time it was made. */
export function evidenceFile(answer: LineageResponse, format: EvidenceFormat, generatedAt: number): EvidenceFile {
  const filename = evidenceFilename(answer.key, generatedAt, format);
  if (format === 'csv') return { filename, contentType: 'text/csv; charset=utf-8; header=present', body: lineageCsv(answer.events) };
  return { filename, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify(lineageEvidence(answer, generatedAt), null, 2)}\n` };
}
