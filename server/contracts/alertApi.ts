import { z } from 'zod';

/**
 * Alert answers (`/api/v1/alerts…`): alerts raised from the SLA policies by the rules in `dashboards/alerts/`,
 * their lifecycle (pending → firing → acknowledged → resolved), every notification sent, and mutes.
 */

/** `inactive`: an alert that was pending and cleared before it fired (shown only when asked for). */
export const ALERT_STATES = ['pending', 'firing', 'acknowledged', 'resolved', 'inactive'] as const;
export type AlertApiState = (typeof ALERT_STATES)[number];
/** What `GET /api/v1/alerts?state=` takes: a state, or `muted` (open alerts a mute holds back now). */
export const ALERT_FILTERS = ['pending', 'firing', 'acknowledged', 'resolved', 'inactive', 'muted'] as const;
export type AlertFilter = (typeof ALERT_FILTERS)[number];

const who = z.object({ by: z.string(), at: z.number(), note: z.string() });

export const alertFactsSchema = z.object({
  objective: z.number(),
  attainment: z.number().nullable(),
  late: z.number(),
  open_breached: z.number(),
  deadline_ms: z.number(),
  window_ms: z.number(),
  burn: z.object({ short: z.number().nullable(), long: z.number().nullable(), short_ms: z.number(), long_ms: z.number(), factor: z.number() }).nullable(),
  counted: z.number().nullable(),
  threshold: z.number().nullable(),
});

/** A mute in force over an alert. */
export const alertMuteRefSchema = z.object({ id: z.string(), ends_at: z.number(), reason: z.string(), by: z.string() });

/** One alert: its latest episode, what it says, who acted on it, and the link to the breach. */
export const alertItemSchema = z.object({
  id: z.string(),
  /** `flowlens/<rule>/<policy>[/<group>]`: the key PagerDuty and the other receivers group notifications by. */
  dedup_key: z.string(),
  rule: z.string(),
  rule_name: z.string(),
  condition: z.enum(['burn', 'deadline']),
  policy: z.string(),
  policy_name: z.string(),
  flow: z.string(),
  owner: z.string(),
  severity: z.string(),
  group: z.record(z.string(), z.string()),
  /** The how-many-th time this alert began (1, 2, …). */
  episode: z.number(),
  state: z.enum(ALERT_STATES),
  summary: z.string(),
  facts: alertFactsSchema,
  pending_since: z.number().nullable(),
  fired_at: z.number().nullable(),
  acknowledged: who.nullable(),
  resolved: who.nullable(),
  muted_by: z.array(alertMuteRefSchema),
  updated_at: z.number(),
  /** The SLA screen on this policy (and group). */
  link: z.string(),
});
export type AlertItem = z.infer<typeof alertItemSchema>;

/** `GET /api/v1/alerts`: a page of alerts, most recently changed first, and how many there are in each state. */
export const alertListSchema = z.object({
  at: z.number(),
  lookback_ms: z.number(),
  states: z.array(z.enum(ALERT_FILTERS)),
  total: z.number(),
  offset: z.number(),
  alerts: z.array(alertItemSchema),
  counts: z.record(z.enum(ALERT_FILTERS), z.number()),
});
export type AlertList = z.infer<typeof alertListSchema>;

export const alertTransitionSchema = z.object({
  id: z.string(),
  episode: z.number(),
  state: z.enum(ALERT_STATES),
  actor: z.string(),
  note: z.string(),
  summary: z.string(),
  at: z.number(),
});

/** One row of the notification record: a claim, an attempt and its answer, or a mute holding it back. */
export const alertNotificationSchema = z.object({
  notification_id: z.string(),
  episode: z.number(),
  receiver: z.string(),
  action: z.string(),
  status: z.enum(['claimed', 'retrying', 'failed', 'delivered', 'rejected', 'suppressed']),
  attempt: z.number(),
  response: z.string(),
  instance: z.string(),
  at: z.number(),
});

/** `GET /api/v1/alerts/{id}`: the alert, every transition of every episode, every notification, where it is routed. */
export const alertDetailSchema = z.object({
  at: z.number(),
  alert: alertItemSchema,
  transitions: z.array(alertTransitionSchema),
  notifications: z.array(alertNotificationSchema),
  /** The receivers its routes name; `configured: false` when a `${NAME}` it needs is not set (it sends nothing). */
  receivers: z.array(z.object({ id: z.string(), type: z.enum(['webhook', 'slack', 'pagerduty']), configured: z.boolean(), renotify_ms: z.number() })),
});
export type AlertDetail = z.infer<typeof alertDetailSchema>;

/** What a mute matches: every field given must hold; `group` values of a grouped alert. At least one field. */
export const muteMatcherSchema = z.object({
  alert_id: z.string().optional(),
  rule: z.string().optional(),
  policy: z.string().optional(),
  owner: z.string().optional(),
  flow: z.string().optional(),
  severity: z.string().optional(),
  group: z.record(z.string(), z.string()).optional(),
});

export const muteSchema = z.object({
  id: z.string(),
  matcher: muteMatcherSchema,
  starts_at: z.number(),
  ends_at: z.number(),
  reason: z.string(),
  created_by: z.string(),
  created_at: z.number(),
  /** Ended before its end time, by whom. */
  ended: z.object({ by: z.string(), at: z.number() }).nullable(),
  /** In force now. */
  active: z.boolean(),
});
export type MuteItem = z.infer<typeof muteSchema>;

/** `GET /api/v1/alerts/mutes`: mutes in force or ended within the last day, ending last first. */
export const muteListSchema = z.object({ at: z.number(), mutes: z.array(muteSchema) });
export type MuteList = z.infer<typeof muteListSchema>;
