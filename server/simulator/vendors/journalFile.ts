import { fromScaled, toScaled } from '../../../collectors/files/fieldValues.js';
import { JOURNAL_DOCUMENT_TYPES } from '../../../collectors/files/journalExport.js';
import type { JournalLine, SimEvent } from '../model.js';
import { csvRecord, isoWithOffset, toWholeSeconds } from './textFormats.js';

/**
 * The ERP's journal export (collectors/files/README.md): one CSV row per journal line, the posting time in the
 * ERP's local time with its offset (the entry time, so lag to the ledger is measurable to the second), debit or
 * credit filled, money with a decimal point.
 */

const HEADER = ['journal_id', 'line_no', 'posting_date', 'account', 'debit', 'credit', 'currency', 'document_type', 'reference', 'description'] as const;

function scaled(money: string): bigint {
  return money.trim() === '' ? 0n : toScaled(money);
}

/** The `erp.journal.posted` event Flowlens stores for one journal line: amount = debit − credit, dated to the second. */
export function journalLineEvent(line: JournalLine): SimEvent {
  // The receiver's own table of which transaction each document type closes (a credit memo its refund's, rtr-<id>).
  const document = JOURNAL_DOCUMENT_TYPES[line.document_type]!;
  return {
    event_id: `journal-${line.journal_id}-${line.line_no}:erp.journal.posted`,
    correlation_id: document.correlation(line.reference, line.journal_id),
    flow: document.flow,
    step: 'erp.journal.posted',
    system: 'erp',
    amount: fromScaled(scaled(line.debit) - scaled(line.credit)),
    currency: line.currency.toUpperCase(),
    status: 'ok',
    occurred_at: toWholeSeconds(line.posting_date),
    keys: { journal_id: line.journal_id, [document.key]: line.reference },
  };
}

/** A journal export file: the header and one row per line, CRLF-terminated (RFC 4180). */
export function journalCsv(lines: readonly JournalLine[]): string {
  const rows = lines.map((line) =>
    csvRecord([
      line.journal_id,
      line.line_no,
      isoWithOffset(line.posting_date),
      line.account,
      line.debit,
      line.credit,
      line.currency.toUpperCase(),
      line.document_type,
      line.reference,
      line.description,
    ]),
  );
  return [csvRecord(HEADER), ...rows].map((row) => `${row}\r\n`).join('');
}
