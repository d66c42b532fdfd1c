import { z } from 'zod';

/**
 * Replays (`/api/v1/replays…`, issue 7): what a selection would send (dry run), jobs that send it (four-eyes for
 * finance flows, cancellable, live progress), and each item's outcome. Times are epoch milliseconds.
 */

/** Transitions of one (event, target) replay item (server/domain/replayItems.ts explains the machine). */
export const ITEM_STATES = [
  'claimed',
  'sending',
  'applied',
  'rejected',
  'unknown',
  'refused',
  'blocked',
  'skipped',
  'cancelled',
  'settled_applied',
  'settled_not_applied',
  'recorded',
] as const;
export const JOB_STATES = ['awaiting_approval', 'queued', 'running', 'done', 'cancelled', 'failed'] as const;
export const SKIP_REASONS = ['not_failed', 'no_payload', 'no_target', 'already_applied', 'in_progress', 'unknown_outcome', 'later_success', 'key_applied'] as const;
/** Most events one job may hold; a bulk selection matching more is refused (narrow it). */
export const MAX_REPLAY_ITEMS = 10_000;

const text = (field: string, max = 256) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);

/** Epoch milliseconds, or ISO 8601 with a zone. */
const time = (field: string) =>
  z.union([z.number(), z.string()], { error: `${field} must be epoch milliseconds or an ISO 8601 time with a zone` }).transform((value, ctx) => {
    const ms = typeof value === 'number' ? value : /\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? Date.parse(value) : Number.NaN;
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `${field} must be epoch milliseconds or an ISO 8601 time with a zone, e.g. 2026-11-27T10:00:00Z` });
      return z.NEVER;
    }
    return Math.trunc(ms);
  });

/** One failed event, the event an exception replays, or a bulk filter bounded by a time range (at most 31 days). */
export const replaySelectionSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('event'), event_id: text('selection.event_id', 128) }),
    z.strictObject({ kind: z.literal('exception'), exception_id: z.string().regex(/^[0-9a-f]{16}$/, 'selection.exception_id must be 16 hex characters') }),
    z.strictObject({
      kind: z.literal('filter'),
      from: time('selection.from'),
      to: time('selection.to'),
      flow: text('selection.flow').optional(),
      step: text('selection.step').optional(),
      system: text('selection.system').optional(),
      error_code: text('selection.error_code').optional(),
    }),
  ],
  { error: 'selection.kind must be event, exception or filter' },
);
export type ReplaySelection = z.output<typeof replaySelectionSchema>;

export const dryRunRequestSchema = z.strictObject({
  selection: replaySelectionSchema,
  limit: z.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(1000, 'limit must be at most 1000').default(100),
  offset: z.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').default(0),
});
export const createJobRequestSchema = z.strictObject({ selection: replaySelectionSchema, reason: text('reason', 2000) });
export const jobActionRequestSchema = z.strictObject({ note: z.string().trim().max(2000, 'note must be at most 2000 characters').optional() });
/** An operator settles an item whose outcome could not be known (no lookup answered). */
export const decideRequestSchema = z.strictObject({
  event_id: text('event_id', 128),
  target: text('target', 128),
  outcome: z.enum(['applied', 'not_applied'], { error: 'outcome must be applied or not_applied' }),
  note: text('note', 2000),
});

/** What one delivery would send: headers with secret values shown as •••. */
export const renderedRequestSchema = z.object({
  method: z.string(),
  url: z.string(),
  headers: z.array(z.object({ name: z.string(), value: z.string(), redacted: z.boolean() })),
  body: z.string(),
  body_format: z.enum(['json', 'text']),
  lookup: z.object({ method: z.literal('GET'), url: z.string() }).nullable(),
});
export type RenderedRequestView = z.infer<typeof renderedRequestSchema>;

