import type { JobItem, ReplayJob } from '../../api/contracts';
import { formatCount } from '../../format/number';
import { formatClock, type TimeFormatOptions } from '../../format/time';
import { describeSelection } from './selection';

type JobState = ReplayJob['state'];
type ItemState = JobItem['state'];
export type Tone = 'ok' | 'bad' | 'warn' | 'active' | 'idle' | 'muted';

export const JOB_STATE_LABELS: Readonly<Record<JobState, string>> = {
  awaiting_approval: 'Awaiting approval',
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

/** Each item state: what it is called, how it reads, in the order a progress bar shows them (done work first). */
export const ITEM_STATES: readonly { state: ItemState; label: string; tone: Tone }[] = [
  { state: 'applied', label: 'applied', tone: 'ok' },
  { state: 'settled_applied', label: 'applied (found by lookup)', tone: 'ok' },
  { state: 'skipped', label: 'skipped', tone: 'muted' },
  { state: 'rejected', label: 'rejected by the target', tone: 'bad' },
  { state: 'settled_not_applied', label: 'not applied (found by lookup)', tone: 'bad' },
  { state: 'blocked', label: 'blocked (not sent)', tone: 'bad' },
  { state: 'refused', label: 'refused for now (safe to send again)', tone: 'warn' },
  { state: 'unknown', label: 'outcome unknown', tone: 'warn' },
  { state: 'claimed', label: 'claimed', tone: 'active' },
  { state: 'sending', label: 'sending', tone: 'active' },
  { state: 'pending', label: 'pending', tone: 'idle' },
  { state: 'cancelled', label: 'cancelled', tone: 'muted' },
  { state: 'not_run', label: 'not run', tone: 'muted' },
];

const BY_STATE = new Map(ITEM_STATES.map((s) => [s.state as string, s]));

export function itemStateLabel(state: string): string {
  return BY_STATE.get(state)?.label ?? state.replaceAll('_', ' ');
}

export function itemTone(state: string): Tone {
  return BY_STATE.get(state)?.tone ?? 'idle';
}

/** Items not finished yet: waiting, claimed, or on their way. */
const UNDER_WAY: readonly string[] = ['pending', 'claimed', 'sending'];

export type Segment = { state: string; label: string; tone: Tone; count: number; percent: number };

/** The job's items by state as bar segments (in ITEM_STATES order; a state unknown to this app last), zero ones left out. */
export function progressSegments(job: Pick<ReplayJob, 'counts' | 'item_count'>): Segment[] {
  const total = Math.max(1, job.item_count);
  const known = ITEM_STATES.filter((s) => (job.counts[s.state] ?? 0) > 0).map((s) => ({ state: s.state as string, label: s.label, tone: s.tone }));
  const other = Object.keys(job.counts)
    .filter((s) => !BY_STATE.has(s) && (job.counts[s] ?? 0) > 0)
    .sort()
    .map((s) => ({ state: s, label: s.replaceAll('_', ' '), tone: 'idle' as Tone }));
  return [...known, ...other].map((s) => ({ ...s, count: job.counts[s.state] ?? 0, percent: ((job.counts[s.state] ?? 0) / total) * 100 }));
}

/** "12 of 40 done · 10 applied · 2 rejected by the target · 28 pending". */
export function progressText(job: Pick<ReplayJob, 'counts' | 'item_count'>): string {
  const segments = progressSegments(job);
  const underWay = segments.filter((s) => UNDER_WAY.includes(s.state)).reduce((n, s) => n + s.count, 0);
  const done = `${formatCount(Math.max(0, job.item_count - underWay))} of ${formatCount(job.item_count)} done`;
  return [done, ...segments.map((s) => `${formatCount(s.count)} ${s.label}`)].join(' · ');
}

/** "24 Nov, 04:02:50": when a job was asked for (the day matters in the history, milliseconds do not). */
export function formatMoment(epochMs: number, options: TimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: options.timeZone }).format(epochMs);
}

export function isOpenJob(state: JobState): boolean {
  return state === 'awaiting_approval' || state === 'queued' || state === 'running';
}

/**
 * Whether the signed-in person (`me`, their sign-in name) may approve the job — four eyes: an operator other than
 * the one who asked — and why not. Their role is checked apart (a viewer approves nothing).
 */
