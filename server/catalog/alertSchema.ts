import { z } from 'zod';
import { duration, flagRepeats, flowId, issue, list, oneOrMany, severity, slug, text, versionField } from './schemaFields.js';

/**
 * Alerts as code (`dashboards/alerts/`, README there): `rules.yaml` says which SLA policies raise alerts and
 * when, `routes.yaml` where they are sent. Each file is checked on its own here; how they relate to the policies,
 * the teams and the environment is checked by alertCatalog.ts once both load.
 */

export const ALERT_CONDITIONS = ['burn', 'deadline'] as const;
export type AlertConditionKind = (typeof ALERT_CONDITIONS)[number];
/** Breach outcomes a `deadline` rule can count (slaApi.ts BREACH_OUTCOMES). */
export const DEADLINE_OUTCOMES = ['open_breached', 'late'] as const;
/** `policy`: one alert per policy; `group`: one per group of the policy (its `groupBy` values, e.g. per channel). */
export const ALERT_GROUPINGS = ['policy', 'group'] as const;
export const RECEIVER_TYPES = ['webhook', 'slack', 'pagerduty'] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
/** Fields a route and a mute may match on, each against one value or a list of values. */
export const ROUTE_MATCH_FIELDS = ['severity', 'owner', 'flow', 'policy', 'rule'] as const;

/** How long a manually resolved alert whose condition still holds stays resolved (README: alerts). */
export const DEFAULT_RESOLVE_HOLD_MS = 4 * 3_600_000;
export const DEFAULT_RENOTIFY_MS = 3_600_000;

/** `${NAME}`: a value taken from the environment at start (secrets stay out of the files). */
export const REFERENCE = /\$\{([A-Z_][A-Z0-9_]*)\}/g;
const BAD_REFERENCE = 'a reference is written ${NAME}, NAME in upper case letters, digits and _, e.g. ${FLOWLENS_PAGERDUTY_ROUTING_KEY}';

/** Text that may hold `${NAME}` references; checked for well-formed references only (the value comes at start). */
const withReferences = (max: number) =>
  text(max).superRefine((value, ctx) => {
    if (value.replace(REFERENCE, '').includes('$')) ctx.addIssue({ code: 'custom', message: BAD_REFERENCE });
  });
/** An http(s) URL, or one built from `${NAME}` references (checked again once they are filled in). */
const urlTemplate = withReferences(2048).refine(
  (value) => /^https?:\/\/[^\s]+$/i.test(value) || /^\$\{/.test(value),
  'must be an http(s) URL, or a ${NAME} reference to one, e.g. ${FLOWLENS_SLACK_WEBHOOK_URL}',
);

export const alertRuleSchema = z
  .strictObject({
    id: slug,
    name: text(120),
    description: text(1000).optional(),
    policies: z.union([z.literal('*'), list(slug).min(1, 'must name at least one policy, or be "*" for every policy')], {
      error: 'must be "*" (every SLA policy) or a list of policy ids',
    }),
    condition: z.enum(ALERT_CONDITIONS, { error: `must be one of ${ALERT_CONDITIONS.join(', ')}` }),
    outcomes: oneOrMany(z.enum(DEADLINE_OUTCOMES, { error: `must be ${DEADLINE_OUTCOMES.join(' or ')}` })).optional(),
    threshold: z.int({ error: 'must be a whole number from 1 to 1000000' }).min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000').optional(),
    groupBy: z.enum(ALERT_GROUPINGS, { error: `must be one of ${ALERT_GROUPINGS.join(', ')}` }).default('policy'),
    for: duration.optional(),
    severity: severity.optional(),
    resolveHold: duration.optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.policies !== '*') flagRepeats(ctx, rule.policies, (i) => ['policies', i]);
    if (rule.condition === 'burn') {
      if (rule.outcomes !== undefined) issue(ctx, ['outcomes'], 'only a deadline rule counts outcomes; a burn rule fires on the policy\'s burn-rate alert');
      if (rule.threshold !== undefined) issue(ctx, ['threshold'], 'only a deadline rule has a threshold; a burn rule uses the policy\'s burnRate.factor');
      if (rule.groupBy === 'group') issue(ctx, ['groupBy'], 'the burn rate is evaluated over the whole policy: use groupBy: policy');
    }
    if (rule.outcomes) flagRepeats(ctx, rule.outcomes, (i) => ['outcomes', i]);
  })
  .transform(({ outcomes, threshold, for: forMs, resolveHold, ...rule }) => ({
    ...rule,
    outcomes: outcomes ?? (['open_breached'] as const),
    threshold: threshold ?? 1,
    forMs: forMs ?? 0,
    resolveHoldMs: resolveHold ?? DEFAULT_RESOLVE_HOLD_MS,
  }));

