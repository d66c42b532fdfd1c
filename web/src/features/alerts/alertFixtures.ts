import type { AlertDetail, AlertItem, AlertList } from '../../api/contracts';

/** Test data shaped as the API answers it (server/contracts/alertApi.ts). */

export const T0 = Date.UTC(2026, 10, 27, 14, 0, 0);

export function alertItem(over: Partial<AlertItem> = {}): AlertItem {
  return {
    id: '0123456789abcdef',
    dedup_key: 'flowlens/money-not-booked/refund-ledger',
    rule: 'money-not-booked',
    rule_name: 'Refunds or settlements missing from the ledger',
    condition: 'deadline',
    policy: 'refund-ledger',
    policy_name: 'Refunds in the ledger within 2 min',
    flow: 'return_to_refund',
    owner: 'finance',
    severity: 'critical',
    group: {},
    episode: 1,
    state: 'firing',
    summary: 'Refunds in the ledger within 2 min: 3 open past the 2 min deadline (alert at 1); attainment 91.2 % against 99 %',
    facts: { objective: 0.99, attainment: 0.912, late: 1, open_breached: 3, deadline_ms: 120_000, window_ms: 3_600_000, burn: null, counted: 3, threshold: 1 },
    pending_since: T0 - 12 * 60_000,
    fired_at: T0 - 11 * 60_000,
    acknowledged: null,
    resolved: null,
    muted_by: [],
    updated_at: T0 - 11 * 60_000,
    link: 'http://flowlens.example.com/?view=slas&policy=refund-ledger&range=1h&outcome=open_breached',
    ...over,
  };
}

export function alertList(alerts: AlertItem[], over: Partial<AlertList> = {}): AlertList {
  const counts = { pending: 0, firing: 0, acknowledged: 0, resolved: 0, inactive: 0, muted: 0 };
  for (const a of alerts) {
    counts[a.state]++;
    if (a.muted_by.length > 0) counts.muted++;
  }
  return { at: T0, lookback_ms: 86_400_000, states: ['pending', 'firing', 'acknowledged'], total: alerts.length, offset: 0, alerts, counts, ...over };
}

export function alertDetail(over: Partial<AlertDetail> = {}): AlertDetail {
  const alert = over.alert ?? alertItem();
  return {
    at: T0,
    alert,
    transitions: [
      { id: `${alert.id}:1:pending`, episode: 1, state: 'pending', actor: 'flowlens', note: 'condition holds; fires once it has held for 1 min', summary: alert.summary, at: T0 - 12 * 60_000 },
      { id: `${alert.id}:1:firing`, episode: 1, state: 'firing', actor: 'flowlens', note: 'condition held for 1 min', summary: alert.summary, at: T0 - 11 * 60_000 },
    ],
    notifications: [
      { notification_id: 'n1', episode: 1, receiver: 'incident-log', action: 'trigger', status: 'claimed', attempt: 1, response: '', instance: 'a', at: T0 - 11 * 60_000 },
      { notification_id: 'n1', episode: 1, receiver: 'incident-log', action: 'trigger', status: 'delivered', attempt: 1, response: '202', instance: 'a', at: T0 - 11 * 60_000 + 300 },
      { notification_id: 'n2', episode: 1, receiver: 'finance-slack', action: 'trigger', status: 'failed', attempt: 3, response: '503 Service Unavailable', instance: 'a', at: T0 - 11 * 60_000 + 900 },
    ],
    receivers: [
      { id: 'incident-log', type: 'webhook', configured: true, renotify_ms: 3_600_000 },
      { id: 'finance-slack', type: 'slack', configured: true, renotify_ms: 7_200_000 },
      { id: 'oncall-pagerduty', type: 'pagerduty', configured: false, renotify_ms: 1_800_000 },
    ],
    ...over,
  };
}
