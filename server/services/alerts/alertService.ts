import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertsCatalog } from '../../catalog/alertSchema.js';
import type { AlertDetail, AlertItem, AlertList, MuteItem, MuteList } from '../../contracts/alertApi.js';
import type { SlaStatus } from '../../contracts/slaApi.js';
import { applyTransitions, isActive, latestEpisodes, manualTransition, stepAlerts, type AlertEpisode, type ManualAction } from '../../domain/alertLifecycle.js';
import { alertConditions } from '../../domain/alerts.js';
import { CLOSED_EPISODE_RETRY_MS, notificationsDue, receiversFor, type DueNotification, type MuteMatcher } from '../../domain/alertNotifications.js';
import { AppError } from '../../errors.js';
import {
  alertTransitionsSince,
  appendAlertTransitions,
  appendMuteRows,
  appendNotificationRows,
  latestEpisodeTransitions,
  mutesEndingAfter,
  notificationStates,
  notificationsOfAlert,
} from '../../store/queries/alerts.js';
import type { Schema } from '../../store/schema.js';
import { alertItem, alertList, effectiveMute, muteItem, transitionItem, type ListQuery } from './alertViews.js';
import { storeNotificationClaims, type ClaimRequest, type NotificationClaims } from './notificationClaims.js';
import { dashboardLink, type AlertNotice } from './notifiers/notice.js';
import { createSender, requestFor, type Deliver } from './notifiers/sender.js';

/** Alerts older than this are not read: an alert untouched for 90 days starts over as a new one. */
const STATE_LOOKBACK_MS = 90 * 86_400_000;
/** Ended mutes are listed for a day. */
const MUTE_HISTORY_MS = 86_400_000;

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

/** Something changed that a live view shows (wired to socket.io for the banner): which alerts, or which mute. */
export type AlertChange = { at: number; reason: 'evaluation' | ManualAction | 'mute' | 'unmute'; alert_ids: string[]; mute_id?: string };

export type AlertServiceDeps = {
  client: ClickHouseClient;
  schema: Schema;
  alerts: AlertsCatalog;
  /** The SLA evaluation alerts are decided on (the SLA service's `status`). */
  slaStatus: () => Promise<SlaStatus>;
  /** Base of the links in notifications (`publicUrl` setting). */
  publicUrl: string;
  logger: Log;
  /** Between evaluations (`alertEvalIntervalMs` setting). */
  intervalMs?: number;
  claims?: NotificationClaims;
  deliver?: Deliver;
  onChange?: (change: AlertChange) => void;
  /** This server's name in the notification record. */
  instance?: string;
  clock?: () => number;
};

/** What one evaluation did. */
export type TickReport = { at: number; transitions: number; delivered: number; failed: number; rejected: number; suppressed: number; not_claimed: number; unconfigured: number };

export type AlertService = {
  /** Evaluate every `intervalMs` until stopped. */
  start(): void;
  /** Stop the loop; resolves once an evaluation under way has finished. */
  stop(): Promise<void>;
  /** One evaluation: conditions → transitions → notifications claimed and sent. Calls on one service run one at a time. */
  tick(now?: number): Promise<TickReport>;
  list(q: ListQuery): Promise<AlertList>;
  get(id: string): Promise<AlertDetail>;
  acknowledge(id: string, actor: string, note: string): Promise<AlertItem>;
  resolve(id: string, actor: string, note: string): Promise<AlertItem>;
  mutes(): Promise<MuteList>;
  mute(matcher: MuteMatcher, endsAt: number, actor: string, reason: string, startsAt?: number): Promise<MuteItem>;
  unmute(id: string, actor: string): Promise<MuteItem>;
};

/**
 * Alerts from the SLA policies: on each evaluation the rules are applied to the SLA status, the lifecycle steps
 * they call for are appended, and the notifications owed are claimed (NotificationClaims), sent and recorded.
 * Safe with more than one server: every step and every notification has a deterministic id, and a notification
 * goes out only under its claim.
 */
