import type { Catalog } from '../catalog/catalog.js';
import type { LinkedKey, StoredEvent } from '../contracts/api.js';
import type { LineageCorrelation, LineageEdge, LineageGraph, LineageHop, LineageMissingStep, LineageNode, LineageStep } from '../contracts/lineageApi.js';
import type { EventStatus } from '../contracts/canonicalEvent.js';
import { correlationState, missingSteps } from './lineageExpectations.js';

/**
 * The lineage graph (issue 5), pure: each correlation's events become steps (one per step name, or per step and
 * channel where the catalog expects one per channel) in time order, laned by system, with the hops between them
 * and their amounts; correlations are linked by the key values their events share; the catalog says which
 * expected steps have not happened yet.
 */

/** The part of the catalog lineage reads: what each flow expects, and the deadlines on it. */
export type LineageCatalog = Pick<Catalog, 'flows' | 'policies'>;

const DONE: readonly EventStatus[] = ['ok', 'skipped'];
const iso = (ms: number) => new Date(ms).toISOString();
const ms = (text: string) => Date.parse(text);

/** When a step happened, for ordering and hop durations: its first success, else its first attempt. */
export function stepTime(step: LineageStep): number {
  return ms(step.ok_at ?? step.first_at);
}

/**
 * The steps of one correlation from its events (each once, in time order), themselves in time order.
 * `perChannel(step)` says whether the catalog expects that step once per channel, so its channels stay apart.
 */
export function stepsOf(events: readonly StoredEvent[], perChannel: (step: string) => boolean = () => false): LineageStep[] {
  const groups = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const id = perChannel(e.step) && e.channel !== null ? `${e.step}@${e.channel}` : e.step;
    const group = groups.get(id) ?? [];
    group.push(e);
    groups.set(id, group);
  }
  return [...groups.entries()]
    .map(([id, group]) => toStep(id, group))
    .sort((a, b) => stepTime(a) - stepTime(b) || a.id.localeCompare(b.id));
}

function toStep(id: string, events: readonly StoredEvent[]): LineageStep {
  const done = events.filter((e) => DONE.includes(e.status));
  const doneIds = new Set(done.map((e) => e.event_id));
  const firstDone = done[0];
  const latest = events[events.length - 1]!;
  const withAmount = firstDone?.amount != null ? firstDone : [...events].reverse().find((e) => e.amount !== null);
  const count = (status: EventStatus) => events.filter((e) => e.status === status).length;
  return {
    id,
    step: latest.step,
    channel: (firstDone ?? latest).channel,
    system: (firstDone ?? latest).system,
    status: done.some((e) => e.status === 'ok') ? 'ok' : (firstDone?.status ?? latest.status),
    first_at: events[0]!.occurred_at,
    ok_at: firstDone?.occurred_at ?? null,
    last_at: latest.occurred_at,
    // A replay of something that had already succeeded is the same posting again, not another journal line.
    occurrences: done.filter((e) => e.replay_of === null || !doneIds.has(e.replay_of)).length,
    attempts: { retrying: count('retrying'), failed: count('failed'), dead_lettered: count('dead_lettered') },
    replays: events.filter((e) => e.replay_of !== null).length,
    amount: withAmount?.amount ?? null,
    currency: withAmount?.currency ?? null,
    events: events.map((e) => ({ event_id: e.event_id, status: e.status, occurred_at: e.occurred_at, trace_id: e.trace_id, span_id: e.span_id, replay_of: e.replay_of })),
  };
}

/** Steps by the system that did them; lanes in the order their first step happened, steps in time order. */
export function lanesOf(steps: readonly LineageStep[]): LineageNode['lanes'] {
  const lanes = new Map<string, LineageStep[]>();
  for (const step of steps) {
    const lane = lanes.get(step.system) ?? [];
    lane.push(step);
    lanes.set(step.system, lane);
  }
  return [...lanes.entries()].map(([system, laneSteps]) => ({ system, steps: laneSteps }));
}

/**
 * From each step to the next (steps in time order), with the time it took and the amount at the later step.
 * The amount is compared with the latest earlier step that carried one in the same currency, so a step without
 * an amount (a warehouse inspection) neither hides nor fakes a change. A step of many events (settlement lines,
 * journal lines) shows one of its amounts, not its total: it is never compared, nor compared with.
 */
export function hopsOf(steps: readonly LineageStep[]): LineageHop[] {
  const hops: LineageHop[] = [];
  for (let i = 1; i < steps.length; i++) {
    const from = steps[i - 1]!;
    const to = steps[i]!;
    let previous: LineageStep | undefined;
    for (let j = i - 1; j >= 0 && to.amount !== null && to.occurrences <= 1; j--) {
      const candidate = steps[j]!;
      if (candidate.amount !== null && candidate.occurrences <= 1 && candidate.currency === to.currency) {
        previous = candidate;
        break;
      }
    }
    hops.push({
      from: from.id,
      to: to.id,
      from_at: iso(stepTime(from)),
      to_at: iso(stepTime(to)),
      duration_ms: stepTime(to) - stepTime(from),
      amount: to.amount,
      currency: to.currency,
      previous_amount: previous?.amount ?? null,
      amount_changed: previous !== undefined && to.amount !== null && !sameDecimal(previous.amount!, to.amount),
    });
  }
  return hops;
}

