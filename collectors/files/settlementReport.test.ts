import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import { fromScaled, toScaled } from './fieldValues.js';
import { parseSettlementReport } from './settlementReport.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseSettlementReport (Amazon Flat File V2)', () => {
  const parsed = parseSettlementReport(fixture('amazon-settlement-v2.tsv'));
  const summary = parsed.events.find((e) => e.step === 'marketplace.settlement.reported');
  const lines = parsed.events.filter((e) => e.step === 'marketplace.settlement.line');

  it('reads every line of a clean report: one summary event and one event per amount line', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toBe(16);
    expect(lines).toHaveLength(15);
    expect(parsed.events.every((e) => validateEvent(e).ok)).toBe(true);
    expect(new Set(parsed.events.map((e) => e.event_id)).size).toBe(16);
  });

  it('reports the settlement total at the end of the period, correlated per settlement', () => {
    expect(summary).toMatchObject({
      event_id: 'settlement-11893454021:marketplace.settlement.reported',
      correlation_id: 'settlement-11893454021',
      flow: 'settlement_to_ledger',
      system: 'amazon',
      amount: '71.02',
      currency: 'EUR',
      occurred_at: Date.parse('2026-11-15T07:00:00Z'),
      keys: { settlement_id: '11893454021' },
    });
    expect(parsed.eventLines[parsed.events.indexOf(summary!)]).toBe(2);
  });

  it('keeps the sign of each line (fees negative) so the lines add up to the total', () => {
    const sum = lines.reduce((acc, e) => acc + toScaled(String(e.amount)), 0n);
    expect(fromScaled(sum)).toBe('71.02');
    const commission = lines.find((e) => (e.payload as Record<string, string>)['amount-description'] === 'Commission');
    expect(commission).toMatchObject({ amount: '-7.49', currency: 'EUR', sku: 'TSHIRT-BLK-M', region: 'Amazon.de' });
  });

  it('puts the order ids on order lines and the refund id on refund lines', () => {
    const order = lines[0]!;
    expect(order).toMatchObject({
      correlation_id: 'settlement-11893454021',
      occurred_at: Date.parse('2026-11-03T09:12:44Z'),
      quantity: 1,
      keys: { settlement_id: '11893454021', order_id: '302-1111111-1000001', merchant_order_id: 'SO-200101', shipment_id: 'DsHk8yZ1Q' },
    });
    const refund = lines.find((e) => e.keys?.refund_id);
    expect(refund).toMatchObject({
      amount: '-49.9',
      keys: { settlement_id: '11893454021', order_id: '302-1111111-1000001', refund_id: '50418347892', adjustment_id: '50418347892' },
    });
    const storage = lines.find((e) => (e.payload as Record<string, string>)['amount-description'] === 'Storage Fee');
    expect(storage?.keys).toEqual({ settlement_id: '11893454021' });
  });

  it('derives the same event ids from the same file, and tells identical lines apart', () => {
    const again = parseSettlementReport(fixture('amazon-settlement-v2.tsv'));
    expect(again.events.map((e) => e.event_id)).toEqual(parsed.events.map((e) => e.event_id));
    const text = fixture('amazon-settlement-v2.tsv');
    const last = text.trimEnd().split('\n').at(-1)!;
    const doubled = parseSettlementReport(`${text}${last}\n`);
    const ids = doubled.events.map((e) => e.event_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.at(-1)).toBe(`${ids.at(-2)}:2`);
  });

  it('reports bad lines by number, column and reason and keeps the good ones', () => {
    const withErrors = parseSettlementReport(fixture('amazon-settlement-v2-with-errors.tsv'));
    expect(withErrors.errors).toEqual([
      { line: 5, field: 'amount', message: expect.stringContaining('decimal') },
      { line: 6, field: 'posted-date', message: expect.stringContaining('date') },
      { line: 7, field: 'transaction-type', message: expect.stringContaining('is required') },
      { line: 8, field: '(line)', message: expect.stringContaining('25 values but the header has 24 columns') },
    ]);
    expect(withErrors.eventLines).toEqual([2, 3, 4, 9]);
    expect(withErrors.events[0]).toMatchObject({ amount: '14.46', currency: 'USD' });
    expect(withErrors.events[3]).toMatchObject({ amount: '-6.78', currency: 'USD', keys: { refund_id: '50499900011' } });
  });

  it('refuses a file whose header lacks required columns, naming them', () => {
    const text = fixture('amazon-settlement-v2.tsv').replace('total-amount', 'total').replace('\tsku\t', '\titem-sku\t');
    const result = parseSettlementReport(text);
    expect(result.missingColumns).toEqual(['total-amount', 'sku']);
    expect(result.events).toEqual([]);
  });

  it('reads a report where every row repeats the summary columns (first row is both summary and a line)', () => {
    const header = 'settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tmerchant-order-id\tadjustment-id\tamount-type\tamount-description\tamount\tposted-date\tsku';
    const row = (amount: string, description: string) =>
      `1000000001\t2026-10-01\t2026-10-15\t2026-10-17\t21.00\tUSD\tOrder\t111-0000001-0000001\t\t\tItemPrice\t${description}\t${amount}\t2026-10-02\tWIDGET-1`;
    const result = parseSettlementReport(`${header}\n${row('25.00', 'Principal')}\n${row('-4.00', 'Commission')}\n`);
    expect(result.errors).toEqual([]);
    expect(result.events.map((e) => [e.step, e.amount])).toEqual([
      ['marketplace.settlement.reported', '21'],
      ['marketplace.settlement.line', '25'],
      ['marketplace.settlement.line', '-4'],
    ]);
    expect(result.eventLines).toEqual([2, 2, 3]);
  });
});
