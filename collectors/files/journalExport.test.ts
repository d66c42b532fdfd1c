import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import { parseJournalExport } from './journalExport.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseJournalExport', () => {
  const parsed = parseJournalExport(fixture('erp-journal.csv'));
  const byType = (type: string) => parsed.events.filter((e) => (e.payload as Record<string, string>).document_type === type);

  it('maps each journal line to one valid erp.journal.posted event', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toBe(11);
    expect(parsed.events).toHaveLength(11);
    expect(parsed.events.every((e) => e.step === 'erp.journal.posted' && validateEvent(e).ok)).toBe(true);
  });

  it('uses debit − credit as the amount, exactly', () => {
    expect(byType('invoice').map((e) => e.amount)).toEqual(['129.00', '-108.40', '-20.60']);
    expect(byType('settlement').map((e) => e.amount)).toEqual(['71.02', '92.88', '-163.90']);
  });

  it('keys an invoice by order id, a credit memo by refund id, a settlement or payout by settlement id', () => {
    expect(byType('invoice')[0]).toMatchObject({
      event_id: 'journal-JE-2026-004711-1:erp.journal.posted',
      correlation_id: 'journal-JE-2026-004711',
      flow: 'settlement_to_ledger',
      system: 'erp',
      currency: 'EUR',
      occurred_at: Date.parse('2026-11-09T00:00:00Z'),
      keys: { journal_id: 'JE-2026-004711', order_id: '302-3333333-3000003' },
    });
    expect(byType('credit_memo')[0]).toMatchObject({
      correlation_id: 'rtr-50418347892',
      flow: 'return_to_refund',
      amount: '41.93',
      keys: { journal_id: 'JE-2026-004790', refund_id: '50418347892' },
    });
    expect(byType('settlement')[0]).toMatchObject({ correlation_id: 'settlement-11893454021', flow: 'settlement_to_ledger', keys: { journal_id: 'JE-2026-004802', settlement_id: '11893454021' } });
    expect(byType('payout')[0]).toMatchObject({ correlation_id: 'settlement-11893454021', keys: { journal_id: 'JE-2026-004803', settlement_id: '11893454021' } });
    expect(byType('credit_memo')[0]?.payload).toMatchObject({ description: 'Credit memo CM-1207 for "T-shirt, black, M"' });
  });

  it('reports bad lines by number, column and reason and keeps the good ones', () => {
    const withErrors = parseJournalExport(fixture('erp-journal-with-errors.csv'));
    expect(withErrors.errors).toEqual([
      { line: 4, field: 'document_type', message: expect.stringContaining('not "memo"') },
      { line: 5, field: 'posting_date', message: expect.stringContaining('must be a date') },
      { line: 6, field: 'debit', message: expect.stringContaining('decimal') },
      { line: 7, field: 'debit', message: expect.stringContaining('debit or a credit') },
      { line: 8, field: 'line_no', message: expect.stringContaining('already on line 2') },
      { line: 9, field: 'reference', message: 'is required' },
    ]);
    expect(withErrors.eventLines).toEqual([2, 10]);
    expect(withErrors.events[1]).toMatchObject({ currency: 'USD', amount: '-14.46', keys: { settlement_id: '11900000077' } });
  });

  it('refuses an export whose header lacks required columns, naming them', () => {
    expect(parseJournalExport('journal_id,line_no,posting_date,account,amount,currency,document_type,reference\n').missingColumns).toEqual(['debit', 'credit']);
    expect(parseJournalExport('').missingColumns).toHaveLength(9);
  });
});
