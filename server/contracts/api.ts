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

/** `GET /api/v1/lineage?key=…` answer. */
export const lineageResponseSchema = z.object({
  key: z.string(),
  depth: z.number(),
  correlations: z.array(lineageCorrelationSchema),
  events: z.array(storedEventSchema),
  /** True when the walk stopped at the correlation cap before visiting every linked key. */
  truncated: z.boolean(),
});
export type LineageResponse = z.infer<typeof lineageResponseSchema>;

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

/** One exception: a failed or dead-lettered step of one correlation, however many retries, with its workflow. */
export const exceptionSchema = z.object({
  id: z.string(),
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
