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

/** One value a filter can take and how many exceptions it would show (the other filters applied). */
export const facetValueSchema = z.object({ value: z.string(), label: z.string(), count: z.number() });
export type FacetValue = z.infer<typeof facetValueSchema>;
export const EXCEPTION_FACETS = ['state', 'kind', 'owner', 'flow', 'system', 'bucket', 'error_code', 'error_class'] as const;
export type ExceptionFacet = (typeof EXCEPTION_FACETS)[number];
export const EXCEPTION_SORTS = ['oldest', 'newest'] as const;
export type ExceptionSort = (typeof EXCEPTION_SORTS)[number];
export const ERROR_CLASSES = ['business', 'technical'] as const;

/** `GET /api/v1/exceptions`: a page of exceptions matching the filters, oldest first, and how many match in all. */
export const exceptionListSchema = z.object({
  at: z.number(),
  lookback_ms: z.number(),
  total: z.number(),
  offset: z.number(),
  sort: z.enum(EXCEPTION_SORTS),
  exceptions: z.array(exceptionSchema),
  /** Per filter, every value it can take with how many exceptions each would show under the other filters. */
  facets: z.record(z.enum(EXCEPTION_FACETS), z.array(facetValueSchema)),
  /** True when more failures were in the lookback than one answer reads: narrow the lookback. */
  truncated: z.boolean(),
});
export type ExceptionList = z.infer<typeof exceptionListSchema>;

/** One action of an exception's append-only workflow history. */
export const historyEntrySchema = z.object({ action: z.string(), actor: z.string(), at: z.number(), assignee: z.string().nullable(), note: z.string().nullable() });
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** `GET /api/v1/exceptions/{id}`: the exception with its whole workflow history, oldest action first. */
export const exceptionDetailSchema = exceptionSchema.extend({ history: z.array(historyEntrySchema) });
export type ExceptionDetail = z.infer<typeof exceptionDetailSchema>;

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
  /** The name of each owner in `by_owner`, by team id. */
  owners: z.record(z.string(), z.string()),
});
export type ExceptionAging = z.infer<typeof exceptionAgingSchema>;

/** `POST /api/v1/exceptions/actions` and `/api/v1/exceptions/{id}/actions`: what was recorded. */
export const exceptionActionResultSchema = z.object({
  recorded: z.array(z.object({ id: z.string(), action_id: z.string(), action: z.string(), at: z.number(), state: z.enum(EXCEPTION_STATES) })),
});
export type ExceptionActionResult = z.infer<typeof exceptionActionResultSchema>;
