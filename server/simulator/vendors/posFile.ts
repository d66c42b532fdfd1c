import type { PosLine, SimEvent } from '../model.js';
import { csvRecord, isoWithOffset, toWholeSeconds } from './textFormats.js';

/**
 * The stores' end-of-day POS batch (collectors/files/README.md): one CSV row per receipt line, the type in
 * lower case, quantity as units (the type gives the sign), the till's line amount (negative on a return) and the
 * time in the store's local zone with its offset.
 */

const HEADER = [
  'store_id',
  'register_id',
  'receipt_id',
  'line_no',
  'timestamp',
  'type',
  'sku',
  'quantity',
  'unit_price',
  'amount',
  'currency',
  'payment_method',
  'original_receipt_id',
] as const;

const STEPS = { SALE: 'pos.sale.captured', RETURN: 'pos.return.captured' } as const;

/** The stock movement Flowlens stores for one receipt line: negative quantity for a sale, positive for a return. */
export function posLineEvent(line: PosLine): SimEvent {
  const correlation = `pos-${line.store_id}-${line.receipt_id}-${line.line_no}`;
  const step = STEPS[line.type];
  return {
    event_id: `${correlation}:${step}`,
    correlation_id: correlation,
    flow: 'inventory_sync',
    step,
    system: 'pos',
    channel: 'store',
    location_id: line.store_id,
    sku: line.sku,
    quantity: line.type === 'SALE' ? -Math.abs(line.quantity) : Math.abs(line.quantity),
    amount: line.amount,
    currency: line.currency.toUpperCase(),
    status: 'ok',
    occurred_at: toWholeSeconds(line.at),
    keys: { receipt_id: line.receipt_id, ...(line.original_receipt_id ? { original_receipt_id: line.original_receipt_id } : {}) },
  };
}

/** A POS batch file: the header and one row per line, CRLF-terminated (RFC 4180). */
export function posBatchCsv(lines: readonly PosLine[]): string {
  const rows = lines.map((line) => {
    // The receiver refuses an original receipt on a sale; a planner bug should fail here, not as a file error.
    if (line.type === 'SALE' && line.original_receipt_id) throw new RangeError(`sale ${line.receipt_id}/${line.line_no} cannot name an original receipt`);
    return csvRecord([
      line.store_id,
      line.register_id,
      line.receipt_id,
      line.line_no,
      isoWithOffset(line.at),
      line.type.toLowerCase(),
      line.sku,
      Math.abs(line.quantity),
      line.unit_price,
      line.amount,
      line.currency.toUpperCase(),
      line.payment_method,
      line.original_receipt_id,
    ]);
  });
  return [csvRecord(HEADER), ...rows].map((row) => `${row}\r\n`).join('');
}
