import { describe, expect, it } from 'vitest';
import { item } from './reconciliationFixtures';
import { filterOptions, formatDay, money, readFilters, settlementRow, statusTiles } from './shapeReconciliation';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
describe('reconciliation for finance', () => {
  it('formats money in its currency with its minor units', () => {
    expect(money('-4.00', 'EUR', 'en-GB')).toBe('-€4.00');
    expect(money('1200', 'JPY', 'en-US')).toBe('¥1,200');
    expect(money('12.345', 'KWD', 'en-GB')).toBe('KWD\u00a012.345');
    expect(money(null, 'EUR', 'en-GB')).toBe('–');
    expect(money('5.00', null, 'en-GB')).toBe('5.00');
  });

  it('makes a tile per status with its count and, per currency, what it adds up to', () => {
    const tiles = statusTiles({
      by_status: { matched: 12, mismatched: 2, unmatched_settlement: 1, unmatched_erp: 0 },
      totals: [
        { status: 'matched', currency: 'EUR', count: 12, reported_net: '1234.50', erp_net: '1234.50', difference: '0.00' },
        { status: 'mismatched', currency: 'EUR', count: 1, reported_net: '166.00', erp_net: '170.00', difference: '-4.00' },
        { status: 'mismatched', currency: 'GBP', count: 1, reported_net: '10.00', erp_net: null, difference: null },
        { status: 'unmatched_settlement', currency: 'EUR', count: 1, reported_net: '96.80', erp_net: null, difference: null },
      ],
    }, 'en-GB');
    expect(tiles.map((t) => [t.label, t.count, t.tone, t.amounts])).toEqual([
      ['Matched', 12, 'ok', ['€1,234.50 deposited']],
      ['Mismatched', 2, 'bad', ['-€4.00 difference on €166.00', '£10.00 deposited, not comparable']],
      ['Not booked by the ERP', 1, 'warn', ['€96.80 not booked yet']],
      ['Booked without a report', 0, 'none', []],
    ]);
  });

  it('shows a settlement net of fees against the ERP, with its difference and reason', () => {
    expect(settlementRow(item(), utc)).toEqual({
      id: '11800000001',
      source: 'amazon',
      reportedAt: '27 Nov, 14:03',
      settles: '1 order',
      deposited: '€166.00',
      fees: '€34.00',
      erpGross: '€200.00',
      erpNet: '€170.00',
      difference: '-€4.00',
      differenceTone: 'bad',
      status: { label: 'Mismatched', tone: 'bad' },
      reason: 'Fees',
      explanation: expect.stringContaining('amazon charged 34.00 EUR'),
    });
    const unbooked = settlementRow(item({ status: 'unmatched_settlement', reason: null, erp_net: null, difference: null, gross: { reported: '50.00', erp: null }, refund_count: 2, order_counts: { ...item().order_counts, total: 3 } }), utc);
    expect(unbooked).toMatchObject({ settles: '3 orders · 2 refunds', erpGross: '–', erpNet: '–', difference: '–', differenceTone: 'none', status: { label: 'Not booked by the ERP', tone: 'warn' }, reason: null });
    expect(settlementRow(item({ source: null, reported_at: null, currency: null }), utc)).toMatchObject({ source: '–', reportedAt: '27 Nov, 14:03', deposited: '€166.00' });
    expect(formatDay(null)).toBe('–');
  });

  it('offers reasons with their counts, and the range\'s sources and currencies, keeping a value from a link', () => {
    const options = filterOptions({ by_reason: { fee: 3, tax: 0, currency: 0, missing_line: 1, unknown: 0 }, sources: ['amazon', 'stripe'], currencies: ['EUR'] }, { reason: '', source: 'zalando', currency: '' });
    expect(options.reasons.map((o) => o.label)).toEqual(['Fees (3)', 'Tax (0)', 'Currency (0)', 'Missing line (1)', 'Unexplained (0)']);
    expect(options.sources.map((o) => o.value)).toEqual(['amazon', 'stripe', 'zalando']);
    expect(options.currencies.map((o) => o.value)).toEqual(['EUR']);
  });
});

describe('readFilters', () => {
  it('keeps the filters a link asks for and drops, naming them, the ones the API would refuse', () => {
    expect(readFilters({ status: 'mismatched', reason: 'fee', source: 'amazon', currency: 'eur' })).toEqual({ filters: { status: 'mismatched', reason: 'fee', source: 'amazon', currency: 'EUR' }, problems: [] });
    expect(readFilters({ status: 'open', reason: '', source: '', currency: 'euro' })).toEqual({
      filters: { status: '', reason: '', source: '', currency: '' },
      problems: ['status “open” is not one of matched, mismatched, unmatched_settlement, unmatched_erp', 'currency “euro” is not an ISO 4217 code'],
    });
  });
});
