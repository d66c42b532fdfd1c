import type { AlertNotice } from './notice.js';

/** A notice as the alert service builds it, for the notifier tests: a refund-ledger alert on one channel. */
export function sampleNotice(fields: Partial<AlertNotice> = {}, alert: Partial<AlertNotice['alert']> = {}): AlertNotice {
  return {
    notification_id: '0f1e2d3c4b5a6978/2/trigger/oncall',
    action: 'trigger',
    renotify: 0,
    alert: {
      alert_id: '0f1e2d3c4b5a6978',
      dedup_key: 'flowlens/money-not-booked/refund-ledger/channel=amazon',
      rule: 'money-not-booked',
      policy: 'refund-ledger',
      group: { channel: 'amazon' },
      severity: 'critical',
      owner: 'finance',
      flow: 'return_to_refund',
      episode: 2,
      state: 'firing',
      fired_at: Date.parse('2026-11-27T10:02:00Z'),
      acknowledged: null,
      resolved: null,
      ...alert,
    },
    details: {
      rule_name: 'Refunds missing from the ledger',
      policy_name: 'Refunds in the ledger within 2 min',
      condition: 'deadline',
      summary: 'Refunds in the ledger within 2 min [channel=amazon]: 3 open past the 2m deadline (alert at 1); attainment 66.6 % against 99 %',
      facts: { objective: 0.99, attainment: 0.6667, late: 1, open_breached: 3, deadline_ms: 120_000, window_ms: 3_600_000, burn: null, counted: 3, threshold: 1 },
    },
    link: 'http://127.0.0.1:8080/?view=slas&policy=refund-ledger&range=1h&group=channel%3Aamazon&outcome=open_breached',
    source: '127.0.0.1:8080',
    at: Date.parse('2026-11-27T10:02:05Z'),
    ...fields,
  };
}
