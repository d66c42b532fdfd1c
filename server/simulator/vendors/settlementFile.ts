import { settlementLineHash } from '../../../collectors/files/settlementReport.js';
import { fromScaled, toScaled } from '../../../collectors/files/fieldValues.js';
import type { Settlement, SettlementLine, SimEvent } from '../model.js';
import { toWholeSeconds } from './textFormats.js';

/**
 * Amazon's settlement report, Flat File V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2), as Seller Central
 * writes it: tab-separated, unquoted, a header, one summary row, then one row per amount. European marketplaces
 * write dates day-first with dots and money with a decimal comma (`01.11.2026 07:00:00 UTC`, `-7,49`); others
 * ISO dates and a decimal point. `posted-date-time` is ISO everywhere. Times are UTC, to the second.
 * https://developer-docs.amazon.com/sp-api/docs/report-type-values-settlement
 */

const HEADER = [
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
  'shipment-id',
  'marketplace-name',
  'amount-type',
  'amount-description',
  'amount',
  'fulfillment-id',
  'posted-date',
  'posted-date-time',
  'order-item-code',
  'merchant-order-item-id',
  'merchant-adjustment-item-id',
  'sku',
  'quantity-purchased',
  'promotion-id',
] as const;

type Column = (typeof HEADER)[number];

const EUROPEAN = /^Amazon\.(de|fr|it|es|nl|se|pl|com\.be|com\.tr)$/i;

function european(s: Settlement): boolean {
  return EUROPEAN.test(s.marketplace);
}

function reportDate(ms: number, s: Settlement): string {
  const date = new Date(ms).toISOString().slice(0, 10);
  return european(s) ? date.split('-').reverse().join('.') : date;
}

function reportDateTime(ms: number, s: Settlement): string {
  return `${reportDate(ms, s)} ${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** `posted-date-time` is ISO-dated on every marketplace. */
function isoDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Money as the report writes it: two decimals, a comma on European marketplaces. */
function reportMoney(amount: string, s: Settlement): string {
  const text = fromScaled(toScaled(amount));
  if (!/\.\d{2}$/.test(text)) throw new RangeError(`${amount} has more than two decimals: a settlement report carries cents`);
  return european(s) ? text.replace('.', ',') : text;
}

function row(values: Partial<Record<Column, string | number | undefined>>): string[] {
  return HEADER.map((column) => {
    const text = String(values[column] ?? '').trim();
    if (/[\t\r\n]/.test(text) || text.startsWith('"')) throw new RangeError(`${column} "${text}" cannot be written unquoted in a tab-separated report`);
    return text;
  });
}

function summaryRow(s: Settlement): string[] {
  return row({
    'settlement-id': s.settlement_id,
    'settlement-start-date': reportDateTime(s.start, s),
    'settlement-end-date': reportDateTime(s.end, s),
    'deposit-date': reportDateTime(s.deposit_at, s),
    'total-amount': reportMoney(s.total, s),
    currency: s.currency.toUpperCase(),
  });
}

/** Amazon gives the units sold on an order's principal row only. */
function quantityOf(line: SettlementLine): number | undefined {
  return line.transaction_type === 'Order' && line.amount_type === 'ItemPrice' && line.amount_description === 'Principal' ? line.quantity : undefined;
}

function lineRow(line: SettlementLine, s: Settlement): string[] {
  return row({
    'settlement-id': s.settlement_id,
    'transaction-type': line.transaction_type,
    'order-id': line.order_id,
    'merchant-order-id': line.merchant_order_id,
    'adjustment-id': line.adjustment_id,
    'shipment-id': line.shipment_id,
    'marketplace-name': s.marketplace,
    'amount-type': line.amount_type,
    'amount-description': line.amount_description,
    amount: reportMoney(line.amount, s),
    'posted-date': reportDate(line.posted_at, s),
    'posted-date-time': isoDateTime(line.posted_at),
    sku: line.sku,
    'quantity-purchased': quantityOf(line),
  });
}

/** The report file for one settlement. */
export function settlementTsv(s: Settlement): string {
  return [HEADER, summaryRow(s), ...s.lines.map((line) => lineRow(line, s))].map((cells) => `${cells.join('\t')}\n`).join('');
}

/**
 * What Flowlens stores for the report: `marketplace.settlement.reported` (the net total, at the settlement's
 * end) and one `marketplace.settlement.line` per amount row, signs kept. Line ids hash the row as written (the
 * collector's own `settlementLineHash`); an identical row again in the report gets `:2`, `:3`….
 */
export function settlementEvents(s: Settlement): SimEvent[] {
  const correlation = `settlement-${s.settlement_id}`;
  const common = { correlation_id: correlation, flow: 'settlement_to_ledger', system: 'amazon', channel: 'amazon', target_system: 'erp', status: 'ok' } as const;
  const currency = s.currency.toUpperCase();
  const summary: SimEvent = {
    ...common,
    event_id: `${correlation}:marketplace.settlement.reported`,
    step: 'marketplace.settlement.reported',
    amount: s.total,
    currency,
    occurred_at: toWholeSeconds(s.end),
    keys: { settlement_id: s.settlement_id },
  };
  const occurrences = new Map<string, number>();
  const lines = s.lines.map((line): SimEvent => {
    const content = settlementLineHash(lineRow(line, s));
    const seen = (occurrences.get(content) ?? 0) + 1;
    occurrences.set(content, seen);
    const quantity = quantityOf(line);
    const keys: Record<string, string> = { settlement_id: s.settlement_id };
    const optional: [string, string | undefined][] = [
      ['order_id', line.order_id],
      ['merchant_order_id', line.merchant_order_id],
      ['adjustment_id', line.adjustment_id],
      ['refund_id', line.transaction_type === 'Refund' ? line.adjustment_id : undefined],
      ['shipment_id', line.shipment_id],
    ];
    for (const [name, value] of optional) if (value) keys[name] = value;
    return {
      ...common,
      event_id: `${correlation}:line:${content}${seen > 1 ? `:${seen}` : ''}`,
      step: 'marketplace.settlement.line',
      ...(s.marketplace ? { region: s.marketplace } : {}),
      ...(line.sku ? { sku: line.sku } : {}),
      ...(quantity !== undefined ? { quantity } : {}),
      amount: line.amount,
      currency,
      occurred_at: toWholeSeconds(line.posted_at),
      keys,
    };
  });
  return [summary, ...lines];
}
