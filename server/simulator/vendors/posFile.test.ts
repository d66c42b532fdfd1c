import { describe, expect, it } from 'vitest';
import { parsePosBatch } from '../../../collectors/files/posBatch.js';
import type { PosLine } from '../model.js';
import { posBatchCsv, posLineEvent } from './posFile.js';
import { comparable, storedForm } from './storedForm.js';

const sale: PosLine = {
  store_id: 'store-001',
  register_id: 'R1',
  receipt_id: 'R-001-20261127-0042',
  line_no: 1,
  at: Date.UTC(2026, 10, 27, 9, 15, 2, 400),
  type: 'SALE',
  sku: 'TV-55-OLED',
  quantity: -1,
  unit_price: '1234.50',
  amount: '1234.50',
  currency: 'EUR',
  // Quoted in the file: a comma and quotes inside the value.
  payment_method: 'voucher "XMAS", card',
};
const secondLine: PosLine = { ...sale, line_no: 2, sku: 'MUG-WHT', quantity: -3, unit_price: '8.50', amount: '25.50', payment_method: 'card' };
const returned: PosLine = {
  ...sale,
  store_id: 'store-002',
  receipt_id: 'R-002-20261128-0007',
  at: Date.UTC(2026, 10, 28, 10, 2, 13),
  type: 'RETURN',
  quantity: 1,
  amount: '-1234.50',
  payment_method: 'card',
  original_receipt_id: 'R-001-20261127-0042',
};

describe('posBatchCsv and posLineEvent', () => {
  const lines = [sale, secondLine, returned];
  const parsed = parsePosBatch(posBatchCsv(lines));

  it('writes a batch the POS receiver reads without a line error', () => {
    expect(parsed.missingColumns).toEqual([]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toBe(3);
  });

  it('predicts every stored event: sales take stock out, the return (with its original receipt) puts it back', () => {
    expect(storedForm(parsed.events)).toEqual(lines.map((line) => comparable(posLineEvent(line))));
    expect(posLineEvent(returned)).toMatchObject({
      event_id: 'pos-store-002-R-002-20261128-0007-1:pos.return.captured',
      correlation_id: 'pos-store-002-R-002-20261128-0007-1',
      step: 'pos.return.captured',
      location_id: 'store-002',
      quantity: 1,
      amount: '-1234.50',
      occurred_at: Date.UTC(2026, 10, 28, 10, 2, 13),
      keys: { receipt_id: 'R-002-20261128-0007', original_receipt_id: 'R-001-20261127-0042' },
    });
    expect(posLineEvent(secondLine)).toMatchObject({ step: 'pos.sale.captured', quantity: -3 });
  });

  it('writes the store’s local time, units without sign and RFC 4180 quoting', () => {
    const rows = posBatchCsv([sale]).split('\r\n');
    expect(rows[0]).toBe('store_id,register_id,receipt_id,line_no,timestamp,type,sku,quantity,unit_price,amount,currency,payment_method,original_receipt_id');
    expect(rows[1]).toBe('store-001,R1,R-001-20261127-0042,1,2026-11-27T10:15:02+01:00,sale,TV-55-OLED,1,1234.50,1234.50,EUR,"voucher ""XMAS"", card",');
  });

  it('refuses a sale that names an original receipt', () => {
    expect(() => posBatchCsv([{ ...sale, original_receipt_id: 'R-0' }])).toThrow(RangeError);
  });
});
