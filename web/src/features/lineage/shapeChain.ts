import type { EventStatus, LineageMissingStep, LineageNode, LineageResponse } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatCount, formatMoney } from '../../format/number';
import { formatTimestamp, parseApiTime } from '../../format/time';
import { type FormatOptions, type KeyChip, statusLabel } from './formatEvent';

/**
 * A lineage answer shaped for the explorer, pure: the correlations of the chain in time order with what is wrong
 * with each, the steps still missing with their age and the SLA they breach, the amounts that changed on the way,
 * and every business key the chain carries.
 */

export type LineageState = LineageNode['state'];
export type Tone = 'ok' | 'warn' | 'bad';

export type CorrelationView = {
  id: string;
  flow: string;
  /** The catalog variant it follows ("Online store (Shopify, paid through Stripe)"), when the flow has several. */
  variant: string | null;
  state: LineageState;
  stateLabel: string;
  /** It carries the searched key itself (the walk's first hop). */
  searched: boolean;
  /** The keys through which the search reached it. */
  linkedBy: KeyChip[];
  firstAt: string;
  /** First to last event: "3 min 12 s". */
  span: string;
  events: string;
  /** What a reader should look at: "1 step failed", "2 steps missing, 1 past its SLA", "1 amount changed". */
  problems: string[];
  tone: Tone;
  /** Drawn open at first: the searched correlation and any that failed, breached an SLA or changed an amount. */
  open: boolean;
};

export type MissingSlaView = { policy: string; name: string; overdue: boolean; verdict: string; deadline: string };

export type MissingView = {
  correlationId: string;
  flow: string;
  step: string;
  /** "erp.journal.posted", or "channel.published on amazon" for a step expected once per channel. */
  label: string;
  systems: string;
  /** "never seen", "none of 2 seen", "1 of 2 seen", "tried: last attempt dead-lettered". */
  progress: string;
  /** How long the correlation has waited since it last moved, as of the answer. */
  age: string;
  waitingSince: string;
  overdue: boolean;
  slas: MissingSlaView[];
};

/** The missing steps of one correlation: the one searched first, then those breaching an SLA, then the rest. */
export type MissingGroup = { correlationId: string; flow: string; searched: boolean; overdue: boolean; age: string; waitingSince: string; steps: MissingView[] };

export type MismatchView = { correlationId: string; from: string; to: string; before: string; after: string; difference: string };

export type ChainView = {
  correlations: CorrelationView[];
  /** In the order the catalog expects them, as the graph and the timeline draw them. */
  missing: MissingView[];
  /** The same, per correlation, those breaching an SLA first: the list a reader acts on. */
  missingByCorrelation: MissingGroup[];
  mismatches: MismatchView[];
  /** Every business key the chain's events carry, by name then value; the searched one marked. */
  keys: KeyChip[];
  headline: string;
  /** One line on the whole chain: "1 step missing past its SLA · 1 amount changed", or that it is complete. */
  verdict: { text: string; tone: Tone };
};

/** At most this many correlations are drawn open at first; the rest are a click away. */
export const MAX_OPEN_AT_FIRST = 4;

const STATE_LABELS: Record<LineageState, string> = { complete: 'Complete', in_progress: 'In progress', failed: 'Failed' };

export function shapeChain(response: LineageResponse, options: FormatOptions = {}): ChainView {
  const at = parseApiTime(response.at);
  const missing = response.missing.map((m) => shapeMissing(m, at, options));
  const mismatches = response.graph.nodes.flatMap((node) => mismatchesOf(node, options));
  const correlations = shapeCorrelations(response, missing, mismatches, options);
  return {
    correlations,
    missing,
    missingByCorrelation: groupMissing(missing, correlations),
    mismatches,
    keys: chainKeys(response),
    headline: headline(response, options),
    verdict: verdict(response, missing, mismatches),
  };
}

/** Nothing more is expected of the chain: every correlation complete, no step missing. */
export function lineageSettled(response: LineageResponse): boolean {
  return response.missing.length === 0 && response.graph.nodes.every((n) => n.state === 'complete');
}

/** A chain this large (a settlement and its orders) is a heavy walk: asked again less often. */
export const LARGE_CHAIN_EVENTS = 1_000;

/**
 * How often to ask again: every `liveMs` while something is still to come (a journal arriving, an SLA passing
 * shows without a reload), every `settledMs` once nothing is, and no faster than `settledMs` for a large chain.
 */
export function lineageRefreshMs(response: LineageResponse, liveMs: number, settledMs: number): number {
  if (lineageSettled(response) || response.truncated || response.events.length >= LARGE_CHAIN_EVENTS) return settledMs;
  return liveMs;
}