export function approval(job: Pick<ReplayJob, 'state' | 'requested_by' | 'approval_flows'>, me: string): { show: boolean; allowed: boolean; why: string } {
  if (job.state !== 'awaiting_approval') return { show: false, allowed: false, why: '' };
  const flows = job.approval_flows.join(', ');
  if (me.trim() !== '' && me.trim().toLowerCase() === job.requested_by.trim().toLowerCase()) {
    return { show: true, allowed: false, why: `You asked for this replay; a second operator must approve it (four eyes for ${flows}): ask another operator to sign in and approve.` };
  }
  return { show: true, allowed: true, why: `Asked for by ${job.requested_by}; approving it as a second operator sends it (four eyes for ${flows}).` };
}

export type JobRow = {
  id: string;
  state: JobState;
  stateLabel: string;
  created: string;
  requestedBy: string;
  reason: string;
  selection: string;
  /** "approved by bo", "cancelled by ana", "awaiting a second operator". */
  who: string;
  progress: string;
  needsDecision: number;
  current: string;
};

export function jobRow(job: ReplayJob, options: TimeFormatOptions = {}): JobRow {
  const who =
    job.cancelled_by !== null
      ? `cancelled by ${job.cancelled_by}`
      : job.approved_by !== null
        ? `approved by ${job.approved_by}`
        : job.state === 'awaiting_approval'
          ? `needs a second operator (${job.approval_flows.join(', ')})`
          : '';
  return {
    id: job.id,
    state: job.state,
    stateLabel: JOB_STATE_LABELS[job.state],
    created: formatMoment(job.created_at, options),
    requestedBy: job.requested_by,
    reason: job.reason,
    selection: describeSelection(job.selection, options),
    who,
    progress: progressText(job),
    needsDecision: job.needs_decision,
    current: job.current === null ? '' : `now: ${job.current.event_id} → ${job.current.target} (${itemStateLabel(job.current.state)})`,
  };
}

export type HistoryLine = { key: string; text: string; time: string; note: string | null };

/** The job's own lifecycle as sentences: "ana asked for it", "bo approved it", "flowlens finished it: 12 applied". */
export function jobHistory(job: Pick<ReplayJob, 'history'>, options: TimeFormatOptions = {}): HistoryLine[] {
  const did: Readonly<Record<JobState, string>> = {
    awaiting_approval: 'asked for it; it awaits approval',
    queued: 'queued it',
    running: 'started it',
    done: 'finished it',
    cancelled: 'cancelled it',
    failed: 'stopped it: it failed',
  };
  return job.history.map((h, i) => {
    const text = i > 0 && job.history[i - 1]!.state === 'awaiting_approval' && h.state === 'queued' ? `${h.actor} approved it` : `${h.actor} ${did[h.state]}`;
    return { key: `${h.at}-${i}`, text, time: formatClock(h.at, options), note: h.note };
  });
}

export type ItemLine = {
  key: string;
  position: number;
  eventId: string;
  target: string;
  step: string;
  flow: string;
  correlationId: string;
  state: ItemState;
  stateLabel: string;
  tone: Tone;
  /** "HTTP 201 · attempt 1 · 14:03:07", what the target answered. */
  outcome: string;
  detail: string;
  recorded: boolean;
  /** Its outcome could not be known: an operator says whether the target applied it. */
  needsDecision: boolean;
};

export function itemLine(item: JobItem, options: TimeFormatOptions = {}): ItemLine {
  const outcome = [item.http_status === null || item.http_status === 0 ? '' : `HTTP ${item.http_status}`, item.attempt === null || item.attempt === 0 ? '' : `attempt ${item.attempt}`, item.at === null ? '' : formatClock(item.at, options)]
    .filter((t) => t !== '')
    .join(' · ');
  return {
    key: `${item.event_id}|${item.target}`,
    position: item.position,
    eventId: item.event_id,
    target: item.target,
    step: item.step,
    flow: item.flow,
    correlationId: item.correlation_id,
    state: item.state,
    stateLabel: itemStateLabel(item.state),
    tone: itemTone(item.state),
    outcome,
    detail: item.detail ?? '',
    recorded: item.recorded,
    needsDecision: item.state === 'unknown',
  };
}
