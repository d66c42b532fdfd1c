import type { AlertRoute } from '../catalog/alertSchema.js';
import type { AlertEpisode } from './alertLifecycle.js';
import type { AlertLabels } from './alerts.js';

/**
 * Which notifications an alert's episode owes each receiver, pure. Every notification has a deterministic id,
 * `<alert>/<episode>/<action>/<receiver>` (`renotify-<n>` for the n-th reminder): two servers, or a restart,
 * compute the same id for the same notification, and the id is claimed once before anything is sent — which is
 * what makes "no notification twice" hold.
 *
 * - `trigger` when the episode fires; `renotify-<n>` every route's `renotifyEvery` after the last one delivered,
 *   while it stays firing and unacknowledged;
 * - `acknowledge` once acknowledged, `resolve` once resolved — only to receivers the trigger reached (an alert that
 *   never paged someone does not un-page them);
 * - a mute holds back triggers, reminders and acknowledgements while it lasts (they go out when it ends if still
 *   due); it never holds back a resolve, so nothing a receiver was told stays open there.
 */

export const NOTIFICATION_ACTIONS = ['trigger', 'acknowledge', 'resolve', 'renotify'] as const;
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];

/** A resolved episode's last notifications are retried for at most this long after it closed. */
export const CLOSED_EPISODE_RETRY_MS = 24 * 3_600_000;

/** What a mute matches; every field given must hold (`group`: each of its values). */
export type MuteMatcher = {
  alert_id?: string;
  rule?: string;
  policy?: string;
  owner?: string;
  flow?: string;
  severity?: string;
  group?: Record<string, string>;
};

export type Mute = {
  mute_id: string;
  matcher: MuteMatcher;
  starts_at: number;
  ends_at: number;
  reason: string;
  created_by: string;
  created_at: number;
};

/** What is known about one notification id from the record: delivered (and when), refused for good, held back by which mutes. */
export type SentState = { delivered_at: number | null; rejected: boolean; suppressed_by: readonly string[] };

export type DueNotification = {
  notification_id: string;
  alert_id: string;
  episode: number;
  receiver: string;
  action: NotificationAction;
  /** The reminder's number (1, 2, …); 0 for the other actions. */
  renotify: number;
};

export type Suppressed = DueNotification & { mute_id: string };

export function notificationId(alertId: string, episode: number, action: NotificationAction, receiver: string, renotify = 0): string {
  return `${alertId}/${episode}/${action === 'renotify' ? `renotify-${renotify}` : action}/${receiver}`;
}

/**
 * The receivers of an alert and each one's reminder interval: routes in order, the first that matches takes it
 * and one with `continue` passes it on; a receiver named by two matching routes keeps the first one's interval.
 */
export function receiversFor(labels: Pick<AlertLabels, 'severity' | 'owner' | 'flow' | 'policy' | 'rule'>, routes: readonly AlertRoute[]): { receiver: string; renotifyMs: number }[] {
  const out = new Map<string, number>();
  for (const route of routes) {
    const m = route.match;
    const holds = (allowed: readonly string[] | undefined, value: string) => allowed === undefined || allowed.includes(value);
    if (!(holds(m.severity, labels.severity) && holds(m.owner, labels.owner) && holds(m.flow, labels.flow) && holds(m.policy, labels.policy) && holds(m.rule, labels.rule))) continue;
    for (const receiver of route.receivers) if (!out.has(receiver)) out.set(receiver, route.renotifyEvery);
    if (!route.continue) break;
  }
  return [...out].map(([receiver, renotifyMs]) => ({ receiver, renotifyMs }));
}

/** Does the mute match the alert (every field it names)? A mute naming nothing matches nothing. */
export function muteMatches(matcher: MuteMatcher, labels: AlertLabels): boolean {
  const { group, ...fields } = matcher;
  const named = Object.entries(fields).filter(([, v]) => v !== undefined) as [keyof AlertLabels, string][];
  if (named.length === 0 && (group === undefined || Object.keys(group).length === 0)) return false;
  if (!named.every(([field, value]) => labels[field] === value)) return false;
  return Object.entries(group ?? {}).every(([dimension, value]) => labels.group[dimension] === value);
}

/** The mutes in force at `now` that match the alert, the one ending last first. */
export function activeMutes(labels: AlertLabels, mutes: readonly Mute[], now: number): Mute[] {
  return mutes.filter((m) => m.starts_at <= now && now < m.ends_at && muteMatches(m.matcher, labels)).sort((a, b) => b.ends_at - a.ends_at);
}

type DueInput = {
  now: number;
  /** Each alert's latest episode. */
  episodes: Iterable<AlertEpisode>;
  routes: readonly AlertRoute[];
  mutes: readonly Mute[];
  sent: ReadonlyMap<string, SentState>;
};

/** The notifications owed now, and those a mute holds back (each with the mute). */
export function notificationsDue({ now, episodes, routes, mutes, sent }: DueInput): { due: DueNotification[]; suppressed: Suppressed[] } {
  const due: DueNotification[] = [];
  const suppressed: Suppressed[] = [];
  for (const e of episodes) {
    if (e.fired_at === null) continue;
    const closedAt = e.resolved?.at ?? e.released_at;
    if (closedAt !== null && closedAt !== undefined && now - closedAt > CLOSED_EPISODE_RETRY_MS) continue;
    const [mute] = activeMutes(e, mutes, now);
    for (const { receiver, renotifyMs } of receiversFor(e, routes)) {
      const id = (action: NotificationAction, n = 0) => notificationId(e.alert_id, e.episode, action, receiver, n);
      const state = (notification: string) => sent.get(notification);
      const owed = (notification: string) => state(notification)?.delivered_at == null && !state(notification)?.rejected;
      const add = (action: NotificationAction, holdable: boolean, n = 0) => {
        const notification = { notification_id: id(action, n), alert_id: e.alert_id, episode: e.episode, receiver, action, renotify: n };
        if (!owed(notification.notification_id)) return;
        if (holdable && mute) suppressed.push({ ...notification, mute_id: mute.mute_id });
        else due.push(notification);
      };
      const triggered = state(id('trigger'))?.delivered_at ?? null;
      if (e.state === 'firing') {
        if (triggered === null) {
          add('trigger', true);
          continue;
        }
        // Reminders are numbered by how many were delivered, so every server names the next one alike.
        let n = 0;
        let last = triggered;
        for (let delivered = state(id('renotify', 1))?.delivered_at ?? null; delivered !== null; delivered = state(id('renotify', n + 1))?.delivered_at ?? null) {
          n += 1;
          last = delivered;
        }
        if (now - last >= renotifyMs) add('renotify', true, n + 1);
      } else if (triggered !== null && e.state === 'acknowledged') add('acknowledge', true);
      else if (triggered !== null && (e.state === 'resolved' || e.state === 'inactive')) add('resolve', false);
    }
  }
  return { due, suppressed };
}
