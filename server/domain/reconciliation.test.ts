import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LEDGER_ACCOUNTS,
  journalRole,
  mismatchesByReason,
  reconcileSettlement,
  settlementLineKind,
  totalsByStatus,
  type InvoiceInput,
  type JournalLineInput,
  type SettlementInput,
  type SettlementLineInput,
} from './reconciliation.js';

const T = Date.parse('2026-11-27T10:00:00Z');
const sale = (order: string, price: string, fee: string): SettlementLineInput[] => [
  { amount: price, currency: 'EUR', kind: 'principal', order_id: order },
  { amount: `-${fee}`, currency: 'EUR', kind: 'fee', order_id: order },
];
/** The ERP's entry as the simulated estate books it: bank (expected net), fees, receivables (gross). */
const booking = (gross: string, fees: string, currency = 'EUR'): JournalLineInput[] => {
  const net = (Number(gross) * 100 - Number(fees) * 100) / 100;
  return [
    { amount: net.toFixed(2), currency, role: 'bank', journal_id: 'JE-1', posted_at: T + 8_000 },
    { amount: fees, currency, role: 'fee', journal_id: 'JE-1', posted_at: T + 8_000 },
    { amount: `-${gross}`, currency, role: 'receivable', journal_id: 'JE-1', posted_at: T + 8_000 },
  ];
};
const invoice = (order: string, amount: string, currency = 'EUR'): InvoiceInput => ({ order_id: order, amount, currency });
const settlement = (extra: Partial<SettlementInput>): SettlementInput => ({
  settlement_id: '11800000001',
  correlation_id: 'settlement-11800000001',
  source: 'amazon',
  reported: null,
  lines: [],
  journal: [],
  invoices: [],
  ...extra,
});

// Two orders, 100.00 and 50.10, 15 % commission as contracted: 15.00 + 7.52 (rounded per order).
const lines = [...sale('A-1', '100.00', '15.00'), ...sale('A-2', '50.10', '7.52')];
const invoices = [invoice('A-1', '100.00'), invoice('A-2', '50.10')];

