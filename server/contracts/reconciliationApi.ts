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
  /** Who acts on it (finance, by dashboards/owners.yaml); null when matched. */
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ReconciliationItemAnswer = z.infer<typeof reconciliationItemSchema>;

/** `GET /api/v1/reconciliation`: settlements reported (or, without a report, posted by the ERP) in [from, to). */
export const reconciliationListSchema = z.object({
  at: z.number(),
  from: z.number(),
  to: z.number(),
  total: z.number(),
  offset: z.number(),
  by_status: z.record(z.enum(RECONCILIATION_STATUSES), z.number()),
  settlements: z.array(reconciliationItemSchema),
  truncated: z.boolean(),
});
export type ReconciliationListAnswer = z.infer<typeof reconciliationListSchema>;

/** `GET /api/v1/reconciliation/{settlementId}`: one settlement with each order's sale against its ERP invoice. */
export const reconciliationDetailSchema = reconciliationItemSchema.extend({
  orders: z.array(z.object({ order_id: z.string(), status: z.enum(ORDER_RECONCILIATION_STATUSES), line_gross: money, erp_gross: money, difference: money, refunded: money, currency: z.string() })),
});
