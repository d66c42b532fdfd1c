import { z } from 'zod';
import { ERROR_CLASSES } from '../contracts/canonicalEvent.js';
import { PANEL_KINDS, PANEL_OPTIONS, PANEL_WIDTHS, RELATIVE_RANGES, type DashboardPanel, type PanelKind } from '../contracts/dashboardViews.js';
import { alertRoutesSchema, alertRulesSchema, type AlertRoutesFile, type AlertRulesFile } from './alertSchema.js';
import { formatDuration } from './catalog.js';
import { CATALOG_SCHEMA_VERSION, duration, flagRepeats, flowId, issue, list, name, oneOrMany, severity, slug, stepId, systemName, text, versionField } from './schemaFields.js';

export { CATALOG_SCHEMA_VERSION, SEVERITIES } from './schemaFields.js';

/**
 * Schemas of the catalog files in `dashboards/` (README there): flows, SLA policies, ownership, views and alert
 * rules and routes (alertSchema.ts). Every file carries `schemaVersion`; older files are lifted to the current
 * version by MIGRATIONS before they are checked, so a file written for an older Flowlens keeps loading.
 */

export const DOCUMENT_KINDS = ['flow', 'sla', 'owners', 'view', 'alertRules', 'alertRoutes'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Canonical dimensions an SLA policy may group by; `key:<name>` groups by a business key. */
export const GROUPING_DIMENSIONS = ['channel', 'region', 'location_id', 'sku', 'system', 'target_system'] as const;
/** Canonical fields an ownership rule may match on. */
export const MATCH_FIELDS = ['error_class', 'flow', 'system', 'target_system', 'channel', 'step'] as const;

const OCCURRENCES = 'must be a whole number from 1 to 100, or many';
const stepSchema = z
  .strictObject({
    id: stepId,
    system: oneOrMany(systemName),
    milestone: name.optional(),
    perChannel: z.boolean({ error: 'must be true or false' }).default(false),
    occurrences: z.union([z.int().min(1, OCCURRENCES).max(100, OCCURRENCES), z.literal('many')], { error: OCCURRENCES }).default(1),
    description: text(500).optional(),
  })
  .transform(({ system, ...step }) => ({ ...step, systems: system }));

const variantSchema = z.strictObject({
  id: name,
  name: text(120),
  steps: list(stepId).min(1, 'must list at least one step'),
});

export const flowSchema = z
  .strictObject({
    schemaVersion: versionField,
    id: flowId,
    name: text(120),
    description: text(1000),
    keys: list(name).default([]),
    channels: list(systemName).default([]),
    steps: list(stepSchema).min(1, 'must list at least one step'),
    variants: list(variantSchema).default([]),
  })
  .superRefine((flow, ctx) => {
    flagRepeats(ctx, flow.steps.map((s) => s.id), (i) => ['steps', i, 'id']);
    flagRepeats(ctx, flow.keys, (i) => ['keys', i]);
    flagRepeats(ctx, flow.channels, (i) => ['channels', i]);
    flagRepeats(ctx, flow.variants.map((v) => v.id), (i) => ['variants', i, 'id']);
    flow.steps.forEach((step, i) => {
      if (step.perChannel && flow.channels.length === 0) {
        issue(ctx, ['steps', i, 'perChannel'], 'a step per channel needs the flow to list its channels');
      }
    });
    const stepIds = new Set(flow.steps.map((s) => s.id));
    flow.variants.forEach((variant, v) => {
      variant.steps.forEach((step, i) => {
        if (!stepIds.has(step)) issue(ctx, ['variants', v, 'steps', i], `"${step}" is not a step of this flow`);
      });
    });
    if (flow.variants.length > 0) {
      const onAVariant = new Set(flow.variants.flatMap((v) => v.steps));
      for (const step of stepIds) {
        if (!onAVariant.has(step)) issue(ctx, ['variants'], `step "${step}" is on no variant: add it to one, or remove the step`);
      }
    }
  });

export const slaSchema = z
  .strictObject({
    schemaVersion: versionField,
    id: slug,
    name: text(120),
    description: text(1000).optional(),
    flow: flowId,
    start: z.strictObject({ steps: list(stepId).min(1, 'must list at least one step') }),
    end: z.strictObject({
      step: stepId,
      perChannel: z.boolean({ error: 'must be true or false' }).default(false),
      channel: systemName.optional(),
    }),
    deadline: duration,
    objective: z
      .number({ error: 'must be a fraction between 0 and 1, e.g. 0.99' })
      .gt(0, 'must be a fraction between 0 and 1, e.g. 0.99')
      .lt(1, 'must be a fraction between 0 and 1, e.g. 0.99'),
    window: duration,
    groupBy: list(z.string({ error: 'must be text' })).default([]),
    severity,
    owner: slug,
    burnRate: z
      .strictObject({
        short: duration,
        long: duration,
        factor: z.number({ error: 'must be a number above 1, e.g. 14.4' }).gt(1, 'must be a number above 1, e.g. 14.4'),
      })
      .optional(),
  })
  .superRefine((sla, ctx) => {
    flagRepeats(ctx, sla.start.steps, (i) => ['start', 'steps', i]);
    flagRepeats(ctx, sla.groupBy, (i) => ['groupBy', i]);
    sla.groupBy.forEach((field, i) => {
      if (!(GROUPING_DIMENSIONS as readonly string[]).includes(field) && !/^key:[a-z][a-z0-9_]*$/.test(field)) {
        issue(ctx, ['groupBy', i], `"${field}" cannot group a policy: use ${GROUPING_DIMENSIONS.join(', ')} or key:<name>`);
      }
    });
    if (sla.start.steps.includes(sla.end.step)) issue(ctx, ['end', 'step'], `"${sla.end.step}" is also a start step`);
    if (sla.end.perChannel && sla.end.channel !== undefined) issue(ctx, ['end'], 'set perChannel or channel, not both');
    if (sla.deadline >= sla.window) {
      issue(ctx, ['deadline'], `${formatDuration(sla.deadline)} must be shorter than the window (${formatDuration(sla.window)})`);
    }
    const burn = sla.burnRate;
    if (burn && burn.short >= burn.long) {
      issue(ctx, ['burnRate', 'short'], `${formatDuration(burn.short)} must be shorter than burnRate.long (${formatDuration(burn.long)})`);
    }
    if (burn && burn.long > sla.window) {
      issue(ctx, ['burnRate', 'long'], `${formatDuration(burn.long)} must not be longer than the window (${formatDuration(sla.window)})`);
    }
  });

const matchSchema = z.strictObject({
  error_class: oneOrMany(z.enum(ERROR_CLASSES, { error: `must be ${ERROR_CLASSES.join(' or ')}` })).optional(),
  flow: oneOrMany(flowId).optional(),
  system: oneOrMany(systemName).optional(),
  target_system: oneOrMany(systemName).optional(),
  channel: oneOrMany(systemName).optional(),
  step: oneOrMany(stepId).optional(),
});

export const ownersSchema = z
  .strictObject({
    schemaVersion: versionField,
    default: slug,
    teams: list(z.strictObject({ id: slug, name: text(120), description: text(500).optional() })).min(1, 'must list at least one team'),
    rules: list(z.strictObject({ name: text(200), when: matchSchema, owner: slug })).default([]),
  })
  .superRefine((owners, ctx) => {
    flagRepeats(ctx, owners.teams.map((t) => t.id), (i) => ['teams', i, 'id']);
    const teams = [...new Set(owners.teams.map((t) => t.id))];
    const notATeam = (id: string) => `"${id}" is not a team (teams: ${teams.join(', ')})`;
    if (!teams.includes(owners.default)) issue(ctx, ['default'], notATeam(owners.default));
    owners.rules.forEach((rule, i) => {
      if (!teams.includes(rule.owner)) issue(ctx, ['rules', i, 'owner'], notATeam(rule.owner));
      if (Object.values(rule.when).every((v) => v === undefined)) {
        issue(ctx, ['rules', i, 'when'], `must name at least one of ${MATCH_FIELDS.join(', ')} (the default team takes the rest)`);
      }
    });
  });

const panelSchema = z
  .strictObject({
    id: slug,
    kind: z.enum(PANEL_KINDS as [PanelKind, ...PanelKind[]], { error: `must be one of ${PANEL_KINDS.join(', ')}` }),
    title: text(120),
    description: text(500).optional(),
    width: z.enum(PANEL_WIDTHS, { error: `must be one of ${PANEL_WIDTHS.join(', ')}` }).default('half'),
    options: z.record(z.string(), z.unknown(), { error: 'must be a mapping of option: value' }).default({}),
  })
  .transform((panel, ctx) => {
    // Each kind checks its own options, so a typo in one names the option and the kind.
    const parsed = PANEL_OPTIONS[panel.kind].safeParse(panel.options);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const message = i.code === 'unrecognized_keys' ? `unknown option of a ${panel.kind} panel (it takes: ${Object.keys(PANEL_OPTIONS[panel.kind].shape).join(', ') || 'none'})` : i.message;
        const keys = i.code === 'unrecognized_keys' ? i.keys.map((k) => [k]) : [i.path];
        for (const key of keys) issue(ctx, ['options', ...key], message);
      }
      return z.NEVER;
    }
    return { ...panel, options: parsed.data } as DashboardPanel;
  });

