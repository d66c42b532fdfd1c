import { z } from 'zod';
import { ERROR_CLASSES, EVENT_STATUSES } from './canonicalEvent.js';

/**
 * Response shapes of the HTTP API. The server builds them, the web app parses them with the same schemas,
 * so the two cannot drift apart. Times on the API are ISO 8601 strings in UTC with milliseconds.
 */

export const apiErrorSchema = z.object({
  error: z.object({
    status: z.number(),
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ index: z.number().optional(), field: z.string(), message: z.string() })).optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const ingestIssueSchema = z.object({ index: z.number(), field: z.string(), message: z.string() });

/** `POST /v1/events` answer: partial success is reported record by record, like OTLP's partial_success. */
export const ingestResponseSchema = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  errors: z.array(ingestIssueSchema),
  errors_truncated: z.boolean(),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

export const storedEventSchema = z.object({
  event_id: z.string(),
  correlation_id: z.string(),
  flow: z.string(),
  step: z.string(),
  system: z.string(),
  target_system: z.string().nullable(),
  channel: z.string().nullable(),
  region: z.string().nullable(),
  location_id: z.string().nullable(),
  sku: z.string().nullable(),
  quantity: z.number().nullable(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  status: z.enum(EVENT_STATUSES),
  error_code: z.string().nullable(),
  error_class: z.enum(ERROR_CLASSES).nullable(),
  error_message: z.string().nullable(),
  occurred_at: z.string(),
  observed_at: z.string(),
  keys: z.record(z.string(), z.string()),
  payload: z.string().nullable(),
  replay_target: z.string().nullable(),
  trace_id: z.string().nullable(),
  span_id: z.string().nullable(),
  replay_of: z.string().nullable(),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;

export const linkedKeySchema = z.object({ name: z.string(), value: z.string() });
export type LinkedKey = z.infer<typeof linkedKeySchema>;

export const lineageCorrelationSchema = z.object({
  correlation_id: z.string(),
  flows: z.array(z.string()),
  /** The keys through which the walk reached this correlation (the searched key for the first hop). */
  linked_by: z.array(linkedKeySchema),
  depth: z.number(),
  first_at: z.string(),
  last_at: z.string(),
  event_count: z.number(),
});
export type LineageCorrelation = z.infer<typeof lineageCorrelationSchema>;

/** Attempts of a step that did not succeed, by status; each event counted once. */
export const lineageAttemptsSchema = z.object({ retrying: z.number(), failed: z.number(), dead_lettered: z.number() });
export type LineageAttempts = z.infer<typeof lineageAttemptsSchema>;

/** One event behind a step, with the span that reported it (`trace_id`/`span_id` point into the traces table). */
export const lineageStepEventSchema = z.object({
  event_id: z.string(),
  status: z.enum(EVENT_STATUSES),
  occurred_at: z.string(),
  trace_id: z.string().nullable(),
  span_id: z.string().nullable(),
  replay_of: z.string().nullable(),
});

/** One step of a correlation: every event of that step (and channel, for a step done once per channel). */
export const lineageStepSchema = z.object({
  /** The step, or `step@channel` for a step the catalog expects once per channel; unique within its correlation. */
  id: z.string(),
  step: z.string(),
  channel: z.string().nullable(),
  /** Who did it (the system of its first success), or, while it has not succeeded, who last tried. */
  system: z.string(),
  /** `ok` (or `skipped`) once it succeeded, else the status of its latest attempt. */
  status: z.enum(EVENT_STATUSES),
  first_at: z.string(),
  /** When it first succeeded (`ok`, or `skipped` because the target had already applied it); null while it has not. */
  ok_at: z.string().nullable(),
  last_at: z.string(),
  /** Distinct successful events (journal lines, settlement lines); a replay of a success does not add one. */
  occurrences: z.number(),
  attempts: lineageAttemptsSchema,
  /** Events that are replays (`replay_of` set). */
  replays: z.number(),
  /** Amount and currency of its first success, or of its latest attempt that carried one. */
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  events: z.array(lineageStepEventSchema),
});
export type LineageStep = z.infer<typeof lineageStepSchema>;

/** From one step of a correlation to the next, in time order. */
export const lineageHopSchema = z.object({
  from: z.string(),
  to: z.string(),
  from_at: z.string(),
  to_at: z.string(),
  duration_ms: z.number(),
  amount: z.string().nullable(),
  currency: z.string().nullable(),
  /** The amount of the latest earlier step in the same currency, if any. */
  previous_amount: z.string().nullable(),
  /** True when `amount` differs from `previous_amount` (a refund that reaches the ledger with another amount). */
  amount_changed: z.boolean(),
});
export type LineageHop = z.infer<typeof lineageHopSchema>;

export const LINEAGE_STATES = ['complete', 'in_progress', 'failed'] as const;

/** One correlation in the graph: its steps in time order, one lane per system, and the hops between them. */
export const lineageNodeSchema = z.object({
  correlation_id: z.string(),
  flow: z.string(),
  depth: z.number(),
  first_at: z.string(),
  last_at: z.string(),
  /** failed: a step failed or was dead-lettered and has not succeeded since; complete: every expected step is in. */
  state: z.enum(LINEAGE_STATES),
  /** The catalog variant whose steps best match what was seen; null when the flow has no variants or is unknown. */
  variant: z.object({ id: z.string(), name: z.string() }).nullable(),
  lanes: z.array(z.object({ system: z.string(), steps: z.array(lineageStepSchema) })),
  hops: z.array(lineageHopSchema),
});
export type LineageNode = z.infer<typeof lineageNodeSchema>;

/** Two correlations whose events carry the same key values; `from` started first. */
export const lineageEdgeSchema = z.object({ from: z.string(), to: z.string(), keys: z.array(linkedKeySchema) });
export type LineageEdge = z.infer<typeof lineageEdgeSchema>;

export const lineageGraphSchema = z.object({ nodes: z.array(lineageNodeSchema), edges: z.array(lineageEdgeSchema) });
export type LineageGraph = z.infer<typeof lineageGraphSchema>;

/** A deadline an SLA policy puts on a missing step: the policy ends at that step and started in this correlation. */
export const lineageMissingSlaSchema = z.object({
  policy: z.string(),
  name: z.string(),
  started_at: z.string(),
  deadline_at: z.string(),
  overdue: z.boolean(),
  /** How far past the deadline it is now; 0 while it is not due. */
  overdue_by_ms: z.number(),
});

/** A step the flow catalog expects of a correlation that has not (fully) happened. */
export const lineageMissingStepSchema = z.object({
  correlation_id: z.string(),
  flow: z.string(),
  variant: z.string().nullable(),
  step: z.string(),
  channel: z.string().nullable(),
  /** The systems the catalog says do this step. */
  systems: z.array(z.string()),
  /** How many successful events the catalog expects (journal lines, one per channel, …) and how many arrived. */
  expected: z.number(),
  seen: z.number(),
  /** Status of its latest attempt when it was tried but never succeeded (or succeeded too few times); null if never seen. */
  last_status: z.enum(EVENT_STATUSES).nullable(),
  /** When the correlation last moved: the latest success of any of its steps. */
  waiting_since: z.string(),
  age_ms: z.number(),
  slas: z.array(lineageMissingSlaSchema),
});
export type LineageMissingStep = z.infer<typeof lineageMissingStepSchema>;

/** `GET /api/v1/lineage?key=…` answer. */
export const lineageResponseSchema = z.object({
  key: z.string(),
  depth: z.number(),
  /** When the answer was made: ages and overdue figures are as of this time. */
  at: z.string(),
  correlations: z.array(lineageCorrelationSchema),
  events: z.array(storedEventSchema),
  /** True when the walk stopped at the correlation cap before visiting every linked key. */
  truncated: z.boolean(),
  graph: lineageGraphSchema,
  missing: z.array(lineageMissingStepSchema),
});
export type LineageResponse = z.infer<typeof lineageResponseSchema>;

/** `GET /api/v1/lineage/export?format=json`: the lineage answer as evidence, with a digest of its events. */
export const lineageEvidenceSchema = lineageResponseSchema.extend({
  generated_at: z.string(),
  /** SHA-256 (hex) of `events` as compact JSON in UTF-8, exactly as in this document: `JSON.stringify(events)`. */
  events_sha256: z.string(),
});
export type LineageEvidence = z.infer<typeof lineageEvidenceSchema>;

/** Events per second by flow over a recent window, by event time; each event counted once. */
export const throughputSchema = z.object({
  window_seconds: z.number(),
  bucket_seconds: z.number(),
  /** Epoch milliseconds of the window's end (exclusive) and start (inclusive). */
  from: z.number(),
  to: z.number(),
  series: z.array(
    z.object({
      flow: z.string(),
      points: z.array(z.object({ t: z.number(), count: z.number() })),
    }),
  ),
});
export type Throughput = z.infer<typeof throughputSchema>;

/** socket.io event names: the server pushes `throughput` (a Throughput) about once a second while data moves. */
export const LIVE_EVENTS = { throughput: 'throughput' } as const;

/** Lag figures in milliseconds: how many movements, how many have not reached the milestone yet, percentiles of those that did. */
export const lagStatsSchema = z.object({ count: z.number(), pending: z.number(), p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() });
export type LagStats = z.infer<typeof lagStatsSchema>;

/**
 * `GET /api/v1/inventory/lag`: movements whose source happened in [from, to), per milestone (`erp`: posted in
 * the ERP; a channel: visible there), over the whole range and per minute of source time.
 */
export const inventoryLagResponseSchema = z.object({
  from: z.number(),
  to: z.number(),
  bucket_seconds: z.number(),
  location: z.string().nullable(),
  sku: z.string().nullable(),
  targets: z.array(
    z.object({
      target: z.string(),
      kind: z.enum(['erp_posted', 'published']),
      summary: lagStatsSchema,
      series: z.array(lagStatsSchema.extend({ t: z.number() })),
    }),
  ),
});
export type InventoryLagResponse = z.infer<typeof inventoryLagResponseSchema>;

/** `GET /api/v1/inventory/lag/now`: how stale each milestone is now; pending movements count at their age so far. */
export const inventoryLagNowSchema = z.object({
  at: z.number(),
  window_seconds: z.number(),
  targets: z.array(lagStatsSchema.extend({ target: z.string(), kind: z.enum(['erp_posted', 'published']), oldest_pending_ms: z.number() })),
});
export type InventoryLagNow = z.infer<typeof inventoryLagNowSchema>;

/** `GET /api/v1/inventory/lag/worst`: locations or SKUs ranked by p95 lag to one milestone. */
export const worstLagSchema = z.object({
  from: z.number(),
  to: z.number(),
  by: z.enum(['location', 'sku']),
  target: z.string(),
  rows: z.array(z.object({ key: z.string(), count: z.number(), pending: z.number(), p95: z.number(), max: z.number() })),
});
export type WorstLag = z.infer<typeof worstLagSchema>;

/** `GET /api/v1/inventory/stale`: SKU-locations a channel still shows stale, with the units likely oversold meanwhile. */
export const staleStockSchema = z.object({
  at: z.number(),
  threshold_ms: z.number(),
  lookback_ms: z.number(),
  rows: z.array(
    z.object({
      sku: z.string(),
      location_id: z.string(),
      channel: z.string(),
      latest_movement_at: z.number(),
      stale_ms: z.number(),
      units_sold_per_hour: z.number(),
      oversell_risk_units: z.number(),
    }),
  ),
});
export type StaleStock = z.infer<typeof staleStockSchema>;

export const EXCEPTION_STATES = ['open', 'acknowledged', 'resolved', 'recovered'] as const;
/** A step that failed or dead-lettered; an expected step missing past its SLA deadline; a settlement that does not reconcile. */
export const EXCEPTION_KINDS = ['failed_step', 'missing_step', 'mismatch'] as const;

/** One exception: a failed or dead-lettered step of one correlation, however many retries, with its workflow. */
export const exceptionSchema = z.object({
  id: z.string(),
  kind: z.enum(EXCEPTION_KINDS),
  flow: z.string(),
  correlation_id: z.string(),
  step: z.string(),
  state: z.enum(EXCEPTION_STATES),
  owner: z.object({ id: z.string(), name: z.string() }),
  age_ms: z.number(),
  age_bucket: z.string(),
  first_failed_at: z.number(),
  last_failed_at: z.number(),
  recovered_at: z.number().nullable(),
  attempts: z.number(),
  last_status: z.string(),
  system: z.string(),
  target_system: z.string().nullable(),
  channel: z.string().nullable(),
  error: z.object({ code: z.string().nullable(), class: z.string().nullable(), message: z.string().nullable() }),
  replay_target: z.string().nullable(),
  keys: z.record(z.string(), z.string()),
  assignee: z.string().nullable(),
  acknowledged: z.object({ by: z.string(), at: z.number() }).nullable(),
  resolved: z.object({ by: z.string(), at: z.number(), note: z.string() }).nullable(),
  comments: z.array(z.object({ by: z.string(), at: z.number(), note: z.string() })),
});
export type ExceptionItem = z.infer<typeof exceptionSchema>;

/** `GET /api/v1/exceptions`: a page of exceptions matching the filters, oldest first, and how many match in all. */
export const exceptionListSchema = z.object({
  at: z.number(),
  lookback_ms: z.number(),
  total: z.number(),
  offset: z.number(),
  exceptions: z.array(exceptionSchema),
  /** True when more failures were in the lookback than one answer reads: narrow the lookback. */
  truncated: z.boolean(),
});
export type ExceptionList = z.infer<typeof exceptionListSchema>;

const bucketCounts = z.record(z.string(), z.number());
/** `GET /api/v1/exceptions/aging`: open and acknowledged exceptions by age bucket, overall and per owner, flow and system. */
export const exceptionAgingSchema = z.object({
  at: z.number(),
  lookback_ms: z.number(),
  buckets: z.array(z.object({ id: z.string(), label: z.string() })),
  total: z.number(),
  by_bucket: bucketCounts,
  by_owner: z.record(z.string(), bucketCounts),
  by_flow: z.record(z.string(), bucketCounts),
  by_system: z.record(z.string(), bucketCounts),
});
export type ExceptionAging = z.infer<typeof exceptionAgingSchema>;

/** `POST /api/v1/exceptions/actions` and `/api/v1/exceptions/{id}/actions`: what was recorded. */
export const exceptionActionResultSchema = z.object({
  recorded: z.array(z.object({ id: z.string(), action_id: z.string(), action: z.string(), at: z.number(), state: z.enum(EXCEPTION_STATES) })),
});
export type ExceptionActionResult = z.infer<typeof exceptionActionResultSchema>;

/** `GET /api/v1/overview`: what the peak-period wall shows, in one call. */
export const overviewSchema = z.object({
  at: z.number(),
  throughput: throughputSchema,
  inventory: inventoryLagNowSchema,
  exceptions: z.object({ total: z.number(), by_bucket: z.record(z.string(), z.number()), by_owner: z.record(z.string(), z.record(z.string(), z.number())) }),
  slas: z.object({
    policies: z.number(),
    breaching: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        severity: z.string(),
        owner: z.string(),
        attainment: z.number().nullable(),
        objective: z.number(),
        late: z.number(),
        open_breached: z.number(),
        burn_alerting: z.boolean(),
      }),
    ),
  }),
  freshness: z.array(z.object({ system: z.string(), last_event_at: z.number(), last_received_at: z.number(), seconds_since_last: z.number() })),
});
export type Overview = z.infer<typeof overviewSchema>;

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
