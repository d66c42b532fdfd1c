import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../server/contracts/canonicalEvent.js';
import { parsePosBatch } from './posBatch.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parsePosBatch', () => {
  const parsed = parsePosBatch(fixture('pos-batch.csv'));

  it('maps each receipt line of a clean batch to one valid stock movement', () => {
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines).toBe(5);
    expect(parsed.events).toHaveLength(5);
    expect(parsed.events.every((e) => validateEvent(e).ok)).toBe(true);
    // The last record has a line break inside a quoted value: it starts on line 6.
    expect(parsed.eventLines).toEqual([2, 3, 4, 5, 6]);
  });

  it('captures a sale as stock leaving the store, keyed and correlated per receipt line', () => {
    expect(parsed.events[0]).toMatchObject({
      event_id: 'pos-store-001-R-001-20261127-0042-1:pos.sale.captured',
      correlation_id: 'pos-store-001-R-001-20261127-0042-1',
      flow: 'inventory_sync',
      step: 'pos.sale.captured',
      system: 'pos',
      channel: 'store',
      location_id: 'store-001',
      sku: 'TSHIRT-BLK-M',
      quantity: -2,
      amount: '39.9',
      currency: 'EUR',
      occurred_at: Date.parse('2026-11-27T09:15:02Z'),
      keys: { receipt_id: 'R-001-20261127-0042' },
    });
    expect(parsed.events[1]?.payload).toMatchObject({ item_description: 'Mug "Classic", white' });
  });

  it('captures a return as stock coming back, linked to the original receipt', () => {
    expect(parsed.events[3]).toMatchObject({
      step: 'pos.return.captured',
      location_id: 'store-002',
      quantity: 1,
      amount: '-19.95',
      keys: { receipt_id: 'R-002-20261127-0007', original_receipt_id: 'R-001-20261127-0042' },
    });
  });

  it('reports bad lines by number, column and reason and keeps the good ones (BOM and CRLF file)', () => {
    const withErrors = parsePosBatch(fixture('pos-batch-with-errors.csv'));
    expect(withErrors.errors).toEqual([
      { line: 3, field: 'timestamp', message: expect.stringContaining('offset') },
      { line: 4, field: 'type', message: 'must be sale or return, not "void"' },
      { line: 5, field: 'quantity', message: expect.stringContaining('other than 0') },
      { line: 6, field: 'line_no', message: expect.stringContaining('already on line 2') },
      { line: 7, field: 'sku', message: expect.stringContaining('must not be empty') },
      { line: 9, field: '(line)', message: expect.stringContaining('never closed') },
    ]);
    expect(withErrors.lines).toBe(9);
    expect(withErrors.eventLines).toEqual([2, 8, 10]);
    expect(withErrors.events.map((e) => e.step)).toEqual(['pos.sale.captured', 'pos.return.captured', 'pos.sale.captured']);
  });

  it('gives the same event ids to the same batch', () => {
    expect(parsePosBatch(fixture('pos-batch.csv')).events.map((e) => e.event_id)).toEqual(parsed.events.map((e) => e.event_id));
  });

  it('refuses a batch whose header lacks required columns, naming them', () => {
    const result = parsePosBatch('store_id,receipt_id,line_no,timestamp,type,sku,qty,amount,currency\n');
    expect(result.missingColumns).toEqual(['register_id', 'quantity']);
  });

  it('accepts header names in any case and order, and ignores columns it does not know', () => {
    const text = 'SKU,Quantity,Amount,Currency,Type,Timestamp,Line_No,Receipt_ID,Register_ID,Store_ID,Cashier\nMUG-WHT,1,8.50,eur,Sale,2026-11-27T10:00:00Z,1,R-9,R1,store-009,anna\n';
    const result = parsePosBatch(text);
    expect(result.errors).toEqual([]);
    expect(result.events[0]).toMatchObject({ sku: 'MUG-WHT', quantity: -1, currency: 'EUR', location_id: 'store-009' });
  });
});
