import { z } from 'zod';
import { EVENT_STATUSES } from './canonicalEvent.js';
import { linkedKeySchema, storedEventSchema } from './api.js';

/**
 * Lineage answers (`GET /api/v1/lineage`, `/lineage/export`): the walk's correlations and events, the graph
 * of what happened, the steps still missing. Shared with the web app, like api.ts.
 */

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
  /**
   * True when the searched key names more transactions than a search shows (a SKU at a location, `SKU@location`:
   * every sale, receipt and transfer that moved it), so only the latest are followed.
   */
  latest_only: z.boolean(),
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
