import { describe, expect, it } from 'vitest';
import { dashboardLink } from './notice.js';
import { sampleNotice } from './noticeFixtures.js';
import { WEBHOOK_SCHEMA, webhookPayload, webhookRequest } from './webhook.js';

describe('generic webhook', () => {
  it('carries the notification, the alert with its lifecycle, the figures and the link', () => {
    const payload = webhookPayload(sampleNotice({ action: 'resolve' }, { state: 'resolved', resolved: { by: 'flowlens', at: Date.parse('2026-11-27T10:20:00Z'), note: 'condition cleared' } }));
    expect(payload).toMatchObject({
      schema: WEBHOOK_SCHEMA,
      notification_id: '0f1e2d3c4b5a6978/2/trigger/oncall',
      action: 'resolve',
      link: sampleNotice().link,
      alert: {
        id: '0f1e2d3c4b5a6978',
        dedup_key: 'flowlens/money-not-booked/refund-ledger/channel=amazon',
        state: 'resolved',
        policy: 'refund-ledger',
        severity: 'critical',
        group: { channel: 'amazon' },
        fired_at: '2026-11-27T10:02:00.000Z',
        resolved: { by: 'flowlens', at: '2026-11-27T10:20:00.000Z', note: 'condition cleared' },
      },
      facts: { attainment: 0.6667, open_breached: 3 },
    });
  });

  it('sends the notification id as the Idempotency-Key, with the receiver\'s own headers', () => {
    const request = webhookRequest({ id: 'w', type: 'webhook', url: 'http://127.0.0.1:9/hook', headers: { Authorization: 'Bearer t0k3n' }, missing: [] }, sampleNotice());
    expect(request.headers).toEqual({ Authorization: 'Bearer t0k3n', 'content-type': 'application/json', 'idempotency-key': '0f1e2d3c4b5a6978/2/trigger/oncall' });
  });
});

describe('dashboardLink', () => {
  it('opens the SLA screen on the policy over a range covering its window, with the group and the open breaches', () => {
    expect(dashboardLink('http://127.0.0.1:8080/', 'refund-ledger', 3_600_000, {}, 'burn')).toBe('http://127.0.0.1:8080/?view=slas&policy=refund-ledger&range=1h');
    expect(dashboardLink('https://flowlens.example.com', 'settlement-ledger', 6 * 3_600_000, { channel: 'a,b' }, 'deadline')).toBe(
      'https://flowlens.example.com/?view=slas&policy=settlement-ledger&range=6h&group=channel%3Aa%252Cb&outcome=open_breached',
    );
    expect(dashboardLink('http://x', 'p', 30 * 86_400_000, {}, 'burn')).toBe('http://x/?view=slas&policy=p&range=7d');
  });
});
