import { describe, expect, it } from 'vitest';
import type { ReconciliationDetailAnswer } from '../../api/contracts';
import { item } from './reconciliationFixtures';
import { shapeSettlement, subtractDecimal } from './shapeSettlement';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
const T = Date.UTC(2026, 10, 27, 14, 3, 0);

const detail = (overrides: Partial<ReconciliationDetailAnswer> = {}): ReconciliationDetailAnswer => ({
  ...item(),
  orders: [
    { order_id: '302-2', status: 'matched', line_gross: '100.00', erp_gross: '100.00', difference: '0.00', refunded: null, currency: 'EUR' },
    { order_id: '302-1', status: 'missing_invoice', line_gross: '100.00', erp_gross: null, difference: null, refunded: '-20.00', currency: 'EUR' },
  ],
  refunds: [{ refund_id: 'R-9', order_id: '302-1', amount: '-20.00', currency: 'EUR', lines: 1 }],
  postings: [
    { journal_id: 'JE-1', account: '1200', role: 'bank', amount: '170.00', currency: 'EUR', posted_at: T },
    { journal_id: 'JE-1', account: '6810', role: 'fee', amount: '30.00', currency: 'EUR', posted_at: T },
  ],
  ...overrides,
});

describe('shapeSettlement', () => {
  it('subtracts money exactly', () => {
    expect(subtractDecimal('34.00', '30.00')).toBe('4.00');
    expect(subtractDecimal('0.1', '0.3')).toBe('-0.2');
    expect(subtractDecimal('1200', '1199.5')).toBe('0.5');
    expect(subtractDecimal(null, '1')).toBeNull();
  });

  it('explains the difference part by part: gross, fees, tax, then the net it is on', () => {
    const view = shapeSettlement(detail(), utc);
    expect(view.comparison.map((r) => [r.part, r.settlement, r.erp, r.difference, r.tone])).toEqual([
      ['Gross: sales less refunds', '€200.00', '€200.00', '€0.00', 'none'],
      ['Fees', '€34.00', '€30.00', '€4.00', 'warn'],
      ['Tax', '€0.00', '€0.00', '€0.00', 'none'],
      ['Net: the deposit against the ERP bank line', '€166.00', '€170.00', '-€4.00', 'bad'],
    ]);
    expect(view.tolerance).toBe('€0.01');
  });

  it('lists orders with problems first, then the refunds and the ERP journal lines', () => {
    const view = shapeSettlement(detail(), utc);
    expect(view.orders.map((o) => [o.orderId, o.status.label, o.sale, o.invoice, o.refunded])).toEqual([
      ['302-1', 'No ERP invoice', '€100.00', '–', '-€20.00'],
      ['302-2', 'Matched', '€100.00', '€100.00', '–'],
    ]);
    expect(view.refunds).toEqual([{ refundId: 'R-9', orderId: '302-1', amount: '-€20.00', lines: 1 }]);
    expect(view.postings.map((p) => [p.journalId, p.account, p.role, p.amount, p.postedAt])).toEqual([
      ['JE-1', '1200', 'Bank: the net expected', '€170.00', '27 Nov, 14:03'],
      ['JE-1', '6810', 'Fees', '€30.00', '27 Nov, 14:03'],
    ]);
  });

  it('does not subtract amounts in different currencies', () => {
    const view = shapeSettlement(detail({ currency: 'GBP', erp_currency: 'EUR', difference: null, reason: 'currency' }), utc);
    expect(view.comparison[1]).toMatchObject({ settlement: '£34.00', erp: '€30.00', difference: '–' });
  });
});
