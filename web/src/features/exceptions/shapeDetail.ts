import type { ExceptionDetail, HistoryEntry } from '../../api/contracts';
import { formatCount } from '../../format/number';
import { formatTimestamp, type TimeFormatOptions } from '../../format/time';
import { bucketLabel, KIND_LABELS, keysText } from './shapeInbox';
import { formatDuration } from '../../format/duration';

export type Fact = { label: string; value: string; mono?: boolean };

/** Everything known about one exception, as label and value, in the order an on-call person reads it. */
export function detailFacts(e: ExceptionDetail, options: TimeFormatOptions = {}): Fact[] {
  const facts: Fact[] = [
    { label: 'Kind', value: KIND_LABELS[e.kind] },
    { label: 'Flow', value: e.flow, mono: true },
    { label: 'Step', value: e.channel === null ? e.step : `${e.step} (${e.channel})`, mono: true },
    { label: 'Correlation', value: e.correlation_id, mono: true },
    { label: 'System', value: e.target_system === null ? e.system || '–' : `${e.system || '?'} → ${e.target_system}` },
    { label: 'Error', value: [e.error.code, e.error.class].filter((v) => v !== null && v !== '').join(' · ') || '–' },
  ];
  if (e.error.message !== null && e.error.message !== '') facts.push({ label: 'Message', value: e.error.message });
  facts.push(
    { label: 'Owner', value: e.owner.name },
    { label: 'Assignee', value: e.assignee ?? 'Unassigned' },
    { label: 'Age', value: `${formatDuration(e.age_ms)} (${bucketLabel(e.age_bucket)})` },
    { label: 'First failed', value: formatTimestamp(e.first_failed_at, options) },
  );
  if (e.last_failed_at !== e.first_failed_at) facts.push({ label: 'Last failed', value: formatTimestamp(e.last_failed_at, options) });
  if (e.kind === 'failed_step') facts.push({ label: 'Attempts', value: `${formatCount(e.attempts)} (last ${e.last_status.replace('_', '-')})` });
  if (e.recovered_at !== null) facts.push({ label: 'Recovered', value: formatTimestamp(e.recovered_at, options) });
  if (e.replay_target !== null) facts.push({ label: 'Replay target', value: e.replay_target, mono: true });
  const keys = keysText(e.keys);
  if (keys !== '') facts.push({ label: 'Business keys', value: keys, mono: true });
  return facts;
}

export type HistoryLine = { key: string; time: string; at: number; actor: string; text: string; note: string | null };

const DID: Readonly<Record<string, string>> = {
  acknowledge: 'acknowledged it',
  comment: 'commented',
  resolve: 'resolved it',
  reopen: 'reopened it',
};

/** The append-only history as sentences: "ana assigned it to bo", "bo resolved it" with the note beneath. */
export function historyLines(history: readonly HistoryEntry[], options: TimeFormatOptions = {}): HistoryLine[] {
  return history.map((h, i) => ({
    key: `${h.at}-${i}`,
    at: h.at,
    time: formatTimestamp(h.at, options),
    actor: h.actor,
    text: h.action === 'assign' ? `assigned it to ${h.assignee ?? 'someone'}` : (DID[h.action] ?? h.action),
    note: h.note,
  }));
}

/** Which workflow buttons make sense now: acknowledging twice or resolving a resolved one only adds noise. */
export function availableActions(state: ExceptionDetail['state']): { acknowledge: boolean; resolve: boolean; reopen: boolean } {
  return { acknowledge: state === 'open', resolve: state === 'open' || state === 'acknowledged', reopen: state === 'resolved' };
}

/** `?view=lineage&key=…`: the full lineage explorer for this exception's correlation. */
export function lineageHref(correlationId: string): string {
  return `?${new URLSearchParams({ view: 'lineage', key: correlationId })}`;
}

/** `?view=replay&exception=…`: the Replay screen with this exception selected, on its dry run. */
export function replayHref(exceptionId: string): string {
  return `?${new URLSearchParams({ view: 'replay', exception: exceptionId })}`;
}