/** "re_3Sim… · 2 correlations · 11 events · over 4 min 16 s". */
function headline(response: LineageResponse, options: FormatOptions): string {
  const parts = [plural(response.correlations.length, 'correlation', options), plural(response.events.length, 'event', options)];
  const times = response.events.map((e) => parseApiTime(e.occurred_at)).filter(Number.isFinite);
  if (times.length > 1) parts.push(`over ${formatDuration(Math.max(...times) - Math.min(...times))}`);
  return parts.join(' · ');
}

function verdict(response: LineageResponse, missing: readonly MissingView[], mismatches: readonly MismatchView[]): ChainView['verdict'] {
  const open = response.graph.nodes.flatMap((n) => n.lanes.flatMap((l) => l.steps)).filter((s) => s.ok_at === null);
  const failed = open.filter((s) => isFailure(s.status)).length;
  const retrying = open.filter((s) => s.status === 'retrying').length;
  const overdue = missing.filter((m) => m.overdue).length;
  const parts: string[] = [];
  if (failed > 0) parts.push(`${failed} ${failed === 1 ? 'step' : 'steps'} failed`);
  if (retrying > 0) parts.push(`${retrying} ${retrying === 1 ? 'step' : 'steps'} retrying`);
  if (overdue > 0) parts.push(`${overdue} ${overdue === 1 ? 'step' : 'steps'} missing past ${overdue === 1 ? 'its' : 'their'} SLA`);
  if (missing.length > overdue) parts.push(`${missing.length - overdue} ${missing.length - overdue === 1 ? 'step' : 'steps'} still to come`);
  if (mismatches.length > 0) parts.push(`${mismatches.length} ${mismatches.length === 1 ? 'amount' : 'amounts'} changed on the way`);
  const inProgress = response.graph.nodes.filter((n) => n.state === 'in_progress').length;
  if (parts.length === 0 && inProgress > 0) parts.push(`${inProgress} ${inProgress === 1 ? 'correlation' : 'correlations'} in progress`);
  if (parts.length === 0) return { text: 'Complete: every expected step arrived, amounts unchanged.', tone: 'ok' };
  const tone: Tone = failed > 0 || overdue > 0 || mismatches.length > 0 ? 'bad' : 'warn';
  return { text: `${parts.join(' · ')}.`.replace(/^./, (c) => c.toUpperCase()), tone };
}

function shapeCorrelations(response: LineageResponse, missing: readonly MissingView[], mismatches: readonly MismatchView[], options: FormatOptions): CorrelationView[] {
  const nodes = new Map(response.graph.nodes.map((n) => [n.correlation_id, n]));
  // The searched correlation first, then by how far the search went to reach each, then when it started.
  const ordered = [...response.correlations].sort(
    (a, b) => a.depth - b.depth || parseApiTime(a.first_at) - parseApiTime(b.first_at) || a.correlation_id.localeCompare(b.correlation_id),
  );
  let open = 0;
  return ordered.map((c) => {
    const node = nodes.get(c.correlation_id);
    const own = missing.filter((m) => m.correlationId === c.correlation_id);
    const changed = mismatches.filter((m) => m.correlationId === c.correlation_id).length;
    const unfinished = (node?.lanes ?? []).flatMap((l) => l.steps).filter((s) => s.ok_at === null && (isFailure(s.status) || s.status === 'retrying'));
    const failedSteps = unfinished.filter((s) => isFailure(s.status));
    const overdue = own.filter((m) => m.overdue).length;
    const problems: string[] = [];
    for (const step of unfinished) problems.push(`${step.id} ${statusLabel(step.status).toLowerCase()}`);
    if (own.length > 0) problems.push(`${own.length} ${own.length === 1 ? 'step' : 'steps'} missing${overdue > 0 ? `, ${overdue} past ${overdue === 1 ? 'its' : 'their'} SLA` : ''}`);
    if (changed > 0) problems.push(`${changed} ${changed === 1 ? 'amount' : 'amounts'} changed`);
    const state = node?.state ?? 'in_progress';
    const tone: Tone = failedSteps.length > 0 || overdue > 0 || changed > 0 ? 'bad' : state === 'complete' ? 'ok' : 'warn';
    const searched = c.depth === 0;
    const wantsOpen = searched || tone === 'bad';
    const isOpen = wantsOpen && (searched || open < MAX_OPEN_AT_FIRST);
    if (isOpen) open++;
    const first = parseApiTime(c.first_at);
    return {
      id: c.correlation_id,
      flow: node?.flow ?? c.flows[0] ?? '',
      variant: node?.variant?.name ?? null,
      state,
      stateLabel: STATE_LABELS[state],
      searched,
      linkedBy: c.linked_by.map((k) => ({ name: k.name, value: k.value, isSearched: k.value === response.key })),
      firstAt: formatTimestamp(first, options),
      span: formatDuration(parseApiTime(c.last_at) - first),
      events: plural(c.event_count, 'event', options),
      problems,
      tone,
      open: isOpen,
    };
  });
}

