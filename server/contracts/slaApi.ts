import { z } from 'zod';

/** SLA answers (`/api/v1/slas…`): each policy evaluated over its window, its breaches per business key, its attainment over time. */

export const SLA_SEVERITIES = ['critical', 'warning', 'info'] as const;
export const BREACH_OUTCOMES = ['late', 'open_breached'] as const;
export type BreachOutcome = (typeof BREACH_OUTCOMES)[number];

const burnRateSchema = z.object({ window_ms: z.number(), rate: z.number().nullable() });

/** How much of the error budget (the broken instances the objective allows) is spent and left. */
export const errorBudgetSchema = z.object({
  /** Broken instances the objective allows over the decided ones: decided × (1 − objective). */
  allowed: z.number(),
  /** Broken instances: finished late or open past the deadline. */
  spent: z.number(),
  /** 1 − spent ÷ allowed: the share of the budget left, negative when overspent; null while nothing is decided. */
  remaining: z.number().nullable(),
});

const figuresShape = {
  met: z.number(),
  /** Finished after the deadline. */
  late: z.number(),
  /** Not finished, past the deadline. */
  open_breached: z.number(),
  in_progress: z.number(),
  /** Met ÷ decided (met, late, open past the deadline); null while nothing is decided. */
  attainment: z.number().nullable(),
  error_budget: errorBudgetSchema,
};

/** One policy as evaluated now over its window. */
export const slaPolicyStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  flow: z.string(),
  severity: z.string(),
  owner: z.string(),
  /** The steps that start the clock (the first reached counts) and the step that stops it. */
  start_steps: z.array(z.string()),
  end_step: z.string(),
  /** True when every channel of the flow is measured on its own; `end_channel` when only one is. */
  per_channel: z.boolean(),
  end_channel: z.string().nullable(),
  objective: z.number(),
  deadline_ms: z.number(),
  window_ms: z.number(),
  group_by: z.array(z.string()),
  ...figuresShape,
  burn: z.object({ short: burnRateSchema, long: burnRateSchema, factor: z.number(), alerting: z.boolean() }).nullable(),
  breaching: z.boolean(),
  /** Each group on its own (policies with `groupBy`), lowest attainment first. */
  groups: z.array(z.object({ group: z.record(z.string(), z.string()), ...figuresShape })),
});
export type SlaPolicyStatus = z.infer<typeof slaPolicyStatusSchema>;

/** `GET /api/v1/slas`. */
export const slaStatusSchema = z.object({ at: z.number(), policies: z.array(slaPolicyStatusSchema) });
export type SlaStatus = z.infer<typeof slaStatusSchema>;

/** One instance that broke a policy: one business transaction (and channel, for a per-channel end step). */
export const slaBreachSchema = z.object({
  correlation_id: z.string(),
  channel: z.string().nullable(),
  outcome: z.enum(BREACH_OUTCOMES),
  start_ms: z.number(),
  /** start_ms + the policy's deadline. */
  due_ms: z.number(),
  /** When the end step came; null while still open. */
  end_ms: z.number().nullable(),
  elapsed_ms: z.number(),
  /** How late it finished, or how long it is open past the deadline so far. */
  overdue_by_ms: z.number(),
  group: z.record(z.string(), z.string()),
  keys: z.record(z.string(), z.string()),
});
export type SlaBreach = z.infer<typeof slaBreachSchema>;

/** `GET /api/v1/slas/{id}/breaches`: a page of breaches, most overdue first. */
export const slaBreachesSchema = z.object({
  at: z.number(),
  policy: z.string(),
  deadline_ms: z.number(),
  /** The group asked for (`group=`), empty for all. */
  group: z.record(z.string(), z.string()),
  /** Breaches of the group by outcome, before the `outcome` filter. */
  by_outcome: z.object({ late: z.number(), open_breached: z.number() }),
  total: z.number(),
  offset: z.number(),
  breaches: z.array(slaBreachSchema),
});
export type SlaBreaches = z.infer<typeof slaBreachesSchema>;

/** One bucket of the series: the instances that started in [t, t + bucket_ms) and how each turned out so far. */
export const slaSeriesPointSchema = z.object({
  t: z.number(),
  met: z.number(),
  late: z.number(),
  open_breached: z.number(),
  in_progress: z.number(),
  attainment: z.number().nullable(),
});
export type SlaSeriesPoint = z.infer<typeof slaSeriesPointSchema>;

/** `GET /api/v1/slas/{id}/series`: the policy's window in equal buckets by start time. */
export const slaSeriesSchema = z.object({
  at: z.number(),
  policy: z.string(),
  objective: z.number(),
  group: z.record(z.string(), z.string()),
  from: z.number(),
  to: z.number(),
  bucket_ms: z.number(),
  points: z.array(slaSeriesPointSchema),
});
export type SlaSeries = z.infer<typeof slaSeriesSchema>;
