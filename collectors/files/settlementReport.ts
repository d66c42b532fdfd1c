import { createHash } from 'node:crypto';
import type { CanonicalEventInput } from '../../server/contracts/canonicalEvent.js';
import { idProblem, parseDateTime, parseDecimal } from './fieldValues.js';
import { finished, keepEvent, LineProblems, readTable, rowPayload, type FileParseResult, type TableRow } from './fileTable.js';

/**
 * Amazon settlement report, Flat File V2 (report type GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2): tab-separated,
 * one header line, then a summary row (settlement-id, start / end / deposit dates, total-amount, currency, the
 * rest empty) and one row per amount: item price, tax, promotion, each fee (negative) and each refund part,
 * with amount-type / amount-description saying which. Amounts are kept with their sign, in the local format
 * the report uses (`-4.05` or `-4,05`).
 * https://developer-docs.amazon.com/sp-api/docs/report-type-values-settlement
 */
export const SETTLEMENT_REQUIRED_COLUMNS = [
  'settlement-id',
  'settlement-start-date',
  'settlement-end-date',
  'deposit-date',
  'total-amount',
  'currency',
  'transaction-type',
  'order-id',
  'merchant-order-id',
  'adjustment-id',
  'amount-type',
  'amount-description',
  'amount',
  'posted-date',
  'sku',
] as const;

const FLOW = 'settlement_to_ledger';
const SYSTEM = 'amazon';

const LINE_COLUMNS: Record<string, string> = {
  event_id: 'settlement-id',
  correlation_id: 'settlement-id',
  'keys.settlement_id': 'settlement-id',
  'keys.order_id': 'order-id',
  'keys.merchant_order_id': 'merchant-order-id',
  'keys.adjustment_id': 'adjustment-id',
  'keys.refund_id': 'adjustment-id',
  'keys.shipment_id': 'shipment-id',
  region: 'marketplace-name',
  sku: 'sku',
  amount: 'amount',
  currency: 'currency',
  quantity: 'quantity-purchased',
  occurred_at: 'posted-date',
};
const SUMMARY_COLUMNS: Record<string, string> = { ...LINE_COLUMNS, amount: 'total-amount', occurred_at: 'settlement-end-date' };

/**
 * One `marketplace.settlement.line` event per amount row and one `marketplace.settlement.reported` event per
 * settlement (from its summary row), all correlated as `settlement-<settlement-id>`. Line event ids hash the
 * line's content, so the same report sent twice yields the same ids; identical lines within a report are told
 * apart by their occurrence number.
 */
export function parseSettlementReport(text: string): FileParseResult {
  const { rows, result } = readTable(text, '\t', SETTLEMENT_REQUIRED_COLUMNS);
  if (result.missingColumns.length > 0) return result;
  const currencies = new Map<string, string>();
  const occurrences = new Map<string, number>();
  for (const row of rows) {
    const problems = new LineProblems(row.line);
    const settlementId = row.get('settlement-id');
    const idIssue = idProblem(settlementId);
    if (idIssue) problems.add('settlement-id', idIssue);
    const isSummary = row.get('total-amount') !== '' && !currencies.has(settlementId);
    if (!isSummary && row.get('transaction-type') === '') {
      problems.add('transaction-type', 'is required (only the settlement summary row, with total-amount, has none)');
    }
    if (!problems.ok) {
      result.errors.push(...problems.list);
      continue;
    }
    if (isSummary) {
      const summary = summaryEvent(row, settlementId, problems);
      currencies.set(settlementId, row.get('currency'));
      if (summary) keepEvent(result, row.line, summary, SUMMARY_COLUMNS);
      else result.errors.push(...problems.list);
      if (row.get('transaction-type') === '') continue;
    }
    const lineProblems = new LineProblems(row.line);
    const event = lineEvent(row, settlementId, currencies.get(settlementId), occurrences, lineProblems);
    if (event) keepEvent(result, row.line, event, LINE_COLUMNS);
    else result.errors.push(...lineProblems.list);
  }
  return finished(result);
}

