import { describe, expect, it } from 'vitest';
import { alertDetail, alertItem, T0 } from './alertFixtures';
import { stateChoice } from './alertQuery';
import { alertRow, emptyMessage, filterOptions, lastNotifications, slaHref, sortAlerts } from './shapeAlerts';

const utc = { locale: 'en-GB', timeZone: 'UTC' };

describe('alert rows', () => {
  it('shows how bad, what, where, whose, and for how long', () => {
    expect(alertRow(alertItem({ group: { channel: 'amazon' } }), T0, utc)).toEqual({
      id: '0123456789abcdef',
      severity: 'critical',
      severityLabel: 'Critical',
      name: 'Refunds or settlements missing from the ledger',
      policyName: 'Refunds in the ledger within 2 min',
      group: 'channel=amazon',
      owner: 'finance',
      state: 'firing',
      stateLabel: 'Firing',
      muted: '',
      age: '11 min',
      since: 'since 13:49:00',
      fired: true,
      slaHref: '?view=slas&policy=refund-ledger&range=1h&outcome=open_breached',
      summary: expect.stringContaining('3 open past'),
    });
  });

  it('says who acknowledged or resolved it, and which mute holds it back', () => {
    const acked = alertItem({ state: 'acknowledged', acknowledged: { by: 'ana', at: T0 - 120_000, note: '' }, muted_by: [{ id: 'm', ends_at: T0 + 3_600_000, reason: 'ERP upgrade', by: 'bo' }] });
    expect(alertRow(acked, T0, utc)).toMatchObject({ age: '2 min', since: 'by ana at 13:58:00', muted: 'Muted until 15:00:00 by bo (ERP upgrade)' });
    const resolved = alertItem({ state: 'resolved', resolved: { by: 'flowlens', at: T0 - 3_600_000, note: 'condition cleared' } });
    expect(alertRow(resolved, T0, utc)).toMatchObject({ stateLabel: 'Resolved', age: '1 h', since: 'by flowlens at 13:00:00' });
  });

  it('links to the SLA screen of this dashboard, whatever address the server names', () => {
    expect(slaHref(alertItem({ link: 'https://flowlens.internal:8443/?view=slas&policy=x&group=channel:amazon' }))).toBe('?view=slas&policy=x&group=channel:amazon');
    expect(slaHref(alertItem({ link: 'not a link' }))).toBe('?view=slas&policy=refund-ledger');
  });

  it('puts firing first, then acknowledged, then pending; worst severity and longest standing first; then the history, latest first', () => {
    const alerts = [
      alertItem({ id: 'old-resolved', state: 'resolved', updated_at: T0 - 7_200_000 }),
      alertItem({ id: 'pending', state: 'pending', fired_at: null }),
      alertItem({ id: 'acked', state: 'acknowledged', acknowledged: { by: 'a', at: T0 - 1000, note: '' } }),
      alertItem({ id: 'warning', severity: 'warning', fired_at: T0 - 3_600_000 }),
      alertItem({ id: 'critical-new', fired_at: T0 - 60_000 }),
      alertItem({ id: 'critical-old', fired_at: T0 - 600_000 }),
      alertItem({ id: 'new-resolved', state: 'resolved', updated_at: T0 - 60_000 }),
    ];
    expect(sortAlerts(alerts).map((a) => a.id)).toEqual(['critical-old', 'critical-new', 'warning', 'acked', 'pending', 'new-resolved', 'old-resolved']);
  });

  it('offers each filter value with how many alerts it would show, and keeps the one in the link', () => {
    const alerts = [alertItem(), alertItem({ id: 'b', severity: 'warning', owner: 'ecommerce-ops' }), alertItem({ id: 'c', owner: 'finance' })];
    expect(filterOptions('severity', alerts, '')).toEqual([
      { value: '', label: 'Any severity' },
      { value: 'critical', label: 'Critical (2)' },
      { value: 'warning', label: 'Warning (1)' },
    ]);
    expect(filterOptions('owner', alerts, 'store-ops').map((o) => o.label)).toEqual(['Every owner', 'ecommerce-ops (1)', 'finance (2)', 'store-ops (0)']);
    expect(filterOptions('rule', alerts, '')[1]).toEqual({ value: 'money-not-booked', label: 'Refunds or settlements missing from the ledger (3)' });
  });

  it('says what an empty tab means and what is watched', () => {
    expect(emptyMessage(stateChoice('').choice, false, 'Last 24 hours')).toMatchObject({ title: 'No alerts firing', detail: expect.stringContaining('dashboards/alerts/rules.yaml'), canClear: false });
    expect(emptyMessage(stateChoice('resolved').choice, false, 'Last 24 hours')).toMatchObject({ title: 'No alerts resolved (last 24 hours)', detail: expect.stringContaining('longer range') });
    expect(emptyMessage(stateChoice('firing').choice, true, 'Last hour')).toEqual({ title: 'No firing alerts match these filters', detail: 'Clear the filters to see them all.', canClear: true });
  });
});

describe('last notification per receiver', () => {
  it('gives each receiver its latest notification, and says which send nothing', () => {
    expect(lastNotifications(alertDetail(), utc)).toEqual([
      { receiver: 'incident-log', text: 'trigger delivered 13:49:00', short: 'trigger delivered', tone: 'ok', at: T0 - 11 * 60_000 + 300 },
      { receiver: 'finance-slack', text: 'trigger failed 13:49:00', short: 'trigger failed', tone: 'bad', at: T0 - 11 * 60_000 + 900 },
      { receiver: 'oncall-pagerduty', text: 'not configured: sends nothing', short: 'not configured', tone: 'warn', at: null },
    ]);
  });

  it('lists a receiver no longer routed when it was sent to', () => {
    const detail = alertDetail({ receivers: [] });
    expect(lastNotifications(detail, utc).map((s) => s.receiver)).toEqual(['finance-slack', 'incident-log']);
  });
});
