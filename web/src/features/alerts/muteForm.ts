import type { AlertItem, MuteItem } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatClock, type TimeFormatOptions } from '../../format/time';
import type { MuteMatcher, MuteRequest } from './api';
import { groupText } from './severity';

/** What a mute from an alert's pane holds back: this alert, or every alert of its policy, rule or owner. */
export type MuteScope = 'alert' | 'policy' | 'rule' | 'owner';

export type ScopeOption = { value: MuteScope; label: string; matcher: MuteMatcher };

export function muteScopes(alert: AlertItem): ScopeOption[] {
  const group = groupText(alert.group);
  return [
    { value: 'alert', label: `This alert only${group === '' ? '' : ` (${group})`}`, matcher: { alert_id: alert.id } },
    { value: 'policy', label: `Every alert of the policy “${alert.policy_name}”`, matcher: { policy: alert.policy } },
    { value: 'rule', label: `Every alert of the rule “${alert.rule_name}”`, matcher: { rule: alert.rule } },
    { value: 'owner', label: `Every alert owned by ${alert.owner}`, matcher: { owner: alert.owner } },
  ];
}

export const MUTE_DURATIONS = [
  { value: '30m', label: '30 minutes', ms: 30 * 60_000 },
  { value: '1h', label: '1 hour', ms: 3_600_000 },
  { value: '2h', label: '2 hours', ms: 2 * 3_600_000 },
  { value: '4h', label: '4 hours', ms: 4 * 3_600_000 },
  { value: '8h', label: '8 hours', ms: 8 * 3_600_000 },
  { value: '24h', label: '24 hours', ms: 24 * 3_600_000 },
  { value: 'until', label: 'Until…', ms: 0 },
] as const;

export type MuteForm = { scope: MuteScope; duration: string; until: string; reason: string };
export type MuteProblem = { field: 'reason' | 'until'; message: string };

/** Longest mute the form offers: a week (a longer one hides a broken SLA rather than quietening a known one). */
const MAX_MUTE_MS = 7 * 86_400_000;

/**
 * The mute request from what the person chose, or what is missing — said before anything is sent. `until` is a
 * `datetime-local` value (the viewer's wall-clock time).
 */
export function muteRequest(form: MuteForm, alert: AlertItem, now: number): { request: MuteRequest } | { problem: MuteProblem } {
  const reason = form.reason.trim();
  if (reason === '') return { problem: { field: 'reason', message: 'Say why in the reason (planned ERP work, a known cause), so the next person knows.' } };
  let endsAt: number;
  if (form.duration === 'until') {
    endsAt = Date.parse(form.until);
    if (!Number.isFinite(endsAt)) return { problem: { field: 'until', message: 'Enter when the mute ends.' } };
    if (endsAt <= now) return { problem: { field: 'until', message: 'The end must be in the future.' } };
    if (endsAt - now > MAX_MUTE_MS) return { problem: { field: 'until', message: 'A mute can last at most 7 days.' } };
  } else {
    const d = MUTE_DURATIONS.find((x) => x.value === form.duration);
    endsAt = now + (d?.ms ?? 3_600_000);
  }
  const scope = muteScopes(alert).find((s) => s.value === form.scope) ?? muteScopes(alert)[0]!;
  return { request: { matcher: scope.matcher, ends_at: endsAt, reason } };
}

/** What a mute matches, in words: "alert 3fa9…", "policy refund-ledger · severity critical". */
export function matcherText(matcher: MuteItem['matcher']): string {
  const parts: string[] = [];
  if (matcher.alert_id !== undefined) parts.push(`alert ${matcher.alert_id}`);
  for (const field of ['rule', 'policy', 'owner', 'flow', 'severity'] as const) {
    const value = matcher[field];
    if (value !== undefined) parts.push(`${field} ${value}`);
  }
  if (matcher.group !== undefined && Object.keys(matcher.group).length > 0) parts.push(groupText(matcher.group));
  return parts.join(' · ') || 'every alert';
}

export type MuteLine = { id: string; status: 'active' | 'scheduled' | 'ended' | 'expired'; statusLabel: string; what: string; alertId: string | undefined; when: string; by: string; reason: string; canEnd: boolean };

/** One mute as the Mutes panel lists it: in force (until when, how long left), scheduled, ended early by whom, or run out. */
export function muteLine(mute: MuteItem, now: number, options: TimeFormatOptions = {}): MuteLine {
  const base = { id: mute.id, what: matcherText(mute.matcher), alertId: mute.matcher.alert_id, by: mute.created_by, reason: mute.reason };
  if (mute.ended !== null) {
    return { ...base, status: 'ended', statusLabel: 'Ended', when: `ended by ${mute.ended.by} at ${formatClock(mute.ended.at, options)}`, canEnd: false };
  }
  if (mute.active) {
    return { ...base, status: 'active', statusLabel: 'In force', when: `until ${formatClock(mute.ends_at, options)} (${formatDuration(mute.ends_at - now)} left)`, canEnd: true };
  }
  if (mute.starts_at > now) {
    return { ...base, status: 'scheduled', statusLabel: 'Scheduled', when: `from ${formatClock(mute.starts_at, options)} (in ${formatDuration(mute.starts_at - now)}) until ${formatClock(mute.ends_at, options)}`, canEnd: false };
  }
  return { ...base, status: 'expired', statusLabel: 'Ran out', when: `at ${formatClock(mute.ends_at, options)}`, canEnd: false };
}

/** In force first (ending soonest first), then scheduled, then those that ended (latest first). */
export function sortMutes(mutes: readonly MuteItem[], now: number): MuteItem[] {
  const rank = (m: MuteItem) => (m.ended === null && m.active ? 0 : m.ended === null && m.starts_at > now ? 1 : 2);
  return [...mutes].sort((a, b) => rank(a) - rank(b) || (rank(a) === 2 ? endOf(b) - endOf(a) : a.ends_at - b.ends_at) || a.id.localeCompare(b.id));
}

function endOf(m: MuteItem): number {
  return m.ended?.at ?? m.ends_at;
}