function summaryEvent(row: TableRow, settlementId: string, problems: LineProblems): CanonicalEventInput | undefined {
  const total = parseDecimal(row.get('total-amount'));
  if (total === undefined) problems.add('total-amount', 'must be a decimal amount such as 1234.56 or 1234,56');
  const [start, end, deposit] = (['settlement-start-date', 'settlement-end-date', 'deposit-date'] as const).map((column) =>
    timeOf(row, column, problems),
  );
  if (row.get('currency') === '') problems.add('currency', 'is required on the settlement summary row');
  if (!problems.ok || total === undefined || end === undefined) return undefined;
  return {
    event_id: `settlement-${settlementId}:marketplace.settlement.reported`,
    correlation_id: `settlement-${settlementId}`,
    flow: FLOW,
    step: 'marketplace.settlement.reported',
    system: SYSTEM,
    channel: SYSTEM,
    target_system: 'erp',
    amount: total,
    currency: row.get('currency'),
    occurred_at: end,
    keys: { settlement_id: settlementId },
    payload: {
      'settlement-start-date': start === undefined ? undefined : new Date(start).toISOString(),
      'settlement-end-date': new Date(end).toISOString(),
      'deposit-date': deposit === undefined ? undefined : new Date(deposit).toISOString(),
      'total-amount': total,
    },
  };
}

function lineEvent(
  row: TableRow,
  settlementId: string,
  summaryCurrency: string | undefined,
  occurrences: Map<string, number>,
  problems: LineProblems,
): CanonicalEventInput | undefined {
  const amount = parseDecimal(row.get('amount'));
  if (amount === undefined) {
    problems.add('amount', row.get('amount') === '' ? 'is required' : 'must be a decimal amount such as -4.05 or -4,05');
  }
  const currency = row.get('currency') || summaryCurrency;
  if (!currency) problems.add('currency', "is required (neither on this line nor on the settlement's summary row)");
  const postedColumn = row.get('posted-date-time') !== '' ? 'posted-date-time' : 'posted-date';
  const postedAt = timeOf(row, postedColumn, problems);
  const quantityText = row.get('quantity-purchased');
  const quantity = quantityText === '' ? undefined : Number(quantityText);
  if (quantity !== undefined && !Number.isInteger(quantity)) problems.add('quantity-purchased', 'must be a whole number');
  if (!problems.ok || amount === undefined || postedAt === undefined) return undefined;

  const content = settlementLineHash(Object.values(row.values));
  const seen = (occurrences.get(content) ?? 0) + 1;
  occurrences.set(content, seen);
  const type = row.get('transaction-type');
  const adjustmentId = row.get('adjustment-id');
  const keys: Record<string, string> = { settlement_id: settlementId };
  const optionalKeys: [string, string][] = [
    ['order_id', row.get('order-id')],
    ['merchant_order_id', row.get('merchant-order-id')],
    ['adjustment_id', adjustmentId],
    // Amazon identifies a refund by its adjustment id; the refund flow and the ledger look it up as refund_id.
    ['refund_id', /refund/i.test(type) ? adjustmentId : ''],
    ['shipment_id', row.get('shipment-id')],
  ];
  for (const [name, value] of optionalKeys) if (value !== '') keys[name] = value;
  return {
    event_id: `settlement-${settlementId}:line:${content}${seen > 1 ? `:${seen}` : ''}`,
    correlation_id: `settlement-${settlementId}`,
    flow: FLOW,
    step: 'marketplace.settlement.line',
    system: SYSTEM,
    channel: SYSTEM,
    target_system: 'erp',
    ...(row.get('marketplace-name') ? { region: row.get('marketplace-name') } : {}),
    ...(row.get('sku') ? { sku: row.get('sku') } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    amount,
    currency,
    occurred_at: postedAt,
    keys,
    payload: rowPayload(row),
  };
}

/**
 * The content hash in a settlement line's event id (`settlement-<id>:line:<hash>[:<n>]`): the row's values,
 * trimmed, in the header's column order. Exported so a sender that writes the report can predict the ids.
 */
export function settlementLineHash(values: readonly string[]): string {
  return createHash('sha256').update(values.join('\t')).digest('hex').slice(0, 24);
}

function timeOf(row: TableRow, column: string, problems: LineProblems): number | undefined {
  const text = row.get(column);
  if (text === '') {
    problems.add(column, 'is required');
    return undefined;
  }
  const parsed = parseDateTime(text);
  if (!parsed) problems.add(column, 'must be a date such as 2026-10-02, 2026-10-02 14:03:11 UTC or 02.10.2026 14:03:11 UTC');
  return parsed?.ms;
}
