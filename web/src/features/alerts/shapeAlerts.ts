import type { AlertApiState, AlertDetail, AlertItem } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { formatClock, type TimeFormatOptions } from '../../format/time';
import { isOpen, type AlertFilterParam, type StateChoice } from './alertQuery';
import { groupText, severityLabel, severityRank } from './severity';

export const STATE_LABELS: Readonly<Record<AlertApiState, string>> = {
  pending: 'Pending',
  firing: 'Firing',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  inactive: 'Cleared before firing',
};

const STATE_RANK: Readonly<Record<AlertApiState, number>> = { firing: 0, acknowledged: 1, pending: 2, resolved: 3, inactive: 4 };

/**
 * The SLA screen on the alert's breach, as a link within this dashboard: the API's link carries the server's
 * public address, which is not always the one this browser uses, so only its query is kept.
 */
export function slaHref(alert: Pick<AlertItem, 'link' | 'policy'>): string {
  try {
    const search = new URL(alert.link, 'http://flowlens.invalid').search;
    if (new URLSearchParams(search).get('view') === 'slas') return search;
  } catch {
    // A link that does not parse still leads to the policy.
  }
  return `?${new URLSearchParams({ view: 'slas', policy: alert.policy })}`;
}

/** When the alert entered the state it is in, and who put it there (nobody: the evaluation did). */
export function sinceOf(alert: AlertItem): { at: number | null; by: string | undefined } {
  if (alert.state === 'pending') return { at: alert.pending_since, by: undefined };
  if (alert.state === 'firing') return { at: alert.fired_at, by: undefined };
  if (alert.state === 'acknowledged') return { at: alert.acknowledged?.at ?? alert.fired_at, by: alert.acknowledged?.by };
  if (alert.state === 'resolved') return { at: alert.resolved?.at ?? alert.updated_at, by: alert.resolved?.by };
  return { at: alert.updated_at, by: undefined };
}

/** One row of the alerts table, ready to render. */
export type AlertRow = {
  id: string;
  severity: string;
  severityLabel: string;
  name: string;
  policyName: string;
  group: string;
  owner: string;
  state: AlertApiState;
  stateLabel: string;
  /** "Muted until 14:30 (planned ERP work)" while a mute holds it back. */
  muted: string;
  /** "12 min", how long it has been in this state, and "since 14:03:07" (or "by ana at 14:03:07") beneath. */
  age: string;
  since: string;
  /** It fired at some point, so notifications may have gone out. */
  fired: boolean;
  slaHref: string;
  summary: string;
};

export function alertRow(alert: AlertItem, now: number, options: TimeFormatOptions = {}): AlertRow {
  const since = sinceOf(alert);
  const mute = alert.muted_by.reduce<AlertItem['muted_by'][number] | undefined>((latest, m) => (latest === undefined || m.ends_at > latest.ends_at ? m : latest), undefined);
  return {
    id: alert.id,
    severity: alert.severity,
    severityLabel: severityLabel(alert.severity),
    name: alert.rule_name,
    policyName: alert.policy_name,
    group: groupText(alert.group),
    owner: alert.owner,
    state: alert.state,
    stateLabel: STATE_LABELS[alert.state],
    muted: mute === undefined ? '' : `Muted until ${formatClock(mute.ends_at, options)} by ${mute.by}${mute.reason === '' ? '' : ` (${mute.reason})`}`,
    age: since.at === null ? '–' : formatDuration(Math.max(0, now - since.at)),
    since: since.at === null ? '' : since.by === undefined ? `since ${formatClock(since.at, options)}` : `by ${since.by} at ${formatClock(since.at, options)}`,
    fired: alert.fired_at !== null,
    slaHref: slaHref(alert),
    summary: alert.summary,
  };
}

/**
 * On-call's order: open alerts first — firing, then acknowledged, then pending — the worst severity first and the
 * longest-standing first within it; then the history, most recently changed first.
 */
export function sortAlerts(alerts: readonly AlertItem[]): AlertItem[] {
  const since = (a: AlertItem) => sinceOf(a).at ?? a.updated_at;
  return [...alerts].sort((a, b) => {
    const openA = isOpen(a);
    const openB = isOpen(b);
    if (openA !== openB) return openA ? -1 : 1;
    if (!openA) return b.updated_at - a.updated_at || a.id.localeCompare(b.id);
    return STATE_RANK[a.state] - STATE_RANK[b.state] || severityRank(a.severity) - severityRank(b.severity) || since(a) - since(b) || a.id.localeCompare(b.id);
  });
}

export type FilterOption = { value: string; label: string };