export const alertRulesSchema = z
  .strictObject({ schemaVersion: versionField, rules: list(alertRuleSchema).default([]) })
  .superRefine((file, ctx) => flagRepeats(ctx, file.rules.map((r) => r.id), (i) => ['rules', i, 'id']));

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/, 'must be an HTTP header name, e.g. Authorization');
const receiverSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      id: slug,
      type: z.literal('webhook'),
      url: urlTemplate,
      headers: z.record(headerName, withReferences(4096), { error: 'must be a mapping of header: value' }).default({}),
    }),
    z.strictObject({ id: slug, type: z.literal('slack'), url: urlTemplate }),
    z.strictObject({ id: slug, type: z.literal('pagerduty'), routingKey: withReferences(256), eventsUrl: urlTemplate.default(PAGERDUTY_EVENTS_URL) }),
  ],
  { error: `must be one of ${RECEIVER_TYPES.join(', ')}` },
);

const matchSchema = z.strictObject({
  severity: oneOrMany(severity).optional(),
  owner: oneOrMany(slug).optional(),
  flow: oneOrMany(flowId).optional(),
  policy: oneOrMany(slug).optional(),
  rule: oneOrMany(slug).optional(),
});

const routeSchema = z.strictObject({
  name: text(200),
  match: matchSchema.default({}),
  receivers: list(slug).min(1, 'must name at least one receiver'),
  continue: z.boolean({ error: 'must be true or false' }).default(false),
  renotifyEvery: duration.default(DEFAULT_RENOTIFY_MS),
});

export const alertRoutesSchema = z
  .strictObject({
    schemaVersion: versionField,
    receivers: list(receiverSchema).default([]),
    routes: list(routeSchema).default([]),
  })
  .superRefine((file, ctx) => {
    flagRepeats(ctx, file.receivers.map((r) => r.id), (i) => ['receivers', i, 'id']);
    file.routes.forEach((route, r) => flagRepeats(ctx, route.receivers, (i) => ['routes', r, 'receivers', i]));
  });

export type AlertRulesFile = z.output<typeof alertRulesSchema>;
/** One alert rule; `forMs` and `resolveHoldMs` in milliseconds. */
export type AlertRule = AlertRulesFile['rules'][number];
export type AlertRoutesFile = z.output<typeof alertRoutesSchema>;
export type AlertRoute = AlertRoutesFile['routes'][number];
export type AlertRouteMatch = AlertRoute['match'];
export type ReceiverFile = AlertRoutesFile['receivers'][number];

/**
 * A receiver as the notifier uses it: every `${NAME}` filled in from the environment. `missing` lists the
 * references that were not set; such a receiver is off (nothing is sent to it) and reported at start.
 */
export type AlertReceiver =
  | { id: string; type: 'webhook'; url: string; headers: Readonly<Record<string, string>>; missing: readonly string[] }
  | { id: string; type: 'slack'; url: string; missing: readonly string[] }
  | { id: string; type: 'pagerduty'; routingKey: string; eventsUrl: string; missing: readonly string[] };

/** The alert rules, routes and receivers the server runs with (`Catalog.alerts`). */
export type AlertsCatalog = {
  rules: readonly AlertRule[];
  /** In file order: the first route that matches takes an alert, and those marked `continue` pass it on. */
  routes: readonly AlertRoute[];
  receivers: ReadonlyMap<string, AlertReceiver>;
  /** One line per receiver left off because a `${NAME}` it uses is not set: `<file>: <field>: <reason>`. */
  unconfigured: readonly string[];
};

export const NO_ALERTS: AlertsCatalog = { rules: [], routes: [], receivers: new Map(), unconfigured: [] };
