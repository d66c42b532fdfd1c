import type { AlertDetail, AlertItem } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock, type TimeFormatOptions } from '../../format/time';
import { groupText, severityLabel } from './severity';
import { STATE_LABELS } from './shapeAlerts';

export type Fact = { label: string; value: string; mono?: boolean };

/** An SLA ratio as the SLA screen writes it: "97.3 %", never rounded up past what was met. */
export function percent(value: number | null): string {
  if (value === null) return 'n/a';
  return `${(Math.floor(value * 1000 + 1e-9) / 10).toFixed(1).replace(/\.0$/, '')} %`;
}

/** "27 Nov, 14:03:07": the day matters for an alert that began yesterday; milliseconds do not. */
export function formatMoment(epochMs: number, options: TimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat(options.locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone: options.timeZone }).format(epochMs);
}

function rate(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)}×`;
}

function who(w: { by: string; at: number; note: string }, options: TimeFormatOptions): string {
  return `${w.by}, ${formatMoment(w.at, options)}${w.note === '' ? '' : ` — ${w.note}`}`;
}

/** Everything about one alert as label and value, in the order on-call reads it: what, since when, how bad. */
export function alertFacts(alert: AlertItem, now: number, options: TimeFormatOptions = {}): Fact[] {
  const f = alert.facts;
  const facts: Fact[] = [
    { label: 'Severity', value: severityLabel(alert.severity) },
    { label: 'Rule', value: `${alert.rule_name} (${alert.condition === 'burn' ? 'error budget burn rate' : 'breaches past the deadline'})` },
    { label: 'Policy', value: alert.policy_name },
  ];
  const group = groupText(alert.group);
  if (group !== '') facts.push({ label: 'Group', value: group, mono: true });
  facts.push({ label: 'Owner', value: alert.owner }, { label: 'Flow', value: alert.flow, mono: true });
  facts.push({ label: 'Attainment', value: `${percent(f.attainment)} against an objective of ${percent(f.objective)} over ${formatDuration(f.window_ms)}` });
  if (alert.condition === 'burn' && f.burn !== null) {
    facts.push({ label: 'Burn rate', value: `${rate(f.burn.short)} over ${formatDuration(f.burn.short_ms)}, ${rate(f.burn.long)} over ${formatDuration(f.burn.long_ms)} (alerts above ${f.burn.factor}×)` });
  } else {
    facts.push({ label: 'Past the deadline', value: `${formatCount(f.open_breached)} open, ${formatCount(f.late)} finished late (deadline ${formatDuration(f.deadline_ms)}; alerts at ${formatCount(f.threshold ?? 1)})` });
  }
  if (alert.pending_since !== null) facts.push({ label: 'Condition since', value: formatMoment(alert.pending_since, options) });
  if (alert.fired_at !== null) facts.push({ label: 'Fired', value: `${formatMoment(alert.fired_at, options)} (${formatDuration(Math.max(0, now - alert.fired_at))} ago)` });
  if (alert.acknowledged !== null) facts.push({ label: 'Acknowledged', value: who(alert.acknowledged, options) });
  if (alert.resolved !== null) facts.push({ label: 'Resolved', value: who(alert.resolved, options) });
  facts.push({ label: 'Episode', value: alert.episode === 1 ? 'the first time it fired' : `the ${ordinal(alert.episode)} time it began` });
  facts.push({ label: 'Dedup key', value: alert.dedup_key, mono: true });
  return facts;
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export type TransitionLine = { key: string; at: number; time: string; state: string; stateLabel: string; actor: string; note: string };
export type EpisodeLines = { episode: number; current: boolean; lines: TransitionLine[] };

/** The lifecycle as recorded, latest episode first, each episode's steps in order ("firing · flowlens · condition holds"). */
export function transitionsByEpisode(detail: Pick<AlertDetail, 'transitions' | 'alert'>, options: TimeFormatOptions = {}): EpisodeLines[] {
  const episodes = new Map<number, TransitionLine[]>();
  for (const t of [...detail.transitions].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id))) {
    const lines = episodes.get(t.episode) ?? [];
    lines.push({ key: t.id, at: t.at, time: formatMoment(t.at, options), state: t.state, stateLabel: STATE_LABELS[t.state], actor: t.actor, note: t.note });
    episodes.set(t.episode, lines);
  }
  return [...episodes.entries()].sort(([a], [b]) => b - a).map(([episode, lines]) => ({ episode, current: episode === detail.alert.episode, lines }));
}

export type NotificationLine = { key: string; time: string; receiver: string; action: string; status: string; attempt: string; response: string };

/** Every notification row, latest first: what was sent to whom, and the receiver's answer. */
export function notificationLines(detail: Pick<AlertDetail, 'notifications'>, options: TimeFormatOptions = {}): NotificationLine[] {
  return [...detail.notifications]
    .sort((a, b) => b.at - a.at || b.attempt - a.attempt)
    .map((n, i) => ({
      key: `${n.notification_id}-${n.status}-${n.attempt}-${i}`,
      time: formatClock(n.at, options),
      receiver: n.receiver,
      action: n.action,
      status: n.status,
      attempt: n.attempt === 0 ? '–' : String(n.attempt),
      response: n.response,
    }));
}

/** Which actions make sense now: only a firing alert is acknowledged; a pending, firing or acknowledged one resolved. */
export function availableActions(state: AlertItem['state']): { acknowledge: boolean; resolve: boolean } {
  return { acknowledge: state === 'firing', resolve: state === 'pending' || state === 'firing' || state === 'acknowledged' };
}
