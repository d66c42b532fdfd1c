import type { CanonicalEventInput } from '../../server/contracts/canonicalEvent.js';
import { idProblem, parseDateTime, parseDecimal } from './fieldValues.js';
import { finished, keepEvent, LineProblems, readTable, rowPayload, type FileParseResult, type TableRow } from './fileTable.js';

/**
 * POS batch export (CSV), one row per receipt line, as store systems hand them to head office at end of day:
 *
 * `store_id,register_id,receipt_id,line_no,timestamp,type,sku,quantity,unit_price,amount,currency,payment_method,original_receipt_id`
 *
 * `timestamp` is ISO 8601 with the store's offset; `type` is `sale` or `return`; `quantity` is units (the sign
 * comes from the type); `amount` is the line total as the till printed it (returns usually negative);
 * `original_receipt_id` names the receipt a return refers to, when the customer had one.
 */
export const POS_REQUIRED_COLUMNS = ['store_id', 'register_id', 'receipt_id', 'line_no', 'timestamp', 'type', 'sku', 'quantity', 'amount', 'currency'] as const;

const STEPS = { sale: 'pos.sale.captured', return: 'pos.return.captured' } as const;

const COLUMNS: Record<string, string> = {
  event_id: 'receipt_id',
  correlation_id: 'receipt_id',
  'keys.receipt_id': 'receipt_id',
  'keys.original_receipt_id': 'original_receipt_id',
  location_id: 'store_id',
  sku: 'sku',
  quantity: 'quantity',
  amount: 'amount',
  currency: 'currency',
  occurred_at: 'timestamp',
};

/**
 * One `inventory_sync` event per receipt line: a stock movement at the store (`location_id`), negative
 * quantity for a sale, positive for a return. Correlated per receipt line (`pos-<store>-<receipt>-<line>`),
 * the stock movement that ERP posting and channel publishing then carry forward.
 */
export function parsePosBatch(text: string): FileParseResult {
  const { rows, result } = readTable(text, ',', POS_REQUIRED_COLUMNS);
  if (result.missingColumns.length > 0) return result;
  const firstLineOf = new Map<string, number>();
  for (const row of rows) {
    const problems = new LineProblems(row.line);
    const event = posEvent(row, problems, firstLineOf);
    if (event) keepEvent(result, row.line, event, COLUMNS);
    else result.errors.push(...problems.list);
  }
  return finished(result);
}

function posEvent(row: TableRow, problems: LineProblems, firstLineOf: Map<string, number>): CanonicalEventInput | undefined {
  for (const column of ['store_id', 'register_id', 'receipt_id'] as const) {
    const issue = idProblem(row.get(column));
    if (issue) problems.add(column, issue);
  }
  const lineNo = row.get('line_no');
  if (!/^\d{1,6}$/.test(lineNo)) problems.add('line_no', lineNo === '' ? 'is required' : 'must be a whole number of at most 6 digits');

  const type = row.get('type').toLowerCase();
  if (type !== 'sale' && type !== 'return') problems.add('type', type === '' ? 'is required' : `must be sale or return, not "${row.get('type')}"`);

  const timestamp = row.get('timestamp');
  const time = parseDateTime(timestamp);
  if (timestamp === '') problems.add('timestamp', 'is required');
  else if (!time || !time.hasTime || !time.hasZone) problems.add('timestamp', 'must be an ISO 8601 time with an offset, e.g. 2026-11-27T10:15:02+01:00');

  const quantityText = row.get('quantity');
  const quantity = Number(quantityText);
  if (quantityText === '' || !Number.isFinite(quantity) || quantity === 0) {
    problems.add('quantity', quantityText === '' ? 'is required' : 'must be a number of units other than 0');
  }
  const amount = parseDecimal(row.get('amount'));
  if (amount === undefined) problems.add('amount', row.get('amount') === '' ? 'is required' : 'must be a decimal amount such as 19.99');
  const unitPrice = row.get('unit_price');
  if (unitPrice !== '' && parseDecimal(unitPrice) === undefined) problems.add('unit_price', 'must be a decimal amount such as 19.99');

  const originalReceipt = row.get('original_receipt_id');
  if (originalReceipt !== '') {
    const issue = idProblem(originalReceipt);
    if (issue) problems.add('original_receipt_id', issue);
    else if (type === 'sale') problems.add('original_receipt_id', 'is only allowed on a return');
  }
  if (!problems.ok || amount === undefined || !time) return undefined;

  const correlation = `pos-${row.get('store_id')}-${row.get('receipt_id')}-${Number(lineNo)}`;
  const first = firstLineOf.get(correlation);
  if (first !== undefined) {
    problems.add('line_no', `receipt ${row.get('receipt_id')} line ${lineNo} of store ${row.get('store_id')} is already on line ${first}`);
    return undefined;
  }
  firstLineOf.set(correlation, row.line);
  const step = STEPS[type as keyof typeof STEPS];
  const keys: Record<string, string> = { receipt_id: row.get('receipt_id') };
  if (originalReceipt !== '') keys.original_receipt_id = originalReceipt;
  return {
    event_id: `${correlation}:${step}`,
    correlation_id: correlation,
    flow: 'inventory_sync',
    step,
    system: 'pos',
    channel: 'store',
    location_id: row.get('store_id'),
    sku: row.get('sku'),
    quantity: type === 'sale' ? -Math.abs(quantity) : Math.abs(quantity),
    amount,
    currency: row.get('currency').toUpperCase(),
    occurred_at: time.ms,
    keys,
    payload: rowPayload(row),
  };
}