describe('settlement reconciliation', () => {
  it('matches a deposit the ERP expected, order by order', () => {
    const r = reconcileSettlement(settlement({ reported: { amount: '127.58', currency: 'EUR', at: T }, lines, journal: booking('150.10', '22.52'), invoices }));
    expect(r).toMatchObject({ status: 'matched', reason: null, reported_net: '127.58', erp_net: '127.58', difference: '0.00', tolerance: '0.01', currency: 'EUR', erp_currency: 'EUR', reported_at: T, erp_posted_at: T + 8_000, lines_total: '127.58', journal_ids: ['JE-1'] });
    expect(r.gross).toEqual({ reported: '150.10', erp: '150.10' });
    expect(r.fees).toEqual({ reported: '22.52', erp: '22.52' });
    expect(r.orders).toEqual([
      { order_id: 'A-1', status: 'matched', line_gross: '100.00', erp_gross: '100.00', difference: '0.00', refunded: null, currency: 'EUR' },
      { order_id: 'A-2', status: 'matched', line_gross: '50.10', erp_gross: '50.10', difference: '0.00', refunded: null, currency: 'EUR' },
    ]);
    expect(r.order_counts).toMatchObject({ total: 2, matched: 2, missing_invoice: 0 });
  });

  it('explains a short deposit by the fees when the marketplace charged more than the ERP booked', () => {
    // Amazon charged 17 %: 17.00 + 8.52; the ERP booked the contract's 15 %.
    const charged = [...sale('A-1', '100.00', '17.00'), ...sale('A-2', '50.10', '8.52')];
    const r = reconcileSettlement(settlement({ reported: { amount: '124.58', currency: 'EUR', at: T }, lines: charged, journal: booking('150.10', '22.52'), invoices }));
    expect(r).toMatchObject({ status: 'mismatched', reason: 'fee', reported_net: '124.58', erp_net: '127.58', difference: '-3.00' });
    expect(r.fees).toEqual({ reported: '25.52', erp: '22.52' });
    expect(r.explanation).toBe('amazon charged 25.52 EUR in fees but the ERP booked 22.52 EUR; that explains the difference of -3.00 EUR');
  });

  it('counts a difference within the tolerance as matched, and takes the tolerance per currency', () => {
    const input = settlement({ reported: { amount: '127.59', currency: 'EUR', at: T }, lines, journal: booking('150.10', '22.52'), invoices });
    expect(reconcileSettlement(input)).toMatchObject({ status: 'matched', difference: '0.01' });
    expect(reconcileSettlement(input, { toleranceMinor: 0 })).toMatchObject({ status: 'mismatched', difference: '0.01', tolerance: '0.00' });
    expect(reconcileSettlement(input, { toleranceMinor: 0, currencyToleranceMinor: { EUR: 5 } })).toMatchObject({ status: 'matched', tolerance: '0.05' });
  });

  it('never matches amounts in different currencies, and says so', () => {
    const r = reconcileSettlement(settlement({ reported: { amount: '127.58', currency: 'GBP', at: T }, lines: lines.map((l) => ({ ...l, currency: 'GBP' })), journal: booking('150.10', '22.52'), invoices }));
    expect(r).toMatchObject({ status: 'mismatched', reason: 'currency', difference: null, currency: 'GBP', erp_currency: 'EUR', reported_net: '127.58', erp_net: '127.58' });
    expect(r.explanation).toMatch(/reported in GBP but booked in EUR/);
    expect(r.orders.map((o) => o.status)).toEqual(['currency', 'currency']);
  });

  it('names a settled order the ERP never invoiced', () => {
    // The ERP booked only A-1's receivable; A-2 (50.10 less 7.52) is missing from its expected net.
    const r = reconcileSettlement(settlement({ reported: { amount: '127.58', currency: 'EUR', at: T }, lines, journal: booking('100.00', '22.52'), invoices: [invoices[0]!] }));
    expect(r).toMatchObject({ status: 'mismatched', reason: 'missing_line', difference: '50.10' });
    expect(r.explanation).toBe('1 settled order(s) without an ERP invoice (A-2); difference 50.10 EUR');
    expect(r.orders[1]).toEqual({ order_id: 'A-2', status: 'missing_invoice', line_gross: '50.10', erp_gross: null, difference: null, refunded: null, currency: 'EUR' });
  });

  it('names an ERP invoice with no settlement line', () => {
    const r = reconcileSettlement(settlement({ reported: { amount: '85.00', currency: 'EUR', at: T }, lines: sale('A-1', '100.00', '15.00'), journal: booking('150.10', '22.52'), invoices }));
    expect(r).toMatchObject({ status: 'mismatched', reason: 'missing_line' });
    expect(r.orders.map((o) => [o.order_id, o.status])).toEqual([
      ['A-1', 'matched'],
      ['A-2', 'missing_line'],
    ]);
    expect(r.order_counts).toMatchObject({ total: 2, matched: 1, missing_line: 1 });
  });

  it('explains a difference by tax the settlement carries and the ERP did not book', () => {
    const withTax = [...lines, { amount: '19.00', currency: 'EUR', kind: 'tax' as const, order_id: 'A-1' }];
    const r = reconcileSettlement(settlement({ reported: { amount: '146.58', currency: 'EUR', at: T }, lines: withTax, journal: booking('150.10', '22.52'), invoices: [invoice('A-1', '119.00'), invoices[1]!] }));
    expect(r).toMatchObject({ status: 'mismatched', reason: 'tax', difference: '19.00' });
    expect(r.tax).toEqual({ reported: '19.00', erp: '0.00' });
    expect(r.orders[0]).toMatchObject({ order_id: 'A-1', status: 'matched', line_gross: '119.00' });
  });

  it('says unknown when nothing it can see explains the difference', () => {
    const r = reconcileSettlement(settlement({ reported: { amount: '120.00', currency: 'EUR', at: T }, lines, journal: booking('150.10', '22.52'), invoices }));
    expect(r).toMatchObject({ status: 'mismatched', reason: 'unknown', difference: '-7.58' });
    expect(r.lines_total).toBe('127.58');
  });

  it('keeps a settlement the ERP has not posted, and an ERP posting without a report, apart', () => {
    const reportOnly = reconcileSettlement(settlement({ reported: { amount: '127.58', currency: 'EUR', at: T }, lines, invoices }));
    expect(reportOnly).toMatchObject({ status: 'unmatched_settlement', reason: null, reported_net: '127.58', erp_net: null, difference: null, erp_posted_at: null });
    const erpOnly = reconcileSettlement(settlement({ source: null, journal: booking('150.10', '22.52') }));
    expect(erpOnly).toMatchObject({ status: 'unmatched_erp', reported_net: null, erp_net: '127.58', difference: null, currency: null, erp_currency: 'EUR', lines: 0 });
  });

  it('reconciles a payout that has no lines (Stripe) on its net alone', () => {
    const r = reconcileSettlement(settlement({ source: 'stripe', reported: { amount: '96.80', currency: 'EUR', at: T }, journal: booking('100.00', '3.20') }));
    expect(r).toMatchObject({ status: 'matched', reported_net: '96.80', erp_net: '96.80', lines_total: null, fees: { reported: null, erp: '3.20' } });
  });

  it('compares only the sale of an order, shows its refund, and leaves refund-only orders uncompared', () => {
    const refunded = [...lines, { amount: '-100.00', currency: 'EUR', kind: 'refund' as const, order_id: 'A-1', refund_id: 'ADJ-1' }, { amount: '12.00', currency: 'EUR', kind: 'fee' as const, order_id: 'A-1' }];
    const earlier = [{ amount: '-30.00', currency: 'EUR', kind: 'refund' as const, order_id: 'A-0', refund_id: 'ADJ-0' }];
    const r = reconcileSettlement(settlement({ reported: { amount: '9.58', currency: 'EUR', at: T }, lines: [...refunded, ...earlier], journal: booking('20.10', '10.52'), invoices: [...invoices, invoice('A-0', '30.00')] }));
    expect(r.orders.map((o) => [o.order_id, o.status, o.line_gross, o.refunded])).toEqual([
      ['A-0', 'adjustment_only', null, '-30.00'],
      ['A-1', 'matched', '100.00', '-100.00'],
      ['A-2', 'matched', '50.10', null],
    ]);
    expect(r).toMatchObject({ status: 'matched', gross: { reported: '20.10', erp: '20.10' }, fees: { reported: '10.52', erp: '10.52' }, refund_count: 2 });
    expect(r.refunds).toEqual([
      { refund_id: 'ADJ-1', order_id: 'A-1', amount: '-100.00', currency: 'EUR', lines: 1 },
      { refund_id: 'ADJ-0', order_id: 'A-0', amount: '-30.00', currency: 'EUR', lines: 1 },
    ]);
  });

  it("lists the ERP's journal lines with the part of the settlement each books", () => {
    const journal = booking('150.10', '22.52').map((j, i) => ({ ...j, account: ['1200', '6810', '1410'][i] }));
    const r = reconcileSettlement(settlement({ reported: { amount: '127.58', currency: 'EUR', at: T }, lines, journal, invoices }));
    expect(r.postings).toEqual([
      { journal_id: 'JE-1', account: '1200', role: 'bank', amount: '127.58', currency: 'EUR', posted_at: T + 8_000 },
      { journal_id: 'JE-1', account: '1410', role: 'receivable', amount: '-150.10', currency: 'EUR', posted_at: T + 8_000 },
      { journal_id: 'JE-1', account: '6810', role: 'fee', amount: '22.52', currency: 'EUR', posted_at: T + 8_000 },
    ]);
    expect(r.refunds).toEqual([]);
  });

  it('tells an unknown expected net when the ERP entry has no bank line', () => {
    const noBank = booking('150.10', '22.52').filter((j) => j.role !== 'bank');
    expect(reconcileSettlement(settlement({ reported: { amount: '127.58', currency: 'EUR', at: T }, lines, journal: noBank }))).toMatchObject({ status: 'mismatched', reason: 'unknown', erp_net: null, difference: null });
  });

  it('classifies Amazon settlement rows and journal accounts', () => {
    const kind = (transaction_type: string, amount_type: string, amount_description: string, amount = '1') => settlementLineKind({ transaction_type, amount_type, amount_description, amount });
    expect(kind('Order', 'ItemPrice', 'Principal')).toBe('principal');
    expect(kind('Order', 'ItemPrice', 'Tax')).toBe('tax');
    expect(kind('Order', 'ItemWithheldTax', 'MarketplaceFacilitatorTax-Principal')).toBe('tax');
    expect(kind('Order', 'ItemFees', 'Commission', '-1')).toBe('fee');
    expect(kind('Refund', 'ItemPrice', 'Principal', '-1')).toBe('refund');
    expect(kind('Refund', 'ItemFees', 'RefundCommission')).toBe('fee');
    expect(kind('other-transaction', 'other-transaction', 'Storage Fee', '-1')).toBe('fee');
    expect(kind('other-transaction', 'other-transaction', 'Reserve', '-1')).toBe('other');
    // Without the row (sent through the event API): by sign.
    expect([settlementLineKind({ amount: '5' }), settlementLineKind({ amount: '-5' }), settlementLineKind({ amount: '-5', refund_id: 'R' })]).toEqual(['principal', 'fee', 'refund']);
    expect(['1200', '6810', '1410', '4400'].map((a) => journalRole(a, DEFAULT_LEDGER_ACCOUNTS))).toEqual(['bank', 'fee', 'receivable', 'other']);
  });
});

