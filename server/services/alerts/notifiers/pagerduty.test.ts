import { describe, expect, it } from 'vitest';
import { pagerDutyEvent, pagerDutyRequest } from './pagerduty.js';
import { sampleNotice } from './noticeFixtures.js';

const receiver = { id: 'oncall', type: 'pagerduty' as const, routingKey: 'R0UT1NGKEY', eventsUrl: 'https://events.pagerduty.com/v2/enqueue', missing: [] };

describe('PagerDuty Events API v2', () => {
  it('triggers with the payload the API asks for: summary, source, severity, timestamp, component, group, class, custom details', () => {
    const event = pagerDutyEvent(receiver, sampleNotice());
    expect(event).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'flowlens/money-not-booked/refund-ledger/channel=amazon',
      client: 'Flowlens',
      client_url: sampleNotice().link,
      links: [{ href: sampleNotice().link, text: 'Open the SLA in Flowlens' }],
      payload: {
        summary: sampleNotice().details.summary,
        source: '127.0.0.1:8080',
        severity: 'critical',
        timestamp: '2026-11-27T10:02:00.000Z',
        component: 'return_to_refund',
        group: 'finance',
        class: 'sla_deadline',
        custom_details: { policy: 'refund-ledger', attainment: '66.6 %', objective: '99 %', open_past_deadline: 3, group: 'channel=amazon', link: sampleNotice().link },
      },
    });
  });

  it('acknowledges and resolves the same alert by the same dedup key, with no payload', () => {
    const trigger = pagerDutyEvent(receiver, sampleNotice());
    const ack = pagerDutyEvent(receiver, sampleNotice({ action: 'acknowledge' }, { state: 'acknowledged', acknowledged: { by: 'alice', at: 1, note: '' } }));
    const resolve = pagerDutyEvent(receiver, sampleNotice({ action: 'resolve' }, { state: 'resolved' }));
    expect([ack.event_action, resolve.event_action]).toEqual(['acknowledge', 'resolve']);
    expect(new Set([trigger.dedup_key, ack.dedup_key, resolve.dedup_key]).size).toBe(1);
    expect(ack).not.toHaveProperty('payload');
    expect(resolve).not.toHaveProperty('payload');
    expect(Object.keys(resolve).sort()).toEqual(['dedup_key', 'event_action', 'links', 'routing_key']);
  });

  it('sends a reminder as another trigger of the same alert, and keeps the summary within 1024 characters', () => {
    const reminder = pagerDutyEvent(receiver, sampleNotice({ action: 'renotify', renotify: 2 })) as { event_action: string; payload: { summary: string } };
    expect(reminder.event_action).toBe('trigger');
    expect(reminder.payload.summary).toMatch(/^\[reminder 2\] Refunds in the ledger/);
    const long = sampleNotice();
    long.details = { ...long.details, summary: 'x'.repeat(2000) };
    expect((pagerDutyEvent(receiver, long) as { payload: { summary: string } }).payload.summary).toHaveLength(1024);
  });

  it('posts JSON to the configured events URL', () => {
    const request = pagerDutyRequest({ ...receiver, eventsUrl: 'http://127.0.0.1:9/v2/enqueue' }, sampleNotice());
    expect(request.url).toBe('http://127.0.0.1:9/v2/enqueue');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(pagerDutyEvent(receiver, sampleNotice()));
  });
});
