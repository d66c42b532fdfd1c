import type { ReconciliationDetailAnswer } from '../../api/contracts';
import { formatDay, money, type Tone } from './shapeReconciliation';

/** Exact decimal text (`-4.00`, `170.5`) in ten-thousandths, as the server counts money; null for anything else. */
function units(text: string | null): bigint | null {
  if (text === null) return null;
  const match = /^(-)?(\d+)(?:\.(\d{1,4}))?$/.exec(text.trim());
  if (!match) return null;
  const value = BigInt(match[2]!) * 10_000n + BigInt((match[3] ?? '').padEnd(4, '0'));
  return match[1] ? -value : value;
}

/** a − b exactly, with as many decimals as the longer of the two; null when either is missing or not a number. */
export function subtractDecimal(a: string | null, b: string | null): string | null {
  const x = units(a);
  const y = units(b);
  if (x === null || y === null || a === null || b === null) return null;
  const digits = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const d = x - y;
  const abs = d < 0n ? -d : d;
  const fraction = (abs % 10_000n).toString().padStart(4, '0').slice(0, digits);
  return `${d < 0n ? '-' : ''}${abs / 10_000n}${digits > 0 ? `.${fraction}` : ''}`;
}

export type ComparisonRow = { part: string; settlement: string; erp: string; difference: string; tone: Tone };

const ORDER_STATUS: Readonly<Record<string, { label: string; tone: Tone; rank: number }>> = {
  mismatched: { label: 'Amount differs', tone: 'bad', rank: 0 },
  missing_invoice: { label: 'No ERP invoice', tone: 'bad', rank: 1 },
  missing_line: { label: 'Invoice without a line', tone: 'bad', rank: 2 },
  currency: { label: 'Currency differs', tone: 'bad', rank: 3 },
  adjustment_only: { label: 'Refund or fee only', tone: 'none', rank: 4 },
  matched: { label: 'Matched', tone: 'ok', rank: 5 },
};

const ROLE_LABELS: Readonly<Record<string, string>> = { bank: 'Bank: the net expected', fee: 'Fees', receivable: 'Receivables: the gross', tax: 'Tax', other: 'Other' };

export type OrderRow = { orderId: string; status: { label: string; tone: Tone }; sale: string; invoice: string; difference: string; refunded: string };
export type RefundRow = { refundId: string | null; orderId: string | null; amount: string; lines: number };
export type PostingRow = { key: string; journalId: string | null; account: string; role: string; amount: string; postedAt: string };

export type SettlementView = {
  comparison: ComparisonRow[];
  tolerance: string;
  orders: OrderRow[];
  refunds: RefundRow[];
  postings: PostingRow[];
};

/**
 * One settlement laid out for finance: the settlement against the ERP part by part (gross, fees, tax, and the net
 * the difference is on), each order against its invoice (problems first), its refunds and the ERP's journal lines.
 */
export function shapeSettlement(d: ReconciliationDetailAnswer, options: { locale?: string; timeZone?: string } = {}): SettlementView {
  const currency = d.currency ?? d.erp_currency;
  const erpCurrency = d.erp_currency ?? d.currency;
  const comparable = currency === erpCurrency;
  const part = (label: string, pair: { reported: string | null; erp: string | null }): ComparisonRow => {
    const difference = comparable ? subtractDecimal(pair.reported, pair.erp) : null;
    return {
      part: label,
      settlement: money(pair.reported, currency, options.locale),
      erp: money(pair.erp, erpCurrency, options.locale),
      difference: money(difference, currency, options.locale),
      tone: difference !== null && units(difference) !== 0n ? 'warn' : 'none',
    };
  };
  const net: ComparisonRow = {
    part: 'Net: the deposit against the ERP bank line',
    settlement: money(d.reported_net, currency, options.locale),
    erp: money(d.erp_net, erpCurrency, options.locale),
    difference: money(d.difference, currency, options.locale),
    tone: d.status === 'mismatched' ? 'bad' : 'none',
  };
  const orders = [...d.orders]
    .sort((a, b) => (ORDER_STATUS[a.status]?.rank ?? 9) - (ORDER_STATUS[b.status]?.rank ?? 9) || a.order_id.localeCompare(b.order_id))
    .map((o) => ({
      orderId: o.order_id,
      status: { label: ORDER_STATUS[o.status]?.label ?? o.status, tone: ORDER_STATUS[o.status]?.tone ?? 'none' },
      sale: money(o.line_gross, o.currency, options.locale),
      invoice: money(o.erp_gross, o.currency, options.locale),
      difference: money(o.difference, o.currency, options.locale),
      refunded: money(o.refunded, o.currency, options.locale),
    }));
  return {
    comparison: [part('Gross: sales less refunds', d.gross), part('Fees', d.fees), part('Tax', d.tax), net],
    tolerance: money(d.tolerance, currency, options.locale),
    orders,
    refunds: d.refunds.map((r) => ({ refundId: r.refund_id, orderId: r.order_id, amount: money(r.amount, r.currency, options.locale), lines: r.lines })),
    postings: d.postings.map((p, i) => ({
      key: `${p.journal_id ?? ''}:${p.account ?? ''}:${i}`,
      journalId: p.journal_id,
      account: p.account ?? '–',
      role: ROLE_LABELS[p.role] ?? p.role,
      amount: money(p.amount, p.currency, options.locale),
      postedAt: formatDay(p.posted_at, options),
    })),
  };
}