export const viewSchema = z
  .strictObject({
    schemaVersion: versionField,
    id: slug,
    title: text(60),
    description: text(500),
    order: z.int({ error: 'must be a whole number from 0 to 1000; the lowest is the home screen' }).min(0, 'must be at least 0').max(1000, 'must be at most 1000'),
    defaultRange: z.enum(RELATIVE_RANGES, { error: `must be one of ${RELATIVE_RANGES.join(', ')}` }).optional(),
    panels: list(panelSchema).min(1, 'must list at least one panel'),
  })
  .superRefine((view, ctx) => flagRepeats(ctx, view.panels.map((p) => p.id), (i) => ['panels', i, 'id']));

export type Flow = z.output<typeof flowSchema>;
export type FlowStep = Flow['steps'][number];
export type FlowVariant = Flow['variants'][number];
/** An SLA policy; `deadline`, `window` and the burn-rate windows are in milliseconds. */
export type SlaPolicy = z.output<typeof slaSchema>;
export type OwnersFile = z.output<typeof ownersSchema>;
export type Team = OwnersFile['teams'][number];
export type OwnershipRule = OwnersFile['rules'][number];
export type ViewFile = z.output<typeof viewSchema>;

type Documents = { flow: Flow; sla: SlaPolicy; owners: OwnersFile; view: ViewFile; alertRules: AlertRulesFile; alertRoutes: AlertRoutesFile };
const SCHEMAS: { [K in DocumentKind]: z.ZodType<Documents[K]> } = {
  flow: flowSchema,
  sla: slaSchema,
  owners: ownersSchema,
  view: viewSchema,
  alertRules: alertRulesSchema,
  alertRoutes: alertRoutesSchema,
};

