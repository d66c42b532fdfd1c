import type { LineageHop, LineageMissingStep, LineageNode, LineageStep } from '../../api/contracts';
import { formatDuration, formatOffset } from '../../format/duration';
import { formatMoney } from '../../format/number';
import { formatTimestamp, parseApiTime } from '../../format/time';
import { type FormatOptions, statusLabel } from './formatEvent';

/**
 * The swimlane graph of one correlation, laid out as plain numbers for an SVG: one column per system, one row
 * per step in time order (time runs down, like the timeline), an edge per hop labelled with its duration and
 * amount, and the steps still missing after the last one, dashed. Pure, so the picture is unit-tested.
 */

/** Sizes in SVG user units (CSS pixels): fixed, so a refresh never moves anything that did not change. */
export const GRAPH_METRICS = {
  gutter: 84,
  header: 28,
  column: 204,
  nodeWidth: 184,
  nodeHeight: 56,
  gap: 42,
  padding: 10,
  lineHeight: 14,
  /** Average advance of an 11 px character; used to cut text that would not fit its box. */
  charWidth: 6.2,
  monoCharWidth: 6.35,
  /** Edge labels may be bold (a changed amount): measured wider so their box always holds them. */
  labelCharWidth: 6.8,
} as const;

export type NodeTone = 'ok' | 'failed' | 'retrying' | 'dead_lettered' | 'skipped' | 'missing' | 'overdue';

export type LaidNode = {
  id: string;
  kind: 'step' | 'missing';
  /** The graph step behind it (null for a missing step). */
  stepId: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  tone: NodeTone;
  /** Step, status or what is missing, amount or SLA — each cut to fit. */
  lines: [string, string, string];
  /** Everything the box says, uncut, for screen readers and the tooltip. */
  description: string;
};

export type EdgeLabel = { x: number; y: number; anchor: 'middle' | 'start'; width: number; height: number; lines: string[] };
export type LaidEdge = { id: string; kind: 'hop' | 'missing'; path: string; changed: boolean; label: EdgeLabel | null };
export type LaidRow = { y: number; label: string; title: string };
export type GraphLayout = {
  width: number;
  height: number;
  columns: { system: string; label: string; x: number }[];
  rows: LaidRow[];
  nodes: LaidNode[];
  edges: LaidEdge[];
};

export type GraphInput = {
  node: LineageNode;
  /** The steps this correlation still lacks (the answer's `missing` for it), in catalog order. */
  missing: readonly LineageMissingStep[];
  /** Systems as columns, shared by every graph of the chain so a system keeps its place. */
  columns: readonly string[];
  /** When the answer was made: what an SLA not yet due is measured from. */
  at: number;
  options?: FormatOptions;
};

const M = GRAPH_METRICS;

/** Systems in the order they first did something across these correlations, then those only expected. */
export function graphColumns(nodes: readonly LineageNode[], missing: readonly LineageMissingStep[]): string[] {
  const steps = nodes.flatMap((n) => orderedSteps(n));
  steps.sort((a, b) => stepTime(a) - stepTime(b));
  const systems = new Set(steps.map((s) => s.system));
  for (const m of missing) systems.add(m.systems[0] ?? 'unknown');
  return [...systems];
}

export function layoutGraph({ node, missing, columns, at, options = {} }: GraphInput): GraphLayout {
  const steps = orderedSteps(node);
  const columnOf = new Map(columns.map((system, i) => [system, i]));
  const start = steps[0] === undefined ? at : stepTime(steps[0]);
  const nodes: LaidNode[] = [];
  const rows: LaidRow[] = [];

  steps.forEach((step, row) => {
    const [x, y] = position(columnOf.get(step.system) ?? 0, row);
    const when = stepTime(step);
    rows.push({ y: y + M.nodeHeight / 2, label: formatOffset(when - start), title: formatTimestamp(when, options) });
    nodes.push(stepNode(step, x, y, options));
  });
  missing.forEach((m, i) => {
    const [x, y] = position(columnOf.get(m.systems[0] ?? 'unknown') ?? 0, steps.length + i);
    rows.push({ y: y + M.nodeHeight / 2, label: 'missing', title: `Expected from ${m.systems.join(' or ')}; not arrived` });
    nodes.push(missingNode(m, x, y, at));
  });

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: LaidEdge[] = node.hops.flatMap((hop) => {
    const from = byId.get(hop.from);
    const to = byId.get(hop.to);
    return from && to ? [edge(`hop:${hop.from}>${hop.to}`, 'hop', from, to, hopLabel(hop, options), hop.amount_changed)] : [];
  });
  const missingNodes = nodes.filter((n) => n.kind === 'missing');
  let previous = nodes.filter((n) => n.kind === 'step').at(-1);
  missingNodes.forEach((n, i) => {
    if (previous !== undefined) edges.push(edge(`${previous.id}>${n.id}`, 'missing', previous, n, i === 0 ? [`waiting ${formatDuration(missing[0]!.age_ms)}`] : [], false));
    previous = n;
  });

  const count = steps.length + missing.length;
  return {
    width: M.gutter + columns.length * M.column,
    height: M.header + Math.max(1, count) * (M.nodeHeight + M.gap) - M.gap + 16,
    columns: columns.map((system, i) => ({ system, label: fit(system, M.column - 8, M.charWidth), x: M.gutter + i * M.column + M.column / 2 })),
    rows,
    nodes,
    edges,
  };
}

function orderedSteps(node: LineageNode): LineageStep[] {
  return node.lanes.flatMap((l) => l.steps).sort((a, b) => stepTime(a) - stepTime(b) || a.id.localeCompare(b.id));
}