/** Decimal text compared by value (`59.9` = `59.9000`), without going through floating point. */
export function sameDecimal(a: string, b: string): boolean {
  return normalizeDecimal(a) === normalizeDecimal(b);
}

function normalizeDecimal(text: string): string {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return text.trim();
  const whole = (match[2] ?? '').replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const zero = whole === '0' && fraction === '';
  return `${match[1] === '-' && !zero ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Correlations linked by the key values their events share (the values the walk followed), one edge per pair,
 * pointing from the one that started first. A key is named as the later correlation carries it.
 */
export function linkEdges(correlations: readonly LineageCorrelation[], events: readonly StoredEvent[]): LineageEdge[] {
  const order = new Map(correlations.map((c) => [c.correlation_id, c]));
  const carriers = new Map<string, Map<string, Set<string>>>();
  for (const e of events) {
    if (!order.has(e.correlation_id)) continue;
    for (const [name, value] of Object.entries(e.keys)) {
      const byCorrelation = carriers.get(value) ?? new Map<string, Set<string>>();
      const names = byCorrelation.get(e.correlation_id) ?? new Set<string>();
      names.add(name);
      byCorrelation.set(e.correlation_id, names);
      carriers.set(value, byCorrelation);
    }
  }
  const earlier = (a: string, b: string) => order.get(a)!.first_at.localeCompare(order.get(b)!.first_at) || a.localeCompare(b);
  const edges = new Map<string, LineageEdge>();
  for (const [value, byCorrelation] of carriers) {
    const ids = [...byCorrelation.keys()].sort(earlier);
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [from, to] = [ids[i]!, ids[j]!];
        const edge = edges.get(`${from}\u0000${to}`) ?? { from, to, keys: [] };
        edge.keys.push({ name: [...byCorrelation.get(to)!].sort()[0]!, value });
        edges.set(`${from}\u0000${to}`, edge);
      }
    }
  }
  const byKey = (a: LinkedKey, b: LinkedKey) => a.name.localeCompare(b.name) || a.value.localeCompare(b.value);
  return [...edges.values()].map((e) => ({ ...e, keys: e.keys.sort(byKey) })).sort((a, b) => earlier(a.from, b.from) || earlier(a.to, b.to));
}

/** The flow a correlation belongs to: the one most of its events name (ties by name), else its lookup's first. */
function flowOfCorrelation(correlation: LineageCorrelation, events: readonly StoredEvent[]): string {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.flow, (counts.get(e.flow) ?? 0) + 1);
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return best?.[0] ?? correlation.flows[0] ?? '';
}

export type LineageGraphInput = {
  /** The walk's correlations, in walk order (correlationSummaries). */
  correlations: readonly LineageCorrelation[];
  /** The walk's events, each once, in time order (timeline). */
  events: readonly StoredEvent[];
  catalog: LineageCatalog;
  now: number;
  /** Correlations whose events the walk's event cap cut short: what they lack cannot be told. */
  partial?: ReadonlySet<string>;
};

/** The graph of a lineage answer and the expected steps still missing, as of `now`. */
export function buildLineageGraph({ correlations, events, catalog, now, partial = new Set() }: LineageGraphInput): { graph: LineageGraph; missing: LineageMissingStep[] } {
  const byCorrelation = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const list = byCorrelation.get(e.correlation_id) ?? [];
    list.push(e);
    byCorrelation.set(e.correlation_id, list);
  }
  const nodes: LineageNode[] = [];
  const missing: LineageMissingStep[] = [];
  for (const correlation of correlations) {
    const own = byCorrelation.get(correlation.correlation_id) ?? [];
    const flowId = flowOfCorrelation(correlation, own);
    const flow = catalog.flows.get(flowId);
    const steps = stepsOf(own, (step) => flow?.steps.some((s) => s.id === step && s.perChannel) ?? false);
    const cut = partial.has(correlation.correlation_id);
    const expected =
      flow && !cut ? missingSteps({ correlationId: correlation.correlation_id, flow, steps, policies: catalog.policies, now }) : { variant: null, missing: [] };
    const state = correlationState(steps, expected.missing);
    missing.push(...expected.missing);
    nodes.push({
      correlation_id: correlation.correlation_id,
      flow: flowId,
      depth: correlation.depth,
      first_at: correlation.first_at,
      last_at: correlation.last_at,
      state: cut && state === 'complete' ? 'in_progress' : state,
      variant: expected.variant,
      lanes: lanesOf(steps),
      hops: hopsOf(steps),
    });
  }
  return { graph: { nodes, edges: linkEdges(correlations, events) }, missing };
}
