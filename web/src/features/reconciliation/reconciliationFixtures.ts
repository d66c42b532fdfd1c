import type { ReconciliationItemAnswer } from '../../api/contracts';

/** A listed settlement for tests: Amazon charged 34.00 in fees, the ERP booked 30.00. */
const T = Date.UTC(2026, 10, 27, 14, 3, 0);

export function item(overrides: Partial<ReconciliationItemAnswer> = {}): ReconciliationItemAnswer {
  return {
    settlement_id: '11800000001',
    correlation_id: 'settlement-11800000001',
    source: 'amazon',
    status: 'mismatched',
    reason: 'fee',
    explanation: 'amazon charged 34.00 EUR in fees but the ERP booked 30.00 EUR; that explains the difference of -4.00 EUR',
    currency: 'EUR',
    erp_currency: 'EUR',
    reported_at: T,
    erp_posted_at: T + 8_000,
    reported_net: '166.00',
    erp_net: '170.00',
    difference: '-4.00',
    tolerance: '0.01',
    lines_total: '166.00',
    gross: { reported: '200.00', erp: '200.00' },
    fees: { reported: '34.00', erp: '30.00' },
    tax: { reported: '0.00', erp: '0.00' },
    lines: 2,
    journal_ids: ['JE-1'],
    order_counts: { total: 1, matched: 1, mismatched: 0, currency: 0, missing_invoice: 0, missing_line: 0, adjustment_only: 0 },
    refund_count: 0,
    owner: { id: 'finance', name: 'Finance' },
    ...overrides,
  };
}
