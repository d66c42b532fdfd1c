import type { AlertReceiver } from '../../../catalog/alertSchema.js';
import { percent } from '../../../domain/alerts.js';
import { groupText, headline, type AlertNotice, type OutgoingRequest } from './notice.js';

type PagerDutyReceiver = Extract<AlertReceiver, { type: 'pagerduty' }>;

/** PagerDuty's limit on a summary; longer ones are cut with an ellipsis. */
const SUMMARY_MAX = 1024;

/**
 * A PagerDuty Events API v2 event (`POST /v2/enqueue`). Trigger, acknowledge and resolve of one alert share its
 * dedup key, so PagerDuty keeps one incident per alert and a reminder only adds to its log. A trigger (and a
 * reminder, sent as a trigger) carries the payload — summary, source, severity, timestamp, component, group,
 * class, custom details; acknowledge and resolve carry none, as the API defines. Every event links to the view.
 */
export function pagerDutyEvent(receiver: PagerDutyReceiver, notice: AlertNotice): Record<string, unknown> {
  const { alert, details } = notice;
  const links = [{ href: notice.link, text: 'Open the SLA in Flowlens' }];
  const base = { routing_key: receiver.routingKey, dedup_key: alert.dedup_key };
  if (notice.action === 'acknowledge') return { ...base, event_action: 'acknowledge', links };
  if (notice.action === 'resolve') return { ...base, event_action: 'resolve', links };
  const prefix = notice.action === 'renotify' ? `[reminder ${notice.renotify}] ` : '';
  const summary = `${prefix}${details.summary}`;
  const f = details.facts;
  return {
    ...base,
    event_action: 'trigger',
    client: 'Flowlens',
    client_url: notice.link,
    links,
    payload: {
      summary: summary.length > SUMMARY_MAX ? `${summary.slice(0, SUMMARY_MAX - 1)}…` : summary,
      source: notice.source,
      severity: alert.severity === 'critical' || alert.severity === 'warning' || alert.severity === 'info' ? alert.severity : 'error',
      timestamp: new Date(alert.fired_at ?? notice.at).toISOString(),
      component: alert.flow,
      group: alert.owner,
      class: `sla_${details.condition}`,
      custom_details: {
        state: headline(notice),
        policy: alert.policy,
        policy_name: details.policy_name,
        rule: alert.rule,
        rule_name: details.rule_name,
        ...(groupText(alert.group) === '' ? {} : { group: groupText(alert.group) }),
        owner: alert.owner,
        attainment: percent(f.attainment),
        objective: percent(f.objective),
        open_past_deadline: f.open_breached,
        finished_late: f.late,
        ...(f.burn ? { burn_rate_short: f.burn.short, burn_rate_long: f.burn.long, burn_rate_factor: f.burn.factor } : {}),
        ...(f.threshold === null ? {} : { counted: f.counted, threshold: f.threshold }),
        episode: alert.episode,
        notification_id: notice.notification_id,
        link: notice.link,
      },
    },
  };
}

export function pagerDutyRequest(receiver: PagerDutyReceiver, notice: AlertNotice): OutgoingRequest {
  return { url: receiver.eventsUrl, headers: { 'content-type': 'application/json' }, body: JSON.stringify(pagerDutyEvent(receiver, notice)) };
}