const ANY_LABEL: Readonly<Record<AlertFilterParam, string>> = { owner: 'Every owner', severity: 'Any severity', rule: 'Every rule' };

/**
 * A filter's options with how many alerts of the tab each would show ("finance (2)"). The value in the link is
 * always offered, at zero when nothing matches it now, so the control shows what is applied.
 */
export function filterOptions(param: AlertFilterParam, alerts: readonly AlertItem[], current: string): FilterOption[] {
  const counts = new Map<string, { label: string; count: number }>();
  for (const a of alerts) {
    const value = a[param];
    const label = param === 'rule' ? a.rule_name : param === 'severity' ? severityLabel(a.severity) : a.owner;
    counts.set(value, { label, count: (counts.get(value)?.count ?? 0) + 1 });
  }
  if (current !== '' && !counts.has(current)) counts.set(current, { label: param === 'severity' ? severityLabel(current) : current, count: 0 });
  const values = [...counts.entries()].sort(([a, x], [b, y]) => (param === 'severity' ? severityRank(a) - severityRank(b) : x.label.localeCompare(y.label)));
  return [{ value: '', label: ANY_LABEL[param] }, ...values.map(([value, v]) => ({ value, label: `${v.label} (${formatCount(v.count)})` }))];
}

/** What an empty tab says: nothing matches the filters (clear them), or nothing in this state — and what is watched. */
export function emptyMessage(choice: StateChoice, filtersActive: boolean, rangeLabel: string): { title: string; detail: string; canClear: boolean } {
  if (filtersActive) return { title: `No ${choice.label.toLowerCase()} alerts match these filters`, detail: 'Clear the filters to see them all.', canClear: true };
  const watched = 'Alerts are raised from the SLA policies by the rules in dashboards/alerts/rules.yaml: error budgets burning fast and business transactions open past their deadline.';
  const titles: Readonly<Record<string, string>> = {
    '': 'No alerts firing',
    firing: 'No alerts firing',
    acknowledged: 'No acknowledged alerts',
    muted: 'No alerts are muted',
    pending: 'No alerts pending',
    resolved: `No alerts resolved (${rangeLabel.toLowerCase()})`,
    all: `No alerts (${rangeLabel.toLowerCase()})`,
  };
  return { title: titles[choice.value] ?? 'No alerts', detail: choice.value === 'resolved' || choice.value === 'all' ? `${watched} Pick a longer range to see older ones.` : watched, canClear: false };
}

/** `text` says it whole ("trigger delivered 14:03:07"); `short` fits a table cell ("trigger delivered"). */
export type ReceiverStatus = { receiver: string; text: string; short: string; tone: 'ok' | 'bad' | 'warn' | 'muted'; at: number | null };

const STATUS_TEXT: Readonly<Record<string, string>> = {
  delivered: 'delivered',
  failed: 'failed',
  retrying: 'retrying',
  rejected: 'refused',
  claimed: 'sending',
  suppressed: 'held back by a mute',
};
const STATUS_TONE: Readonly<Record<string, ReceiverStatus['tone']>> = { delivered: 'ok', failed: 'bad', rejected: 'bad', retrying: 'warn', claimed: 'warn', suppressed: 'muted' };

/**
 * The last notification each receiver the alert is routed to got ("oncall-slack: trigger delivered 14:03"), and
 * the receivers that send nothing because their `${NAME}` is not set.
 */
export function lastNotifications(detail: Pick<AlertDetail, 'notifications' | 'receivers'>, options: TimeFormatOptions = {}): ReceiverStatus[] {
  const latest = new Map<string, AlertDetail['notifications'][number]>();
  for (const n of detail.notifications) {
    const seen = latest.get(n.receiver);
    if (seen === undefined || n.at > seen.at || (n.at === seen.at && n.attempt > seen.attempt)) latest.set(n.receiver, n);
  }
  const routed = detail.receivers.map((r) => r.id);
  const names = [...routed, ...[...latest.keys()].filter((r) => !routed.includes(r)).sort()];
  return names.map((receiver) => {
    const n = latest.get(receiver);
    const configured = detail.receivers.find((r) => r.id === receiver)?.configured ?? true;
    if (n === undefined) {
      return configured ? { receiver, text: 'nothing sent yet', short: 'nothing sent yet', tone: 'muted', at: null } : { receiver, text: 'not configured: sends nothing', short: 'not configured', tone: 'warn', at: null };
    }
    const short = `${n.action} ${STATUS_TEXT[n.status] ?? n.status}`;
    return { receiver, text: `${short} ${formatClock(n.at, options)}`, short, tone: STATUS_TONE[n.status] ?? 'muted', at: n.at };
  });
}