/** When a step happened: its first success, else its first attempt (the server orders hops the same way). */
function stepTime(step: LineageStep): number {
  return parseApiTime(step.ok_at ?? step.first_at);
}

function position(column: number, row: number): [number, number] {
  return [M.gutter + column * M.column + (M.column - M.nodeWidth) / 2, M.header + 8 + row * (M.nodeHeight + M.gap)];
}

function stepNode(step: LineageStep, x: number, y: number, options: FormatOptions): LaidNode {
  const status = stepStatus(step);
  const amount = step.amount === null ? '' : formatMoney(step.amount, step.currency ?? '', options.locale);
  return {
    id: step.id,
    kind: 'step',
    stepId: step.id,
    x,
    y,
    width: M.nodeWidth,
    height: M.nodeHeight,
    tone: step.status,
    lines: [fitMono(step.id), fitText(status), fitText(amount)],
    description: [`${step.id} by ${step.system}`, status, amount].filter((t) => t !== '').join(', '),
  };
}

/** "OK", "OK after 3 attempts · ×2", "Dead-lettered · 4 attempts · 1 replay". */
export function stepStatus(step: LineageStep): string {
  const failures = step.attempts.retrying + step.attempts.failed + step.attempts.dead_lettered;
  const done = step.ok_at !== null;
  const parts = [done && failures > 0 ? `${statusLabel(step.status)} after ${failures + 1} attempts` : statusLabel(step.status)];
  if (!done && step.events.length > 1) parts.push(`${step.events.length} attempts`);
  if (step.occurrences > 1) parts.push(`×${step.occurrences}`);
  if (step.replays > 0) parts.push(`${step.replays} ${step.replays === 1 ? 'replay' : 'replays'}`);
  return parts.join(' · ');
}

function missingNode(m: LineageMissingStep, x: number, y: number, at: number): LaidNode {
  const label = m.channel === null ? m.step : `${m.step}@${m.channel}`;
  const what = m.seen > 0 ? `${m.seen} of ${m.expected} arrived` : m.last_status !== null ? `${statusLabel(m.last_status)}, never OK` : 'Missing';
  const status = `${what} · ${formatDuration(m.age_ms)}`;
  const overdue = m.slas.find((s) => s.overdue);
  const due = m.slas[0];
  const sla = overdue !== undefined ? `SLA ${formatDuration(overdue.overdue_by_ms)} overdue` : due !== undefined ? `SLA due in ${formatDuration(parseApiTime(due.deadline_at) - at)}` : '';
  const slaText = overdue !== undefined ? `${overdue.name}: ${formatDuration(overdue.overdue_by_ms)} overdue` : due !== undefined ? `${due.name}: due in ${formatDuration(parseApiTime(due.deadline_at) - at)}` : '';
  return {
    id: `missing:${label}`,
    kind: 'missing',
    stepId: null,
    x,
    y,
    width: M.nodeWidth,
    height: M.nodeHeight,
    tone: overdue !== undefined ? 'overdue' : 'missing',
    lines: [fitMono(label), fitText(status), fitText(sla)],
    description: [`${label} expected from ${m.systems.join(' or ')}`, `${what.toLowerCase()}, waiting ${formatDuration(m.age_ms)}`, slaText].filter((t) => t !== '').join(', '),
  };
}

function hopLabel(hop: LineageHop, options: FormatOptions): string[] {
  const lines = [formatDuration(hop.duration_ms)];
  if (hop.amount !== null) {
    const amount = formatMoney(hop.amount, hop.currency ?? '', options.locale);
    lines.push(hop.amount_changed && hop.previous_amount !== null ? `${amount} ≠ ${formatMoney(hop.previous_amount, hop.currency ?? '', options.locale)}` : amount);
  }
  return lines;
}

function edge(id: string, kind: LaidEdge['kind'], from: LaidNode, to: LaidNode, lines: string[], changed: boolean): LaidEdge {
  const x1 = from.x + from.width / 2;
  const y1 = from.y + from.height;
  const x2 = to.x + to.width / 2;
  const y2 = to.y;
  const ym = (y1 + y2) / 2;
  const straight = x1 === x2 && to.y - (from.y + from.height) === M.gap;
  // A step further down the same column would cross the boxes between: go round them on the right.
  const path = straight
    ? `M ${x1} ${y1} L ${x2} ${y2}`
    : x1 === x2
      ? `M ${x1} ${y1} C ${x1 + M.column / 2} ${y1 + M.gap}, ${x2 + M.column / 2} ${y2 - M.gap}, ${x2} ${y2}`
      : `M ${x1} ${y1} C ${x1} ${ym}, ${x2} ${ym}, ${x2} ${y2}`;
  if (lines.length === 0) return { id, kind, path, changed, label: null };
  const width = Math.ceil(Math.max(...lines.map((l) => l.length)) * M.labelCharWidth) + 12;
  const height = lines.length * 13 + 4;
  const label: EdgeLabel = x1 === x2
    ? { x: x1 + 8, y: y1 + M.gap / 2 - height / 2, anchor: 'start', width, height, lines }
    : { x: (x1 + x2) / 2, y: ym - height / 2, anchor: 'middle', width, height, lines };
  return { id, kind, path, changed, label };
}

function fitMono(text: string): string {
  return fit(text, M.nodeWidth - 2 * M.padding, M.monoCharWidth);
}

function fitText(text: string): string {
  return fit(text, M.nodeWidth - 2 * M.padding, M.charWidth);
}

/** The text, or as much of it as fits `width` with an ellipsis. */
function fit(text: string, width: number, charWidth: number): string {
  const max = Math.floor(width / charWidth);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
