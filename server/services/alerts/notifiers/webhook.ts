import type { AlertReceiver } from '../../../catalog/alertSchema.js';
import type { AlertNotice, OutgoingRequest } from './notice.js';

type WebhookReceiver = Extract<AlertReceiver, { type: 'webhook' }>;

export const WEBHOOK_SCHEMA = 'flowlens.alert.v1';

/**
 * The generic webhook's JSON: the notification (its id doubles as the `Idempotency-Key` header, so a receiver can
 * drop a repeat), the alert with its state and lifecycle, the SLA figures it was decided on, and the link.
 */
export function webhookPayload(notice: AlertNotice): Record<string, unknown> {
  const { alert, details } = notice;
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
  return {
    schema: WEBHOOK_SCHEMA,
    notification_id: notice.notification_id,
    action: notice.action,
    renotify: notice.renotify,
    sent_at: iso(notice.at),
    link: notice.link,
    alert: {
      id: alert.alert_id,
      dedup_key: alert.dedup_key,
      state: alert.state === 'inactive' ? 'resolved' : alert.state,
      episode: alert.episode,
      rule: alert.rule,
      rule_name: details.rule_name,
      condition: details.condition,
      policy: alert.policy,
      policy_name: details.policy_name,
      flow: alert.flow,
      owner: alert.owner,
      severity: alert.severity,
      group: alert.group,
      summary: details.summary,
      fired_at: iso(alert.fired_at),
      acknowledged: alert.acknowledged ? { by: alert.acknowledged.by, at: iso(alert.acknowledged.at), note: alert.acknowledged.note } : null,
      resolved: alert.resolved ? { by: alert.resolved.by, at: iso(alert.resolved.at), note: alert.resolved.note } : null,
    },
    facts: details.facts,
  };
}

export function webhookRequest(receiver: WebhookReceiver, notice: AlertNotice): OutgoingRequest {
  return {
    url: receiver.url,
    headers: { ...receiver.headers, 'content-type': 'application/json', 'idempotency-key': notice.notification_id },
    body: JSON.stringify(webhookPayload(notice)),
  };
}
