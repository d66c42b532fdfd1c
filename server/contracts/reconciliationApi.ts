import { z } from 'zod';

/** Reconciliation answers (`/api/v1/reconciliation…`): settlements against the ERP's postings. */

export const RECONCILIATION_STATUSES = ['matched', 'mismatched', 'unmatched_settlement', 'unmatched_erp'] as const;
export const RECONCILIATION_REASONS = ['fee', 'tax', 'currency', 'missing_line', 'unknown'] as const;
export const ORDER_RECONCILIATION_STATUSES = ['matched', 'mismatched', 'currency', 'missing_invoice', 'missing_line', 'adjustment_only'] as const;

/** Money is decimal text with the currency's minor digits (`-4.00` EUR), exact; null where a side is missing. */
const money = z.string().nullable();
const reportedVsErp = z.object({ reported: money, erp: money });

/** One settlement (Amazon report or Stripe payout) against the ERP's posting of it: reported (deposited) net vs the ERP's expected net (bank line). */
export const reconciliationItemSchema = z.object({
  settlement_id: z.string(),
  correlation_id: z.string(),
  source: z.string().nullable(),
  status: z.enum(RECONCILIATION_STATUSES),
  reason: z.enum(RECONCILIATION_REASONS).nullable(),
  explanation: z.string().nullable(),
  currency: z.string().nullable(),
  erp_currency: z.string().nullable(),
  reported_at: z.number().nullable(),
  erp_posted_at: z.number().nullable(),
  reported_net: money,
  erp_net: money,
  /** reported_net − erp_net; null when a side is missing or the currencies differ. */
  difference: money,
  tolerance: z.string(),
  lines_total: money,
  gross: reportedVsErp,
  fees: reportedVsErp,
  tax: reportedVsErp,
  lines: z.number(),
  journal_ids: z.array(z.string()),
  order_counts: z.object({ total: z.number(), matched: z.number(), mismatched: z.number(), currency: z.number(), missing_invoice: z.number(), missing_line: z.number(), adjustment_only: z.number() }),
  /** Refunds the settlement withholds from the deposit. */
  refund_count: z.number(),
  /** Who acts on it (finance, by dashboards/owners.yaml); null when matched. */
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ReconciliationItemAnswer = z.infer<typeof reconciliationItemSchema>;

/** What the settlements of one status add up to in one currency (exact decimal text; null where none has that side). */
export const reconciliationTotalSchema = z.object({
  status: z.enum(RECONCILIATION_STATUSES),
  currency: z.string().nullable(),
  count: z.number(),
  reported_net: money,
  erp_net: money,
  difference: money,
});
export type ReconciliationTotal = z.infer<typeof reconciliationTotalSchema>;

/** `GET /api/v1/reconciliation`: settlements reported (or, without a report, posted by the ERP) in [from, to). */
export const reconciliationListSchema = z.object({
  at: z.number(),
  from: z.number(),
  to: z.number(),
  total: z.number(),
  offset: z.number(),
  /** The range's settlements (of the source and currency asked for) by status, before the status and reason filters. */
  by_status: z.record(z.enum(RECONCILIATION_STATUSES), z.number()),
  /** The same settlements per status and currency, with their amounts added up. */
  totals: z.array(reconciliationTotalSchema),
  /** The same settlements' mismatches by reason. */
  by_reason: z.record(z.enum(RECONCILIATION_REASONS), z.number()),
  /** Reporting systems and currencies of the range's settlements, before any filter. */
  sources: z.array(z.string()),
  currencies: z.array(z.string()),
  settlements: z.array(reconciliationItemSchema),
  truncated: z.boolean(),
});
export type ReconciliationListAnswer = z.infer<typeof reconciliationListSchema>;

export const JOURNAL_ROLES = ['bank', 'fee', 'receivable', 'tax', 'other'] as const;

/** `GET /api/v1/reconciliation/{settlementId}`: one settlement with each order's sale against its ERP invoice, its refunds and the ERP's journal lines. */
export const reconciliationDetailSchema = reconciliationItemSchema.extend({
  orders: z.array(z.object({ order_id: z.string(), status: z.enum(ORDER_RECONCILIATION_STATUSES), line_gross: money, erp_gross: money, difference: money, refunded: money, currency: z.string() })),
  /** The refund rows per refund (negative amounts), largest first. */
  refunds: z.array(z.object({ refund_id: z.string().nullable(), order_id: z.string().nullable(), amount: z.string(), currency: z.string(), lines: z.number() })),
  /** The ERP's journal entry for the settlement, line by line, with the part of the settlement each books. */
  postings: z.array(z.object({ journal_id: z.string().nullable(), account: z.string().nullable(), role: z.enum(JOURNAL_ROLES), amount: z.string(), currency: z.string(), posted_at: z.number() })),
});
export type ReconciliationDetailAnswer = z.infer<typeof reconciliationDetailSchema>;
