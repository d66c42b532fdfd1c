import { RELATIVE_RANGES } from '../../../contracts/dashboardViews.js';
import { parseDuration } from '../../../catalog/catalog.js';
import type { AlertEpisode } from '../../../domain/alertLifecycle.js';
import type { AlertDetails } from '../../../domain/alerts.js';
import type { NotificationAction } from '../../../domain/alertNotifications.js';

/**
 * What every notifier is given: one notification of one alert episode, the figures it was decided on, and the
 * link to the dashboard view of the breach. Each notifier shapes it into its vendor's request, purely.
 */
export type AlertNotice = {
  notification_id: string;
  action: NotificationAction;
  /** The reminder's number; 0 for other actions. */
  renotify: number;
  alert: Pick<AlertEpisode, 'alert_id' | 'dedup_key' | 'rule' | 'policy' | 'group' | 'severity' | 'owner' | 'flow' | 'episode' | 'state' | 'fired_at' | 'acknowledged' | 'resolved'>;
  details: AlertDetails;
  /** `<publicUrl>/?view=slas&policy=…`: the SLA screen on this policy (and group). */
  link: string;
  /** Where the alert comes from: the host of the public URL. */
  source: string;
  /** When it is sent. */
  at: number;
};

/** One HTTP request to a receiver, as built (never sent) by a notifier. */
export type OutgoingRequest = { url: string; headers: Record<string, string>; body: string };

/**
 * The dashboard view of a breach: the SLA screen with the policy picked, a time range covering its window, its
 * group, and for a deadline alert the breaches still open — the same link the screen itself would give.
 */
export function dashboardLink(publicUrl: string, policy: string, windowMs: number, group: Readonly<Record<string, string>>, condition: AlertDetails['condition']): string {
  const range = RELATIVE_RANGES.find((r) => parseDuration(r) >= windowMs) ?? RELATIVE_RANGES[RELATIVE_RANGES.length - 1]!;
  const params = new URLSearchParams({ view: 'slas', policy, range });
  // As the screen writes it: dimension:value items joined by commas, each value percent-encoded.
  const groupParam = Object.entries(group)
    .map(([dimension, value]) => `${dimension}:${encodeURIComponent(value)}`)
    .join(',');
  if (groupParam !== '') params.set('group', groupParam);
  if (condition === 'deadline') params.set('outcome', 'open_breached');
  return `${publicUrl.replace(/\/+$/, '')}/?${params.toString()}`;
}

/** `Firing`, `Still firing (reminder 2)`, `Acknowledged by alice`, `Resolved`: what happened, first. */
export function headline(notice: AlertNotice): string {
  const { action, alert } = notice;
  if (action === 'trigger') return 'Firing';
  if (action === 'renotify') return `Still firing, not acknowledged (reminder ${notice.renotify})`;
  if (action === 'acknowledge') return `Acknowledged by ${alert.acknowledged?.by ?? 'someone'}`;
  const by = alert.resolved && alert.resolved.by !== 'flowlens' ? ` by ${alert.resolved.by}` : '';
  return `Resolved${by}`;
}

/** The group as `channel=amazon, location_id=S1`; empty for a per-policy alert. */
export function groupText(group: Readonly<Record<string, string>>): string {
  return Object.entries(group)
    .map(([d, v]) => `${d}=${v}`)
    .join(', ');
}
