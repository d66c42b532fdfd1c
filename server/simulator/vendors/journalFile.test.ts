import { describe, expect, it } from 'vitest';
import { parseJournalExport } from '../../../collectors/files/journalExport.js';
import type { JournalLine } from '../model.js';
import { journalCsv, journalLineEvent } from './journalFile.js';
import { comparable, storedForm } from './storedForm.js';

// Posted at 00:30 Berlin time on 11 November: still 10 November in UTC, so the local date matters.
const postedAt = Date.UTC(2026, 10, 10, 23, 30);
const creditMemo: JournalLine[] = [
  { journal_id: 'JE-2026-004790', line_no: 1, posting_date: postedAt, account: '4000 Revenue', debit: '1037.39', credit: '', currency: 'EUR', document_type: 'credit_memo', reference: 're_3SimRefund1042bbbbbbbb', description: 'Credit memo CM-1207 for "TV, 55in OLED"' },
  { journal_id: 'JE-2026-004790', line_no: 2, posting_date: postedAt, account: '1776 Output VAT 19%', debit: '197.11', credit: '', currency: 'EUR', document_type: 'credit_memo', reference: 're_3SimRefund1042bbbbbbbb', description: 'VAT' },
  { journal_id: 'JE-2026-004790', line_no: 3, posting_date: postedAt, account: '1200 Receivables Shopify', debit: '', credit: '1234.50', currency: 'EUR', document_type: 'credit_memo', reference: 're_3SimRefund1042bbbbbbbb', description: 'Refund via Stripe' },
];
const settlement: JournalLine = { journal_id: 'JE-2026-004802', line_no: 1, posting_date: postedAt, account: '1810 Amazon clearing', debit: '71.02', credit: '', currency: 'EUR', document_type: 'settlement', reference: '11893454021', description: 'Settlement 11893454021 net' };
const payout: JournalLine = { ...settlement, journal_id: 'JE-2026-004803', account: '1800 Bank', document_type: 'payout', reference: 'po_1SimPayout2026w48aaaa', description: 'Stripe payout' };
const invoice: JournalLine = { ...settlement, journal_id: 'JE-2026-004711', account: '1200 Receivables Amazon', debit: '129.00', document_type: 'invoice', reference: '302-3333333-3000003', description: 'Invoice INV-88121, order 302-3333333-3000003' };

describe('journalCsv and journalLineEvent', () => {
  const lines = [...creditMemo, settlement, payout, invoice];
  const parsed = parseJournalExport(journalCsv(lines));

  it('writes an export the journal receiver reads without a line error', () => {
    expect(parsed.missingColumns).toEqual([]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toBe(lines.length);
  });

  it('predicts every stored event', () => {
    expect(storedForm(parsed.events)).toEqual(lines.map((line) => comparable(journalLineEvent(line))));
  });

  it('puts a credit memo in its refund’s transaction, amount = debit − credit, at its posting time', () => {
    expect(journalLineEvent(creditMemo[2]!)).toEqual({
      event_id: 'journal-JE-2026-004790-3:erp.journal.posted',
      correlation_id: 'rtr-re_3SimRefund1042bbbbbbbb',
      flow: 'return_to_refund',
      step: 'erp.journal.posted',
      system: 'erp',
      amount: '-1234.50',
      currency: 'EUR',
      status: 'ok',
      occurred_at: Date.UTC(2026, 10, 10, 23, 30, 0),
      keys: { journal_id: 'JE-2026-004790', refund_id: 're_3SimRefund1042bbbbbbbb' },
    });
  });

  it('puts settlement and payout postings in the settlement’s transaction, where the Stripe payout lands too', () => {
    expect(journalLineEvent(settlement)).toMatchObject({ correlation_id: 'settlement-11893454021', flow: 'settlement_to_ledger', keys: { settlement_id: '11893454021' } });
    expect(journalLineEvent(payout)).toMatchObject({ correlation_id: 'settlement-po_1SimPayout2026w48aaaa', keys: { settlement_id: 'po_1SimPayout2026w48aaaa' } });
    expect(journalLineEvent(invoice)).toMatchObject({ correlation_id: 'journal-JE-2026-004711', keys: { order_id: '302-3333333-3000003' } });
  });

  it('quotes descriptions with commas and quotes', () => {
    expect(journalCsv([creditMemo[0]!]).split('\r\n')[1]).toBe(
      'JE-2026-004790,1,2026-11-11T00:30:00+01:00,4000 Revenue,1037.39,,EUR,credit_memo,re_3SimRefund1042bbbbbbbb,"Credit memo CM-1207 for ""TV, 55in OLED"""',
    );
  });
});
