import { describe, expect, it } from 'vitest';
import { fromScaled, toScaled } from '../../../collectors/files/fieldValues.js';
import { parseSettlementReport } from '../../../collectors/files/settlementReport.js';
import type { Settlement, SettlementLine } from '../model.js';
import { settlementEvents, settlementTsv } from './settlementFile.js';
import { comparable, storedForm } from './storedForm.js';

const sold = Date.UTC(2026, 10, 3, 9, 12, 44, 250);
const refunded = Date.UTC(2026, 10, 10, 8, 1, 30);
const order = { transaction_type: 'Order', order_id: '302-1111111-1000001', merchant_order_id: 'SO-200101', shipment_id: 'DsHk8yZ1Q', sku: 'TV-55-OLED', quantity: 1, posted_at: sold } as const;
const refund = { transaction_type: 'Refund', order_id: '302-1111111-1000001', merchant_order_id: 'SO-200101', adjustment_id: '50418347892', sku: 'TV-55-OLED', quantity: 1, posted_at: refunded } as const;
const lines: SettlementLine[] = [
  { ...order, amount_type: 'ItemPrice', amount_description: 'Principal', amount: '1234.50' },
  { ...order, amount_type: 'ItemFees', amount_description: 'Commission', amount: '-98.76' },
  { ...order, amount_type: 'ItemFees', amount_description: 'FBAPerUnitFulfillmentFee', amount: '-6.10' },
  // Amazon lists a fee twice when it was charged twice: the second is told apart by its occurrence.
  { ...order, amount_type: 'ItemFees', amount_description: 'FBAPerUnitFulfillmentFee', amount: '-6.10' },
  { ...refund, amount_type: 'ItemPrice', amount_description: 'Principal', amount: '-1234.50' },
  { ...refund, amount_type: 'ItemFees', amount_description: 'Commission', amount: '79.01' },
  { ...refund, amount_type: 'ItemFees', amount_description: 'RefundCommission', amount: '-5' },
];
const settlement: Settlement = {
  settlement_id: '11893454021',
  marketplace: 'Amazon.de',
  start: Date.UTC(2026, 10, 1, 7),
  end: Date.UTC(2026, 10, 15, 7),
  deposit_at: Date.UTC(2026, 10, 17, 7),
  currency: 'EUR',
  total: '-36.95',
  lines,
};

describe('settlementTsv and settlementEvents', () => {
  const parsed = parseSettlementReport(settlementTsv(settlement));

  it('writes a report the settlement receiver reads without a line error', () => {
    expect(fromScaled(lines.reduce((sum, line) => sum + toScaled(line.amount), 0n))).toBe(settlement.total);
    expect(parsed.missingColumns).toEqual([]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toBe(1 + lines.length);
  });

  it('predicts every stored event, ids included: the summary and each signed amount row', () => {
    expect(storedForm(parsed.events)).toEqual(settlementEvents(settlement).map(comparable));
  });

  it('reports the net total at the settlement’s end, in the settlement’s transaction', () => {
    expect(settlementEvents(settlement)[0]).toEqual({
      event_id: 'settlement-11893454021:marketplace.settlement.reported',
      correlation_id: 'settlement-11893454021',
      flow: 'settlement_to_ledger',
      step: 'marketplace.settlement.reported',
      system: 'amazon',
      channel: 'amazon',
      target_system: 'erp',
      status: 'ok',
      amount: '-36.95',
      currency: 'EUR',
      occurred_at: settlement.end,
      keys: { settlement_id: '11893454021' },
    });
  });

  it('keys refund rows by their adjustment id as refund_id, with negative principal', () => {
    const events = settlementEvents(settlement);
    expect(events[5]).toMatchObject({ amount: '-1234.50', region: 'Amazon.de', keys: { refund_id: '50418347892', adjustment_id: '50418347892', order_id: '302-1111111-1000001' } });
    expect(events[1]).toMatchObject({ quantity: 1, occurred_at: Date.UTC(2026, 10, 3, 9, 12, 44), keys: { shipment_id: 'DsHk8yZ1Q' } });
    expect(events[2]).not.toHaveProperty('quantity');
    expect(events[4]!.event_id).toBe(`${events[3]!.event_id}:2`);
  });

  it('writes dates and money as Amazon.de does, and as Amazon.com does', () => {
    const de = settlementTsv(settlement).split('\n');
    expect(de[1]!.split('\t').slice(0, 6)).toEqual(['11893454021', '01.11.2026 07:00:00 UTC', '15.11.2026 07:00:00 UTC', '17.11.2026 07:00:00 UTC', '-36,95', 'EUR']);
    expect(de[2]!.split('\t')).toContain('1234,50');
    expect(de[2]!.split('\t')).toContain('03.11.2026');
    expect(de[2]!.split('\t')).toContain('2026-11-03 09:12:44 UTC');
    const us = { ...settlement, marketplace: 'Amazon.com', currency: 'USD' };
    const usRows = settlementTsv(us).split('\n');
    expect(usRows[1]!.split('\t').slice(1, 5)).toEqual(['2026-11-01 07:00:00 UTC', '2026-11-15 07:00:00 UTC', '2026-11-17 07:00:00 UTC', '-36.95']);
    const usParsed = parseSettlementReport(settlementTsv(us));
    expect(usParsed.errors).toEqual([]);
    expect(storedForm(usParsed.events)).toEqual(settlementEvents(us).map(comparable));
  });

  it('refuses money finer than cents', () => {
    expect(() => settlementTsv({ ...settlement, total: '1.234' })).toThrow(RangeError);
  });
});
