import { z } from 'zod';

/** Exception answers (`/api/v1/exceptions…`): the list, the aging summary and the workflow's results. */

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
