import { absUnits, formatUnits, minorToUnits, sumUnits, toUnits } from './money.js';

/**
 * Settlement reconciliation (pure): what a marketplace or payment provider reported and deposited (net of its
 * fees) against what the ERP booked for it (bank line = the net it expected, fees, receivables = gross), and
 * each sold order's settlement line against the ERP invoice for it. Differences are explained where the data
 * can tell: the fees, the tax, a currency, a line missing on one side.
 */

export const RECONCILIATION_STATUSES = ['matched', 'mismatched', 'unmatched_settlement', 'unmatched_erp'] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];
export const RECONCILIATION_REASONS = ['fee', 'tax', 'currency', 'missing_line', 'unknown'] as const;
export type ReconciliationReason = (typeof RECONCILIATION_REASONS)[number];
export const ORDER_STATUSES = ['matched', 'mismatched', 'currency', 'missing_invoice', 'missing_line', 'adjustment_only'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type LineKind = 'principal' | 'tax' | 'fee' | 'refund' | 'other';
export type JournalRole = 'bank' | 'fee' | 'receivable' | 'tax' | 'other';

/** The ERP's chart of accounts as far as reconciliation needs it: which accounts hold which part of a settlement posting. */
export type LedgerAccounts = { bank: readonly string[]; fee: readonly string[]; receivable: readonly string[]; tax: readonly string[] };

/** Tolerance in the currency's minor units (cents for EUR): a difference up to it counts as matched. */
export type ReconciliationRules = { toleranceMinor: number; currencyToleranceMinor?: Readonly<Record<string, number>> };

export const DEFAULT_RECONCILIATION_RULES: ReconciliationRules = { toleranceMinor: 1, currencyToleranceMinor: {} };

/** The simulated estate's ERP (docs/simulator.md): bank 1200; fees 6810 (Amazon), 6820 (Stripe); receivables 1410, 1360. */
export const DEFAULT_LEDGER_ACCOUNTS: LedgerAccounts = { bank: ['1200'], fee: ['6810', '6820'], receivable: ['1410', '1360'], tax: [] };

/** `count`: how many report rows the entry stands for, when rows of one order and kind come summed (default 1). */
export type SettlementLineInput = { amount: string; currency: string; kind: LineKind; order_id?: string; refund_id?: string; count?: number };
export type JournalLineInput = { amount: string; currency: string; role: JournalRole; journal_id?: string; account?: string; posted_at: number };
export type InvoiceInput = { order_id: string; amount: string; currency: string };

export type SettlementInput = {
  settlement_id: string;
  correlation_id: string;
  /** Who reported it (`amazon`, `stripe`); null when only the ERP has posted it. */
  source: string | null;
  /** The reported (deposited) net: the report's total or the payout's amount. */
  reported: { amount: string; currency: string; at: number } | null;
  lines: readonly SettlementLineInput[];
  journal: readonly JournalLineInput[];
  /** The ERP invoices of the orders the lines name (each once). */
  invoices: readonly InvoiceInput[];
};

export type OrderReconciliation = {
  order_id: string;
  status: OrderStatus;
  /** What the settlement says the order sold for (principal and tax rows of the sale), and what the ERP invoiced. */
  line_gross: string | null;
  erp_gross: string | null;
  difference: string | null;
  /** Refund rows of the order in this settlement (negative), if any. */
  refunded: string | null;
  currency: string;
};

export type OrderCounts = Record<OrderStatus, number> & { total: number };

/** The refund rows of one refund in the settlement (negative): money paid back, withheld from the deposit. */
export type SettledRefund = { refund_id: string | null; order_id: string | null; amount: string; currency: string; lines: number };
/** One line of the ERP's journal entry for the settlement, and which part of it that is. */
export type ErpPosting = { journal_id: string | null; account: string | null; role: JournalRole; amount: string; currency: string; posted_at: number };

type Pair = { reported: string | null; erp: string | null };

export type SettlementReconciliation = {
  settlement_id: string;
  correlation_id: string;
  source: string | null;
  status: ReconciliationStatus;
  reason: ReconciliationReason | null;
  /** One sentence for the person who has to act on it. */
  explanation: string | null;
  currency: string | null;
  erp_currency: string | null;
  reported_at: number | null;
  erp_posted_at: number | null;
  reported_net: string | null;
  erp_net: string | null;
  /** reported_net − erp_net; null when one side is missing or the currencies differ. */
  difference: string | null;
  tolerance: string;
  /** Sum of the settlement's lines (equals reported_net for a consistent report). */
  lines_total: string | null;
  gross: Pair;
  fees: Pair;
  tax: Pair;
  lines: number;
  journal_ids: string[];
  order_counts: OrderCounts;
  /** Refunds the settlement withholds (distinct refund ids; rows without one count once). */
  refund_count: number;
  orders: OrderReconciliation[];
  refunds: SettledRefund[];
  postings: ErpPosting[];
};

/**
 * What an Amazon settlement row is, from its transaction type, amount type and description (Flat File V2:
 * `ItemPrice`/`Principal`, `ItemPrice`/`Tax`, `ItemFees`/`Commission`, `other-transaction`/`Storage Fee`, …).
 * A line that carries no amount type (sent through the event API without its row) is judged by its sign.
 */
export function settlementLineKind(row: { transaction_type?: string; amount_type?: string; amount_description?: string; amount: string; refund_id?: string }): LineKind {
  const type = (row.amount_type ?? '').toLowerCase();
  const description = (row.amount_description ?? '').toLowerCase();
  const refund = /refund|return|chargeback/i.test(row.transaction_type ?? '');
  if (type === '' && description === '') {
    if (toUnits(row.amount) >= 0n) return 'principal';
    return row.refund_id ? 'refund' : 'fee';
  }
  if (type.includes('withheldtax') || /tax/.test(description)) return 'tax';
  if (type.includes('fee') || /fee|commission/.test(description)) return 'fee';
  if (type === 'itemprice' || type === 'promotion') return refund ? 'refund' : 'principal';
  return 'other';
}

/** Which part of a settlement posting a journal line is, by its account. */
export function journalRole(account: string, accounts: LedgerAccounts): JournalRole {
  const a = account.trim();
  if (accounts.bank.includes(a)) return 'bank';
  if (accounts.fee.includes(a)) return 'fee';
  if (accounts.receivable.includes(a)) return 'receivable';
  if (accounts.tax.includes(a)) return 'tax';
  return 'other';
}

/** The tolerance for a currency, in units. */
export function toleranceUnits(currency: string, rules: ReconciliationRules): bigint {
  return minorToUnits(rules.currencyToleranceMinor?.[currency] ?? rules.toleranceMinor, currency);
}

const sumOf = <T extends { amount: string }>(items: readonly T[], keep: (item: T) => boolean = () => true) => sumUnits(items.filter(keep).map((i) => toUnits(i.amount)));

/** Reconcile one settlement: its report and lines against the ERP's journal entry and invoices. */
export function reconcileSettlement(input: SettlementInput, rules: ReconciliationRules = DEFAULT_RECONCILIATION_RULES): SettlementReconciliation {
  const { lines, journal } = input;
  const currency = input.reported?.currency || lines.find((l) => l.currency)?.currency || '';
  const bank = journal.filter((j) => j.role === 'bank');
  const erpCurrencies = [...new Set(journal.map((j) => j.currency).filter((c) => c !== ''))];
  const erpCurrency = bank.find((j) => j.currency)?.currency ?? erpCurrencies[0] ?? '';
  const shown = currency || erpCurrency;
  const tolerance = toleranceUnits(shown, rules);
  const money = (units: bigint | null) => (units === null ? null : formatUnits(units, shown));

  const hasLines = lines.length > 0;
  const hasJournal = journal.length > 0;
  const reportedNet = input.reported ? toUnits(input.reported.amount) : hasLines ? sumOf(lines) : null;
  const erpNet = bank.length > 0 ? sumOf(bank) : null;
  const breakdown = {
    gross: { reported: hasLines ? sumOf(lines, (l) => l.kind === 'principal' || l.kind === 'refund') : null, erp: hasJournal ? -sumOf(journal, (j) => j.role === 'receivable') : null },
    fees: { reported: hasLines ? -sumOf(lines, (l) => l.kind === 'fee') : null, erp: hasJournal ? sumOf(journal, (j) => j.role === 'fee') : null },
    tax: { reported: hasLines ? sumOf(lines, (l) => l.kind === 'tax') : null, erp: hasJournal ? -sumOf(journal, (j) => j.role === 'tax') : null },
  };
  const orders = reconcileOrders(lines, input.invoices, tolerance);
  const refunds = settledRefunds(lines, shown);
  const verdict = judge({ reportedNet, erpNet, hasJournal, currency, erpCurrencies, tolerance, breakdown, orders, source: input.source, format: (u) => formatUnits(u, shown) });
  const pair = (p: { reported: bigint | null; erp: bigint | null }): Pair => ({ reported: money(p.reported), erp: money(p.erp) });
  return {
    settlement_id: input.settlement_id,
    correlation_id: input.correlation_id,
    source: input.source,
    status: verdict.status,
    reason: verdict.reason,
    explanation: verdict.explanation,
    currency: currency || null,
    erp_currency: erpCurrency || null,
    reported_at: input.reported?.at ?? null,
    erp_posted_at: hasJournal ? Math.min(...journal.map((j) => j.posted_at)) : null,
    reported_net: money(reportedNet),
    erp_net: money(erpNet),
    difference: money(verdict.difference),
    tolerance: formatUnits(tolerance, shown),
    lines_total: hasLines ? money(sumOf(lines)) : null,
    gross: pair(breakdown.gross),
    fees: pair(breakdown.fees),
    tax: pair(breakdown.tax),
    lines: lines.reduce((n, l) => n + (l.count ?? 1), 0),
    journal_ids: [...new Set(journal.map((j) => j.journal_id ?? '').filter((id) => id !== ''))].sort(),
    order_counts: countOrders(orders),
    refund_count: refunds.length,
    orders,
    refunds,
    postings: journal
      .map((j) => ({ journal_id: j.journal_id || null, account: j.account || null, role: j.role, amount: formatUnits(toUnits(j.amount), j.currency || shown), currency: j.currency || shown, posted_at: j.posted_at }))
      .sort((a, b) => a.posted_at - b.posted_at || (a.journal_id ?? '').localeCompare(b.journal_id ?? '') || (a.account ?? '').localeCompare(b.account ?? '')),
  };
}

/** The refund rows of a settlement per refund id, largest refund first. */
function settledRefunds(lines: readonly SettlementLineInput[], currency: string): SettledRefund[] {
  const byRefund = new Map<string, { order_id: string | null; units: bigint; currency: string; lines: number }>();
  for (const line of lines) {
    if (line.kind !== 'refund') continue;
    const key = line.refund_id ?? '';
    const seen = byRefund.get(key) ?? { order_id: line.order_id ?? null, units: 0n, currency: line.currency || currency, lines: 0 };
    seen.units += toUnits(line.amount);
    seen.lines += line.count ?? 1;
    byRefund.set(key, seen);
  }
  return [...byRefund.entries()]
    .map(([id, r]) => ({ refund_id: id === '' ? null : id, order_id: r.order_id, amount: formatUnits(r.units, r.currency), currency: r.currency, lines: r.lines, units: r.units }))
    .sort((a, b) => (a.units < b.units ? -1 : a.units > b.units ? 1 : (a.refund_id ?? '').localeCompare(b.refund_id ?? '')))
    .map(({ units: _units, ...r }) => r);
}

type Breakdown = Record<'gross' | 'fees' | 'tax', { reported: bigint | null; erp: bigint | null }>;
type Verdict = { status: ReconciliationStatus; reason: ReconciliationReason | null; explanation: string | null; difference: bigint | null };
type Facts = {
  reportedNet: bigint | null;
  erpNet: bigint | null;
  hasJournal: boolean;
  currency: string;
  erpCurrencies: readonly string[];
  tolerance: bigint;
  breakdown: Breakdown;
  orders: readonly OrderReconciliation[];
  source: string | null;
  format: (units: bigint) => string;
};

function judge(f: Facts): Verdict {
  if (f.reportedNet === null) {
    return { status: 'unmatched_erp', reason: null, explanation: 'the ERP posted this settlement but no settlement report or payout for it has arrived', difference: null };
  }
  if (!f.hasJournal) {
    return { status: 'unmatched_settlement', reason: null, explanation: 'reported, but the ERP has not posted it yet', difference: null };
  }
  const foreign = f.erpCurrencies.filter((c) => c !== f.currency);
  if (f.erpCurrencies.length > 1 || (f.currency !== '' && foreign.length > 0)) {
    const booked = f.erpCurrencies.join(' and ');
    return { status: 'mismatched', reason: 'currency', explanation: `reported in ${f.currency || 'an unstated currency'} but booked in ${booked}: amounts in different currencies are never matched`, difference: null };
  }
  if (f.erpNet === null) {
    return { status: 'mismatched', reason: 'unknown', explanation: "the ERP's journal entry has no line on a bank account, so the net it expects is unknown: check the configured bank accounts", difference: null };
  }
  const difference = f.reportedNet - f.erpNet;
  if (absUnits(difference) <= f.tolerance) return { status: 'matched', reason: null, explanation: null, difference };
  const mismatch = (reason: ReconciliationReason, explanation: string): Verdict => ({ status: 'mismatched', reason, explanation, difference });
  const unit = (u: bigint) => `${f.format(u)}${f.currency ? ` ${f.currency}` : ''}`;
  const explains = (part: bigint) => absUnits(part - difference) <= f.tolerance;
  const { fees, tax, gross } = f.breakdown;
  // The deposit is net of what the provider charged; the ERP's expected net of what it booked as fees.
  if (fees.reported !== null && fees.erp !== null && fees.reported !== fees.erp && explains(fees.erp - fees.reported)) {
    return mismatch('fee', `${f.source ?? 'the provider'} charged ${unit(fees.reported)} in fees but the ERP booked ${unit(fees.erp)}; that explains the difference of ${unit(difference)}`);
  }
  if (tax.reported !== null && tax.erp !== null && tax.reported !== tax.erp && explains(tax.reported - tax.erp)) {
    return mismatch('tax', `the settlement carries ${unit(tax.reported)} of tax but the ERP booked ${unit(tax.erp)}; that explains the difference of ${unit(difference)}`);
  }
  const noInvoice = f.orders.filter((o) => o.status === 'missing_invoice').map((o) => o.order_id);
  const noLine = f.orders.filter((o) => o.status === 'missing_line').map((o) => o.order_id);
  if (noInvoice.length + noLine.length > 0) {
    const listed = (ids: string[]) => `${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''}`;
    const parts = [noInvoice.length > 0 ? `${noInvoice.length} settled order(s) without an ERP invoice (${listed(noInvoice)})` : '', noLine.length > 0 ? `${noLine.length} ERP invoice(s) without a settlement line (${listed(noLine)})` : ''];
    return mismatch('missing_line', `${parts.filter((p) => p !== '').join('; ')}; difference ${unit(difference)}`);
  }
  const grossNote = gross.reported !== null && gross.erp !== null && gross.reported !== gross.erp ? ` (gross ${unit(gross.reported)} settled, ${unit(gross.erp)} booked)` : '';
  return mismatch('unknown', `neither the fees, the tax nor a missing line explains the difference of ${unit(difference)}${grossNote}`);
}

type OrderTotals = { sale: bigint; saleLines: number; refunded: bigint; refundLines: number; currency: string };

/** Each order's sale in the settlement against its ERP invoice; invoices without a line are listed too. */
function reconcileOrders(lines: readonly SettlementLineInput[], invoices: readonly InvoiceInput[], tolerance: bigint): OrderReconciliation[] {
  const byOrder = new Map<string, OrderTotals>();
  for (const line of lines) {
    if (!line.order_id) continue;
    const totals = byOrder.get(line.order_id) ?? { sale: 0n, saleLines: 0, refunded: 0n, refundLines: 0, currency: line.currency };
    if (line.kind === 'principal' || line.kind === 'tax') {
      totals.sale += toUnits(line.amount);
      totals.saleLines++;
    } else if (line.kind === 'refund') {
      totals.refunded += toUnits(line.amount);
      totals.refundLines++;
    }
    byOrder.set(line.order_id, totals);
  }
  const invoiced = new Map<string, { amount: bigint; currency: string }>();
  for (const invoice of invoices) {
    const seen = invoiced.get(invoice.order_id);
    invoiced.set(invoice.order_id, { amount: (seen?.amount ?? 0n) + toUnits(invoice.amount), currency: seen?.currency || invoice.currency });
  }
  const out: OrderReconciliation[] = [];
  for (const [orderId, t] of byOrder) {
    const invoice = invoiced.get(orderId);
    const fmt = (u: bigint) => formatUnits(u, t.currency);
    const base = { order_id: orderId, line_gross: t.saleLines > 0 ? fmt(t.sale) : null, erp_gross: invoice ? formatUnits(invoice.amount, invoice.currency) : null, refunded: t.refundLines > 0 ? fmt(t.refunded) : null, currency: t.currency };
    // A refund or fee row for an order sold in an earlier settlement: nothing here to compare with its invoice.
    if (t.saleLines === 0) out.push({ ...base, status: 'adjustment_only', difference: null });
    else if (!invoice) out.push({ ...base, status: 'missing_invoice', difference: null });
    else if (invoice.currency !== '' && t.currency !== '' && invoice.currency !== t.currency) out.push({ ...base, status: 'currency', difference: null });
    else {
      const difference = t.sale - invoice.amount;
      out.push({ ...base, status: absUnits(difference) <= tolerance ? 'matched' : 'mismatched', difference: fmt(difference) });
    }
  }
  for (const [orderId, invoice] of invoiced) {
    if (byOrder.has(orderId)) continue;
    out.push({ order_id: orderId, status: 'missing_line', line_gross: null, erp_gross: formatUnits(invoice.amount, invoice.currency), difference: null, refunded: null, currency: invoice.currency });
  }
  return out.sort((a, b) => a.order_id.localeCompare(b.order_id));
}

function countOrders(orders: readonly OrderReconciliation[]): OrderCounts {
  const counts = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
  for (const o of orders) counts[o.status]++;
  return { total: orders.length, ...counts };
}

/** What the settlements of one status add up to in one currency. Sums are exact; null where no settlement has that side. */
export type StatusTotal = { status: ReconciliationStatus; currency: string | null; count: number; reported_net: string | null; erp_net: string | null; difference: string | null };

type Totalled = Pick<SettlementReconciliation, 'status' | 'currency' | 'erp_currency' | 'reported_net' | 'erp_net' | 'difference'>;

/**
 * Settlements by status and currency (the report's; the ERP's when there is no report): how many, the deposits,
 * the nets the ERP expects and the differences. An ERP net booked in another currency than the report's is left
 * out of the sum (a currency mismatch has no difference either): amounts in different currencies never add up.
 */
export function totalsByStatus(items: readonly Totalled[]): StatusTotal[] {
  type Sums = { count: number; reported: bigint | null; erp: bigint | null; difference: bigint | null };
  const add = (sum: bigint | null, amount: string | null) => (amount === null ? sum : (sum ?? 0n) + toUnits(amount));
  const groups = new Map<string, Sums & { status: ReconciliationStatus; currency: string }>();
  for (const item of items) {
    const currency = item.currency ?? item.erp_currency ?? '';
    const key = `${item.status}\u0000${currency}`;
    const g = groups.get(key) ?? { status: item.status, currency, count: 0, reported: null, erp: null, difference: null };
    g.count++;
    g.reported = add(g.reported, item.reported_net);
    if ((item.erp_currency ?? currency) === currency) g.erp = add(g.erp, item.erp_net);
    g.difference = add(g.difference, item.difference);
    groups.set(key, g);
  }
  const money = (units: bigint | null, currency: string) => (units === null ? null : formatUnits(units, currency));
  return [...groups.values()]
    .sort((a, b) => RECONCILIATION_STATUSES.indexOf(a.status) - RECONCILIATION_STATUSES.indexOf(b.status) || b.count - a.count || a.currency.localeCompare(b.currency))
    .map((g) => ({ status: g.status, currency: g.currency || null, count: g.count, reported_net: money(g.reported, g.currency), erp_net: money(g.erp, g.currency), difference: money(g.difference, g.currency) }));
}

/** Mismatched settlements by reason. */
export function mismatchesByReason(items: readonly Pick<SettlementReconciliation, 'status' | 'reason'>[]): Record<ReconciliationReason, number> {
  const counts = Object.fromEntries(RECONCILIATION_REASONS.map((r) => [r, 0])) as Record<ReconciliationReason, number>;
  for (const item of items) if (item.status === 'mismatched') counts[item.reason ?? 'unknown']++;
  return counts;
}