export function createAlertService(deps: AlertServiceDeps): AlertService {
  const { client, schema, alerts, logger, publicUrl } = deps;
  const clock = deps.clock ?? Date.now;
  const claims = deps.claims ?? storeNotificationClaims(client, schema);
  const deliver = deps.deliver ?? createSender();
  const instance = deps.instance ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const intervalMs = deps.intervalMs ?? 30_000;
  const source = new URL(publicUrl).host;
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;

  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };
  const changed = (change: AlertChange) => {
    if (change.alert_ids.length > 0 || change.mute_id !== undefined) deps.onChange?.(change);
  };
  const activeMutesAt = async (now: number) => (await mutesEndingAfter(client, schema, now)).map(effectiveMute);

  async function evaluate(now: number): Promise<TickReport> {
    const report: TickReport = { at: now, transitions: 0, delivered: 0, failed: 0, rejected: 0, suppressed: 0, not_claimed: 0, unconfigured: 0 };
    const status = await deps.slaStatus();
    const before = latestEpisodes(await latestEpisodeTransitions(client, schema, now - STATE_LOOKBACK_MS));
    const transitions = stepAlerts({ now, conditions: alertConditions(status, alerts.rules), episodes: before, rules: alerts.rules });
    await appendAlertTransitions(client, schema, transitions);
    report.transitions = transitions.length;
    const episodes = applyTransitions(before, transitions);
    changed({ at: now, reason: 'evaluation', alert_ids: [...new Set(transitions.map((t) => t.alert_id))] });

    const mutes = await activeMutesAt(now);
    // Only episodes that may still owe something: open ones, and those closed within the retry period.
    const owing = [...episodes.values()].filter((e) => e.fired_at !== null && (isActive(e) || now - e.updated_at <= CLOSED_EPISODE_RETRY_MS));
    const sent = await notificationStates(client, schema, owing, now - STATE_LOOKBACK_MS);
    const { due, suppressed } = notificationsDue({ now, episodes: owing, routes: alerts.routes, mutes, sent });
    const newlySuppressed = suppressed.filter((s) => !(sent.get(s.notification_id)?.suppressed_by ?? []).includes(s.mute_id));
    await appendNotificationRows(
      client,
      schema,
      newlySuppressed.map((s) => ({ ...s, status: 'suppressed', attempt: 0, response: s.mute_id, instance, at: now })),
    );
    report.suppressed = suppressed.length;
    await Promise.all(
      due.map((n) =>
        send(n, episodes.get(n.alert_id)!, now, report).catch((err: unknown) => {
          // The store failed around the claim: an unclaimed notification is owed again at the next evaluation; a
          // claimed one whose outcome was not recorded is held by its claim until the lease passes.
          report.failed++;
          logger.error({ err, notification_id: n.notification_id }, 'alert notification could not be claimed or recorded');
        }),
      ),
    );
    return report;
  }

  async function send(n: DueNotification, e: AlertEpisode, now: number, report: TickReport): Promise<void> {
    const receiver = alerts.receivers.get(n.receiver);
    if (!receiver || receiver.missing.length > 0) {
      report.unconfigured++;
      return;
    }
    const request: ClaimRequest = { notification_id: n.notification_id, alert_id: n.alert_id, episode: n.episode, receiver: n.receiver, action: n.action, instance, now };
    const claim = await claims.claim(request);
    if (!claim.claimed) {
      report.not_claimed++;
      return;
    }
    const notice: AlertNotice = {
      notification_id: n.notification_id,
      action: n.action,
      renotify: n.renotify,
      alert: e,
      details: e.details,
      link: dashboardLink(publicUrl, e.policy, e.details.facts.window_ms, e.group, e.details.condition),
      source,
      at: now,
    };
    const delivery = await deliver(requestFor(receiver, notice), claim.attempt);
    await claims.settle(request, delivery.attempts);
    const last = delivery.attempts.at(-1);
    const fields = { notification_id: n.notification_id, receiver: n.receiver, attempts: delivery.attempts.length, response: last?.response };
    if (delivery.outcome === 'delivered') {
      report.delivered++;
      logger.info(fields, 'alert notification delivered');
    } else if (delivery.outcome === 'failed') {
      report.failed++;
      logger.warn(fields, 'alert notification failed; the next evaluation tries again');
    } else {
      report.rejected++;
      logger.error(fields, 'alert notification refused by the receiver; not sent again (check the receiver in dashboards/alerts/routes.yaml)');
    }
  }

  async function episodeOf(id: string, now: number): Promise<{ latest: AlertEpisode; transitions: Awaited<ReturnType<typeof alertTransitionsSince>> }> {
    const transitions = await alertTransitionsSince(client, schema, now - STATE_LOOKBACK_MS, id);
    const latest = latestEpisodes(transitions).get(id);
    if (!latest) throw new AppError(404, 'alert_not_found', `no alert ${id} in the last 90 days`);
    return { latest, transitions };
  }

  async function act(action: ManualAction, id: string, actor: string, note: string): Promise<AlertItem> {
    const now = clock();
    const { latest } = await episodeOf(id, now);
    const result = manualTransition(latest, action, actor, note, now);
    if (!result.ok) throw new AppError(409, 'alert_state', `cannot ${action} alert ${id}: ${result.reason}`);
    await appendAlertTransitions(client, schema, [result.transition]);
    changed({ at: now, reason: action, alert_ids: [id] });
    // The acknowledgement or resolve goes out at the next evaluation, or at once while the loop runs.
    if (!stopped) setImmediate(() => void tickSafely());
    const [after] = applyTransitions(new Map([[id, latest]]), [result.transition]).values();
    return alertItem(after!, await activeMutesAt(now), publicUrl, now);
  }

  const tick = (now?: number) => serially(() => evaluate(now ?? clock()));
  const tickSafely = () => tick().catch((err: unknown) => logger.error({ err }, 'alert evaluation failed; the next one tries again'));

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      for (const line of alerts.unconfigured) logger.warn({ problem: line }, 'alert receiver not configured');
      const loop = () => {
        timer = setTimeout(() => {
          void tickSafely().then(() => {
            if (!stopped) loop();
          });
        }, intervalMs);
      };
      void tickSafely();
      loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await queue;
    },
    tick,
    async list(q) {
      const now = clock();
      // Only each alert's latest episode is listed: its transitions are all that is read.
      const latest = latestEpisodes(await latestEpisodeTransitions(client, schema, now - STATE_LOOKBACK_MS));
      return alertList(latest.values(), await activeMutesAt(now), q, publicUrl, now);
    },
    async get(id) {
      const now = clock();
      const { latest, transitions } = await episodeOf(id, now);
      const notifications = await notificationsOfAlert(client, schema, id, now - STATE_LOOKBACK_MS);
      return {
        at: now,
        alert: alertItem(latest, await activeMutesAt(now), publicUrl, now),
        transitions: transitions.map(transitionItem),
        notifications: notifications.map(({ alert_id: _alert, ...n }) => n),
        receivers: receiversFor(latest, alerts.routes).flatMap(({ receiver, renotifyMs }) => {
          const r = alerts.receivers.get(receiver);
          return r ? [{ id: r.id, type: r.type, configured: r.missing.length === 0, renotify_ms: renotifyMs }] : [];
        }),
      };
    },
    acknowledge: (id, actor, note) => act('acknowledge', id, actor, note),
    resolve: (id, actor, note) => act('resolve', id, actor, note),
    async mutes() {
      const now = clock();
      return { at: now, mutes: (await mutesEndingAfter(client, schema, now - MUTE_HISTORY_MS)).map((m) => muteItem(m, now)) };
    },
    async mute(matcher, endsAt, actor, reason, startsAt) {
      const now = clock();
      const starts = startsAt ?? now;
      if (endsAt <= now) throw new AppError(400, 'invalid_body', 'ends_at: must be in the future', { details: [{ field: 'ends_at', message: 'must be in the future' }] });
      if (endsAt <= starts) throw new AppError(400, 'invalid_body', 'ends_at: must be after starts_at', { details: [{ field: 'ends_at', message: 'must be after starts_at' }] });
      const mute_id = randomUUID().replace(/-/g, '').slice(0, 16);
      await appendMuteRows(client, schema, [{ mute_id, action: 'create', matcher, starts_at: starts, ends_at: endsAt, reason, actor, at: now }]);
      changed({ at: now, reason: 'mute', alert_ids: [], mute_id });
      return muteItem({ mute_id, matcher, starts_at: starts, ends_at: endsAt, reason, created_by: actor, created_at: now, ended: null }, now);
    },
    async unmute(id, actor) {
      const now = clock();
      const mute = (await mutesEndingAfter(client, schema, now - MUTE_HISTORY_MS)).find((m) => m.mute_id === id);
      if (!mute) throw new AppError(404, 'mute_not_found', `no mute ${id} in force or ended within the last day`);
      // One in force or still to come (a scheduled mute can be called off); not one already over.
      if (mute.ended || mute.ends_at <= now) throw new AppError(409, 'mute_state', `mute ${id} is already over${mute.ended ? ` (${mute.ended.by} ended it)` : ''}`);
      await appendMuteRows(client, schema, [{ mute_id: id, action: 'end', matcher: mute.matcher, starts_at: mute.starts_at, ends_at: mute.ends_at, reason: '', actor, at: now }]);
      changed({ at: now, reason: 'unmute', alert_ids: [], mute_id: id });
      return muteItem({ ...mute, ended: { by: actor, at: now } }, now);
    },
  };
}