describe('reconciliation totals', () => {
  const item = (status: 'matched' | 'mismatched' | 'unmatched_settlement' | 'unmatched_erp', currency: string | null, reported: string | null, erp: string | null, difference: string | null, erpCurrency = currency) =>
    ({ status, currency, erp_currency: erpCurrency, reported_net: reported, erp_net: erp, difference, reason: status === 'mismatched' ? ('fee' as const) : null });

  it('adds up each status per currency, exactly, leaving out what is missing or in another currency', () => {
    const totals = totalsByStatus([
      item('mismatched', 'EUR', '124.58', '127.58', '-3.00'),
      item('matched', 'EUR', '0.10', '0.10', '0.00'),
      item('mismatched', 'EUR', '0.20', '0.20', '0.00'),
      item('matched', 'EUR', '0.20', '0.19', '0.01'),
      item('matched', 'JPY', '1200', '1200', '0'),
      item('unmatched_erp', null, null, '50.00', null, 'EUR'),
      item('mismatched', 'GBP', '10.00', '12.00', null, 'EUR'),
    ]);
    expect(totals).toEqual([
      { status: 'matched', currency: 'EUR', count: 2, reported_net: '0.30', erp_net: '0.29', difference: '0.01' },
      { status: 'matched', currency: 'JPY', count: 1, reported_net: '1200', erp_net: '1200', difference: '0' },
      { status: 'mismatched', currency: 'EUR', count: 2, reported_net: '124.78', erp_net: '127.78', difference: '-3.00' },
      { status: 'mismatched', currency: 'GBP', count: 1, reported_net: '10.00', erp_net: null, difference: null },
      { status: 'unmatched_erp', currency: 'EUR', count: 1, reported_net: null, erp_net: '50.00', difference: null },
    ]);
    expect(totalsByStatus([])).toEqual([]);
  });

  it('counts mismatches by reason, an unexplained one as unknown', () => {
    expect(mismatchesByReason([item('mismatched', 'EUR', '1', '2', '-1'), { status: 'mismatched', reason: null }, item('matched', 'EUR', '1', '1', '0')])).toEqual({ fee: 1, tax: 0, currency: 0, missing_line: 0, unknown: 1 });
  });
});