/** Lifts one kind of document from version `from` to `from + 1`. */
export type Migration = { kind: DocumentKind; from: number; up: (doc: Record<string, unknown>) => Record<string, unknown> };

/**
 * Ordered upgrades, oldest first. When CATALOG_SCHEMA_VERSION goes up, add one entry per kind whose shape
 * changed; a kind without an entry for a version only has its `schemaVersion` raised.
 */
export const MIGRATIONS: readonly Migration[] = [];

export type MigrationResult = { ok: true; doc: Record<string, unknown> } | { ok: false; problem: string };

/** Upgrade a parsed file step by step to `current`; a problem reads `field: reason`, ready for a file prefix. */
export function migrateDocument(
  kind: DocumentKind,
  doc: unknown,
  migrations: readonly Migration[] = MIGRATIONS,
  current: number = CATALOG_SCHEMA_VERSION,
): MigrationResult {
  if (doc === null || doc === undefined) return { ok: false, problem: 'the file is empty' };
  if (typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, problem: 'must be a mapping of fields (schemaVersion: 1, id: …)' };
  const version = (doc as Record<string, unknown>).schemaVersion;
  if (version === undefined) return { ok: false, problem: `schemaVersion: is required (the current version is ${current})` };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, problem: `schemaVersion: must be a whole number from 1 to ${current}` };
  }
  if (version > current) {
    return { ok: false, problem: `schemaVersion: ${version} is newer than this Flowlens reads (${current}); upgrade Flowlens` };
  }
  let upgraded = { ...(doc as Record<string, unknown>) };
  for (let from = version; from < current; from++) {
    for (const migration of migrations) {
      if (migration.kind === kind && migration.from === from) upgraded = migration.up(upgraded);
    }
    upgraded = { ...upgraded, schemaVersion: from + 1 };
  }
  return { ok: true, doc: upgraded };
}

export type DocumentResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Migrate and check one parsed file; every problem names its field (`end.step: …`, `steps[2].id: …`). */
export function validateDocument<K extends DocumentKind>(kind: K, raw: unknown): DocumentResult<Documents[K]> {
  const migrated = migrateDocument(kind, raw);
  if (!migrated.ok) return { ok: false, problems: [migrated.problem] };
  const parsed = SCHEMAS[kind].safeParse(migrated.doc);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap((i) => describeIssue(i, migrated.doc)) };
}

/** `end.step`, `steps[2].id`: how a field is named in every catalog problem. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeIssue(issue: z.core.$ZodIssue, doc: unknown): string[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field`);
  let path = issue.path;
  // oneOrMany wraps a single value in a list: name the field, not its "[0]".
  const last = path.at(-1);
  if (typeof last === 'number' && !Array.isArray(valueAt(doc, path.slice(0, -1)))) path = path.slice(0, -1);
  const missing = issue.code === 'invalid_type' && valueAt(doc, path) === undefined;
  const message = missing ? 'is required' : issue.message;
  return [path.length > 0 ? `${formatPath(path)}: ${message}` : message];
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let value = doc;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
