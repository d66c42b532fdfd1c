import type { DashboardView } from '../contracts/dashboardViews.js';
import type { AlertsCatalog } from './alertSchema.js';
import type { Flow, FlowStep, OwnershipRule, SlaPolicy, Team } from './catalogSchema.js';

/**
 * The flow catalog as the server uses it: flows by id, SLA policies, ownership, views and alerts, loaded once at boot from
 * `dashboards/` (loadCatalog.ts). Everything here is pure and works on plain values.
 */
export type Catalog = {
  /** Every flow, by id, in id order. */
  flows: ReadonlyMap<string, Flow>;
  /** Every SLA policy, in id order. */
  policies: readonly SlaPolicy[];
  owners: Owners;
  /** The dashboard's screens, in menu order: the first is the home screen. */
  views: readonly DashboardView[];
  /** Alert rules, routes and receivers from `alerts/` (none when the folder is absent). */
  alerts: AlertsCatalog;
};

export type Owners = {
  teams: ReadonlyMap<string, Team>;
  /** The team that owns whatever no rule claims. */
  defaultTeam: Team;
  /** Ownership rules in file order: the first one that matches wins. */
  rules: readonly OwnershipRule[];
};

/** What an exception or a failed step tells about itself, in canonical field names (contract v1). */
export type OwnershipFacts = {
  error_class?: string;
  flow?: string;
  system?: string;
  target_system?: string;
  channel?: string;
  step?: string;
};

/** The team that owns a problem: the first rule whose every condition holds, else the default team. */
export function ownerOf(catalog: Catalog, facts: OwnershipFacts): Team {
  const { teams, defaultTeam, rules } = catalog.owners;
  for (const rule of rules) {
    if (matches(rule, facts)) return teams.get(rule.owner) ?? defaultTeam;
  }
  return defaultTeam;
}

function matches(rule: OwnershipRule, facts: OwnershipFacts): boolean {
  for (const [field, allowed] of Object.entries(rule.when) as [keyof OwnershipFacts, readonly string[] | undefined][]) {
    if (allowed === undefined) continue;
    const value = facts[field];
    // A rule about a field the problem does not carry cannot claim it.
    if (value === undefined || !allowed.includes(value)) return false;
  }
  return true;
}

/** The flow with this id, if the catalog has it. */
export function flowOf(catalog: Catalog, id: string): Flow | undefined {
  return catalog.flows.get(id);
}

/** The steps of a flow that mark a milestone (e.g. every `source` step of inventory_sync), in catalog order. */
export function stepsAt(flow: Flow, milestone: string): FlowStep[] {
  return flow.steps.filter((step) => step.milestone === milestone);
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
// Whole numbers only: "1.5h" reads well but "90m" says the same without rounding questions.
const DURATION = /^([1-9][0-9]{0,8})(ms|s|m|h|d)$/;

/** A duration such as `90s`, `5m`, `2h` or `28d` in milliseconds; throws naming the text and the expected form. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration: write a whole number above 0 and a unit (ms, s, m, h, d), e.g. 90s, 5m, 2h, 28d`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Milliseconds as the largest unit that divides them exactly (`90000` → `90s`): parseDuration's inverse. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** The inventory flow's milestones, as the lag and stale-stock answers need them. */
export type InventoryMilestones = { flow: string; sources: readonly string[]; erpPosted: string; published: string; channels: readonly string[] };

/**
 * The milestones of the inventory flow: its `source` steps, its `erp_posted` step, its per-channel `published`
 * step and the channels a movement must reach. Throws, naming what is missing, when the catalog lacks one.
 */
export function inventoryMilestones(catalog: Catalog, flowId = 'inventory_sync'): InventoryMilestones {
  const flow = flowOf(catalog, flowId);
  if (!flow) throw new Error(`the flow catalog has no flow ${flowId}; inventory lag needs it (dashboards/flows/${flowId}.yaml)`);
  const one = (milestone: string) => {
    const [step] = stepsAt(flow, milestone);
    if (!step) throw new Error(`dashboards/flows/${flowId}.yaml: no step has milestone ${milestone}; inventory lag needs one`);
    return step.id;
  };
  const sources = stepsAt(flow, 'source').map((s) => s.id);
  if (sources.length === 0) throw new Error(`dashboards/flows/${flowId}.yaml: no step has milestone source; inventory lag needs at least one`);
  return { flow: flowId, sources, erpPosted: one('erp_posted'), published: one('published'), channels: flow.channels ?? [] };
}