function groupMissing(missing: readonly MissingView[], correlations: readonly CorrelationView[]): MissingGroup[] {
  const groups = new Map<string, MissingGroup>();
  for (const m of missing) {
    const group = groups.get(m.correlationId);
    if (group !== undefined) {
      group.steps.push(m);
      group.overdue ||= m.overdue;
      continue;
    }
    const searched = correlations.some((c) => c.id === m.correlationId && c.searched);
    groups.set(m.correlationId, { correlationId: m.correlationId, flow: m.flow, searched, overdue: m.overdue, age: m.age, waitingSince: m.waitingSince, steps: [m] });
  }
  const groupsInOrder = [...groups.values()].sort((a, b) => Number(b.searched) - Number(a.searched) || Number(b.overdue) - Number(a.overdue));
  for (const group of groupsInOrder) group.steps.sort((a, b) => Number(b.overdue) - Number(a.overdue));
  return groupsInOrder;
}

function shapeMissing(m: LineageMissingStep, at: number, options: FormatOptions): MissingView {
  const slas = m.slas.map((sla) => ({
    policy: sla.policy,
    name: sla.name,
    overdue: sla.overdue,
    verdict: sla.overdue ? `${formatDuration(sla.overdue_by_ms)} overdue` : `due in ${formatDuration(parseApiTime(sla.deadline_at) - at)}`,
    deadline: formatTimestamp(parseApiTime(sla.deadline_at), options),
  }));
  return {
    correlationId: m.correlation_id,
    flow: m.flow,
    step: m.step,
    label: m.channel === null ? m.step : `${m.step} on ${m.channel}`,
    systems: m.systems.join(' or '),
    progress: progressOf(m),
    age: formatDuration(m.age_ms),
    waitingSince: formatTimestamp(parseApiTime(m.waiting_since), options),
    overdue: slas.some((s) => s.overdue),
    slas,
  };
}

function progressOf(m: LineageMissingStep): string {
  if (m.seen > 0) return `${m.seen} of ${m.expected} seen`;
  if (m.last_status !== null && m.last_status !== 'ok') return `tried: last attempt ${statusLabel(m.last_status).toLowerCase()}`;
  return m.expected > 1 ? `none of ${m.expected} seen` : 'never seen';
}

function mismatchesOf(node: LineageNode, options: FormatOptions): MismatchView[] {
  return node.hops.flatMap((hop) => {
    if (!hop.amount_changed || hop.amount === null || hop.previous_amount === null) return [];
    const currency = hop.currency ?? '';
    return [
      {
        correlationId: node.correlation_id,
        from: hop.from,
        to: hop.to,
        before: formatMoney(hop.previous_amount, currency, options.locale),
        after: formatMoney(hop.amount, currency, options.locale),
        difference: signedMoney(decimalDifference(hop.amount, hop.previous_amount), currency, options),
      },
    ];
  });
}

function chainKeys(response: LineageResponse): KeyChip[] {
  const seen = new Map<string, KeyChip>();
  for (const event of response.events) {
    for (const [name, value] of Object.entries(event.keys)) {
      const id = `${name}\u0000${value}`;
      if (!seen.has(id)) seen.set(id, { name, value, isSearched: value === response.key });
    }
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.value.localeCompare(b.value));
}

/**
 * `a − b` of two decimal strings, exactly (amounts are compared to the cent and beyond, never through floats).
 * Both come from the API's decimal text (up to four fraction digits).
 */
export function decimalDifference(a: string, b: string): string {
  const digits = Math.max(fractionDigits(a), fractionDigits(b));
  const diff = scaled(a, digits) - scaled(b, digits);
  const negative = diff < 0n;
  const text = (negative ? -diff : diff).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

function fractionDigits(text: string): number {
  return text.trim().split('.')[1]?.length ?? 0;
}

function scaled(text: string, digits: number): bigint {
  const [whole = '0', fraction = ''] = text.trim().replace(/^[+-]/, '').split('.');
  const value = BigInt(`${whole}${fraction.padEnd(digits, '0')}`);
  return text.trim().startsWith('-') ? -value : value;
}

function signedMoney(amount: string, currency: string, options: FormatOptions): string {
  const formatted = formatMoney(amount.replace(/^-/, ''), currency, options.locale);
  return amount.startsWith('-') ? `−${formatted}` : `+${formatted}`;
}

function isFailure(status: EventStatus): boolean {
  return status === 'failed' || status === 'dead_lettered';
}

function plural(count: number, noun: string, options: FormatOptions): string {
  return `${formatCount(count, options.locale)} ${noun}${count === 1 ? '' : 's'}`;
}
