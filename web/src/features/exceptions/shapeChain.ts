import type { EventStatus, LineageResponse } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatClock, parseApiTime, type TimeFormatOptions } from '../../format/time';

/**
 * The lineage of an exception's correlation, compact enough for a side pane: its steps in time order with how
 * each ended, what the catalog still expects of it, and the other transactions linked to it. The full picture is
 * one link away (the lineage explorer).
 */
export type ChainStep = {
  id: string;
  step: string;
  system: string;
  status: EventStatus;
  statusLabel: string;
  time: string;
  /** "3 attempts", or null for one clean try. */
  attempts: string | null;
  /** True for the step this exception is about. */
  isException: boolean;
};
export type ChainMissing = { step: string; systems: string; overdue: string | null };
export type ShapedChain = {
  flow: string | null;
  steps: ChainStep[];
  missing: ChainMissing[];
  /** The first few other transactions linked to it; `moreLinked` counts the rest. */
  linked: { correlationId: string; flow: string; state: string }[];
  moreLinked: number;
  /** "6 steps · 1 failing · 2 missing" */
  headline: string;
};

/** Linked transactions named in the pane; the explorer shows them all. */
const MAX_LINKED = 5;

const STATUS_LABELS: Readonly<Record<EventStatus, string>> = { ok: 'OK', failed: 'Failed', retrying: 'Retrying', dead_lettered: 'Dead-lettered', skipped: 'Skipped' };

export function shapeChain(lineage: LineageResponse, correlationId: string, exceptionStep: string, options: TimeFormatOptions = {}): ShapedChain {
  const node = lineage.graph.nodes.find((n) => n.correlation_id === correlationId);
  const steps = (node?.lanes.flatMap((lane) => lane.steps) ?? [])
    .sort((a, b) => parseApiTime(a.first_at) - parseApiTime(b.first_at) || a.id.localeCompare(b.id))
    .map((s) => {
      const tries = s.attempts.retrying + s.attempts.failed + s.attempts.dead_lettered + (s.ok_at === null ? 0 : 1);
      return {
        id: s.id,
        step: s.channel === null ? s.step : `${s.step} (${s.channel})`,
        system: s.system,
        status: s.status,
        statusLabel: STATUS_LABELS[s.status],
        time: formatClock(parseApiTime(s.ok_at ?? s.last_at), options),
        attempts: tries > 1 ? `${tries} attempts` : null,
        isException: s.step === exceptionStep,
      };
    });
  // The failing step itself is already in the chain, marked: "missing" would say it twice.
  const missing = lineage.missing
    .filter((m) => m.correlation_id === correlationId && m.step !== exceptionStep)
    .map((m) => {
      const overdue = m.slas.find((s) => s.overdue);
      return { step: m.channel === null ? m.step : `${m.step} (${m.channel})`, systems: m.systems.join(', '), overdue: overdue === undefined ? null : `${formatDuration(overdue.overdue_by_ms)} past ${overdue.name}` };
    });
  const others = lineage.graph.nodes.filter((n) => n.correlation_id !== correlationId);
  const linked = others.slice(0, MAX_LINKED).map((n) => ({ correlationId: n.correlation_id, flow: n.flow, state: n.state.replace('_', ' ') }));
  const failing = steps.filter((s) => s.status === 'failed' || s.status === 'dead_lettered' || s.status === 'retrying').length;
  const parts = [`${steps.length} ${steps.length === 1 ? 'step' : 'steps'}`];
  if (failing > 0) parts.push(`${failing} failing`);
  if (missing.length > 0) parts.push(`${missing.length} missing`);
  if (others.length > 0) parts.push(`${others.length} linked ${others.length === 1 ? 'transaction' : 'transactions'}`);
  return { flow: node?.flow ?? null, steps, missing, linked, moreLinked: others.length - linked.length, headline: parts.join(' · ') };
}
