import type { CanonicalEventInput } from '../../server/contracts/canonicalEvent.js';
import { fromScaled, idProblem, parseDateTime, parseDecimal, toScaled } from './fieldValues.js';
import { finished, keepEvent, LineProblems, readTable, rowPayload, type FileParseResult, type TableRow } from './fileTable.js';

/**
 * ERP journal export (CSV), one row per journal line:
 *
 * `journal_id,line_no,posting_date,account,debit,credit,currency,document_type,reference,description`
 *
 * `reference` is the business document the posting is for; what it names depends on `document_type`.
 */
export const JOURNAL_REQUIRED_COLUMNS = ['journal_id', 'line_no', 'posting_date', 'account', 'debit', 'credit', 'currency', 'document_type', 'reference'] as const;

type DocumentMapping = { flow: string; key: string; correlation: (reference: string, journalId: string) => string };

/**
 * Which flow a posting closes and which business key its reference is. A credit memo ends the refund's
 * `return_to_refund` transaction (correlated like the refund: `rtr-<refund_id>`); settlement and payout postings
 * end the settlement's `settlement_to_ledger` transaction (`settlement-<id>`, as the settlement report's events);
 * an invoice posting stands on its own and is found through its order id.
 */
export const JOURNAL_DOCUMENT_TYPES: Record<string, DocumentMapping> = {
  invoice: { flow: 'settlement_to_ledger', key: 'order_id', correlation: (_reference, journalId) => `journal-${journalId}` },
  credit_memo: { flow: 'return_to_refund', key: 'refund_id', correlation: (reference) => `rtr-${reference}` },
  settlement: { flow: 'settlement_to_ledger', key: 'settlement_id', correlation: (reference) => `settlement-${reference}` },
  payout: { flow: 'settlement_to_ledger', key: 'settlement_id', correlation: (reference) => `settlement-${reference}` },
};

const STEP = 'erp.journal.posted';

const COLUMNS: Record<string, string> = {
  event_id: 'journal_id',
  correlation_id: 'reference',
  'keys.journal_id': 'journal_id',
  'keys.order_id': 'reference',
  'keys.refund_id': 'reference',
  'keys.settlement_id': 'reference',
  amount: 'debit',
  currency: 'currency',
  occurred_at: 'posting_date',
};

/** One `erp.journal.posted` event per journal line, amount = debit − credit, keyed by journal and reference. */
export function parseJournalExport(text: string): FileParseResult {
  const { rows, result } = readTable(text, ',', JOURNAL_REQUIRED_COLUMNS);
  if (result.missingColumns.length > 0) return result;
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    const problems = new LineProblems(row.line);
    const event = journalEvent(row, problems, firstLineOf);
    if (event) keepEvent(result, row.line, event, COLUMNS);
    else result.errors.push(...problems.list);
  }
  return finished(result);
}

function journalEvent(row: TableRow, problems: LineProblems, firstLineOf: Map<string, number>): CanonicalEventInput | undefined {
  const journalId = row.get('journal_id');
  const journalIssue = idProblem(journalId);
  if (journalIssue) problems.add('journal_id', journalIssue);
  const lineNo = row.get('line_no');
  if (!/^\d{1,6}$/.test(lineNo)) problems.add('line_no', lineNo === '' ? 'is required' : 'must be a whole number of at most 6 digits');

  const postingText = row.get('posting_date');
  const posted = parseDateTime(postingText);
  if (!posted) problems.add('posting_date', postingText === '' ? 'is required' : 'must be a date such as 2026-11-27 (or an ISO 8601 time with an offset)');
  if (row.get('account') === '') problems.add('account', 'is required');

  const debit = money(row, 'debit', problems);
  const credit = money(row, 'credit', problems);
  if (row.get('debit') === '' && row.get('credit') === '') problems.add('debit', 'a journal line needs a debit or a credit amount');

  const documentType = row.get('document_type').toLowerCase();
  const mapping = JOURNAL_DOCUMENT_TYPES[documentType];
  if (!mapping) {
    const known = Object.keys(JOURNAL_DOCUMENT_TYPES).join(', ');
    problems.add('document_type', documentType === '' ? `is required (one of ${known})` : `must be one of ${known}, not "${row.get('document_type')}"`);
  }
  const reference = row.get('reference');
  const referenceIssue = idProblem(reference);
  if (referenceIssue) problems.add('reference', referenceIssue);
  if (!problems.ok || !posted || !mapping || debit === undefined || credit === undefined) return undefined;

  const lineKey = `${journalId}-${Number(lineNo)}`;
  const first = firstLineOf.get(lineKey);
  if (first !== undefined) {
    problems.add('line_no', `journal ${journalId} line ${lineNo} is already on line ${first}`);
    return undefined;
  }
  firstLineOf.set(lineKey, row.line);
  return {
    event_id: `journal-${lineKey}:${STEP}`,
    correlation_id: mapping.correlation(reference, journalId),
    flow: mapping.flow,
    step: STEP,
    system: 'erp',
    amount: fromScaled(debit - credit),
    currency: row.get('currency').toUpperCase(),
    occurred_at: posted.ms,
    keys: { journal_id: journalId, [mapping.key]: reference },
    payload: rowPayload(row),
  };
}

function money(row: TableRow, column: 'debit' | 'credit', problems: LineProblems): bigint | undefined {
  const text = row.get(column);
  if (text === '') return 0n;
  const value = parseDecimal(text);
  if (value === undefined) {
    problems.add(column, 'must be a decimal amount such as 1234.56 (or empty)');
    return undefined;
  }
  return toScaled(value);
}