export const plannedItemSchema = z.object({
  event_id: z.string(),
  flow: z.string(),
  correlation_id: z.string(),
  step: z.string(),
  occurred_at: z.number(),
  target: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  action: z.enum(['send', 'skip']),
  skip: z.object({ reason: z.enum(SKIP_REASONS), message: z.string(), job_id: z.string().nullable() }).nullable(),
  request: renderedRequestSchema.nullable(),
});
export type PlannedItem = z.infer<typeof plannedItemSchema>;

/** `POST /api/v1/replays/dry-run`: nothing is sent; what would be, and what would be skipped and why. */
export const dryRunSchema = z.object({
  at: z.number(),
  total: z.number(),
  send: z.number(),
  skipped: z.record(z.enum(SKIP_REASONS), z.number()),
  /** Finance-affecting flows in the selection: a job of it waits for a second operator's approval. */
  approval_flows: z.array(z.string()),
  max_items: z.literal(MAX_REPLAY_ITEMS),
  offset: z.number(),
  items: z.array(plannedItemSchema),
});
export type DryRun = z.infer<typeof dryRunSchema>;

const itemCounts = z.record(z.string(), z.number());

export const jobHistoryEntrySchema = z.object({ state: z.enum(JOB_STATES), actor: z.string(), note: z.string().nullable(), at: z.number() });

export const replayJobSchema = z.object({
  id: z.string(),
  state: z.enum(JOB_STATES),
  requested_by: z.string(),
  reason: z.string(),
  created_at: z.number(),
  updated_at: z.number(),
  selection: z.unknown(),
  approval_flows: z.array(z.string()),
  approved_by: z.string().nullable(),
  cancelled_by: z.string().nullable(),
  item_count: z.number(),
  /** Items by their state in this job (`pending`: not reached yet). */
  counts: itemCounts,
  /** Items whose outcome is unknown and need an operator's decision. */
  needs_decision: z.number(),
  current: z.object({ event_id: z.string(), target: z.string(), state: z.string() }).nullable(),
  history: z.array(jobHistoryEntrySchema),
});
export type ReplayJob = z.infer<typeof replayJobSchema>;

export const JOB_ITEM_STATES = [...ITEM_STATES.filter((s) => s !== 'recorded'), 'pending', 'not_run'] as const;

export const jobItemSchema = z.object({
  position: z.number(),
  event_id: z.string(),
  target: z.string(),
  flow: z.string(),
  correlation_id: z.string(),
  step: z.string(),
  occurred_at: z.number(),
  idempotency_key: z.string(),
  state: z.enum(JOB_ITEM_STATES),
  attempt: z.number().nullable(),
  http_status: z.number().nullable(),
  detail: z.string().nullable(),
  at: z.number().nullable(),
  /** Its replay step was written back (lineage and exceptions see it). */
  recorded: z.boolean(),
});
export type JobItem = z.infer<typeof jobItemSchema>;

/** `GET /api/v1/replays/{id}`: the job and a page of its items with their outcomes. */
export const replayJobDetailSchema = replayJobSchema.extend({ offset: z.number(), items: z.array(jobItemSchema) });
export type ReplayJobDetail = z.infer<typeof replayJobDetailSchema>;

/** `GET /api/v1/replays`: queue and history, newest first. */
export const replayJobListSchema = z.object({ total: z.number(), offset: z.number(), jobs: z.array(replayJobSchema) });
export type ReplayJobList = z.infer<typeof replayJobListSchema>;

/** socket.io `replay_progress`: a running job's counts and current item, at most a few a second. */
export const REPLAY_PROGRESS_EVENT = 'replay_progress';
export const replayProgressSchema = z.object({
  job_id: z.string(),
  state: z.enum(JOB_STATES),
  item_count: z.number(),
  counts: itemCounts,
  current: z.object({ event_id: z.string(), target: z.string(), state: z.string() }).nullable(),
  at: z.number(),
});
export type ReplayProgress = z.infer<typeof replayProgressSchema>;
