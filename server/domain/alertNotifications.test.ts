import { describe, expect, it } from 'vitest';
import { alertRoutesSchema } from '../catalog/alertSchema.js';
import type { AlertEpisode } from './alertLifecycle.js';
import { alertIdOf } from './alerts.js';
import { activeMutes, muteMatches, notificationId, notificationsDue, receiversFor, type Mute, type SentState } from './alertNotifications.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-27T10:00:00Z');
const ID = alertIdOf('flowlens/burn/refund-ledger');

const { routes } = alertRoutesSchema.parse({
  schemaVersion: 1,
  receivers: [
    { id: 'log', type: 'webhook', url: 'http://127.0.0.1:1/log' },
    { id: 'pd', type: 'pagerduty', routingKey: 'k' },
    { id: 'finance', type: 'slack', url: 'http://127.0.0.1:1/slack' },
  ],
  routes: [
    { name: 'log everything', receivers: ['log'], continue: true },
    { name: 'page critical', match: { severity: 'critical' }, receivers: ['pd'], renotifyEvery: '30m', continue: true },
    { name: 'finance', match: { owner: 'finance' }, receivers: ['finance', 'log'] },
    { name: 'never reached for finance', receivers: ['pd'] },
  ],
});

function episode(fields: Partial<AlertEpisode> = {}): AlertEpisode {
  return {
    alert_id: ID,
    dedup_key: 'flowlens/burn/refund-ledger',
    rule: 'burn',
    policy: 'refund-ledger',
    group: { channel: 'amazon' },
    severity: 'critical',
    owner: 'finance',
    flow: 'return_to_refund',
    episode: 3,
    state: 'firing',
    details: { rule_name: 'Burn', policy_name: 'Refunds in the ledger', condition: 'burn', summary: 's', facts: { objective: 0.99, attainment: 0.5, late: 1, open_breached: 1, deadline_ms: 120_000, window_ms: 3_600_000, burn: null, counted: null, threshold: null } },
    pending_since: T0,
    fired_at: T0,
    acknowledged: null,
    resolved: null,
    released_at: null,
    updated_at: T0,
    ...fields,
  };
}

const delivered = (at: number): SentState => ({ delivered_at: at, rejected: false, suppressed_by: [] });
const due = (e: AlertEpisode, now: number, sent: [string, SentState][] = [], mutes: Mute[] = []) =>
  notificationsDue({ now, episodes: [e], routes, mutes, sent: new Map(sent) });
const ids = (r: { due: { notification_id: string }[] }) => r.due.map((n) => n.notification_id);

describe('receiversFor', () => {
  it('takes routes in order, passes an alert on only past `continue`, and keeps the first interval of a receiver', () => {
    expect(receiversFor({ severity: 'critical', owner: 'finance', flow: 'f', policy: 'p', rule: 'r' }, routes)).toEqual([
      { receiver: 'log', renotifyMs: 3_600_000 },
      { receiver: 'pd', renotifyMs: 30 * MIN },
      { receiver: 'finance', renotifyMs: 3_600_000 },
    ]);
    expect(receiversFor({ severity: 'warning', owner: 'store-ops', flow: 'f', policy: 'p', rule: 'r' }, routes).map((r) => r.receiver)).toEqual(['log', 'pd']);
  });
});

describe('notificationsDue', () => {
  it('owes each receiver one trigger per episode, with an id that is the same on every server', () => {
    const result = due(episode(), T0);
    expect(ids(result)).toEqual([`${ID}/3/trigger/log`, `${ID}/3/trigger/pd`, `${ID}/3/trigger/finance`]);
    expect(notificationId(ID, 3, 'trigger', 'pd')).toBe(`${ID}/3/trigger/pd`);
    // Delivered once: nothing more is owed until a reminder is due.
    const sent: [string, SentState][] = ids(result).map((id) => [id, delivered(T0)]);
    expect(ids(due(episode(), T0 + 29 * MIN, sent))).toEqual([]);
  });

  it('owes nothing for an episode that never fired', () => {
    expect(ids(due(episode({ state: 'pending', fired_at: null }), T0))).toEqual([]);
  });

  it('reminds every route interval after the last delivery while firing and unacknowledged, numbered by reminders delivered', () => {
    const sent: [string, SentState][] = [[`${ID}/3/trigger/pd`, delivered(T0)], [`${ID}/3/trigger/log`, delivered(T0)], [`${ID}/3/trigger/finance`, delivered(T0)]];
    expect(ids(due(episode(), T0 + 30 * MIN, sent))).toEqual([`${ID}/3/renotify-1/pd`]);
    sent.push([`${ID}/3/renotify-1/pd`, delivered(T0 + 31 * MIN)]);
    expect(ids(due(episode(), T0 + 60 * MIN, sent))).toEqual([`${ID}/3/renotify-1/log`, `${ID}/3/renotify-1/finance`]);
    expect(ids(due(episode(), T0 + 61 * MIN, sent.slice(0, 4)))).toContain(`${ID}/3/renotify-2/pd`);
    // Acknowledged: no more reminders, and the acknowledgement is owed where the trigger went.
    expect(ids(due(episode({ state: 'acknowledged' }), T0 + 90 * MIN, sent))).toEqual([`${ID}/3/acknowledge/log`, `${ID}/3/acknowledge/pd`, `${ID}/3/acknowledge/finance`]);
  });

  it('owes a resolve only to receivers the trigger reached, and keeps owing it until delivered or refused', () => {
    const resolved = episode({ state: 'resolved', resolved: { by: 'flowlens', at: T0 + 5 * MIN, note: '' } });
    expect(ids(due(resolved, T0 + 5 * MIN, [[`${ID}/3/trigger/pd`, delivered(T0)]]))).toEqual([`${ID}/3/resolve/pd`]);
    expect(ids(due(resolved, T0 + 6 * MIN, [[`${ID}/3/trigger/pd`, delivered(T0)], [`${ID}/3/resolve/pd`, { delivered_at: null, rejected: true, suppressed_by: [] }]]))).toEqual([]);
    // A day after it closed, a receiver that never answered is given up on.
    expect(ids(due(resolved, T0 + 5 * MIN + 24 * 60 * MIN + 1, [[`${ID}/3/trigger/pd`, delivered(T0)]]))).toEqual([]);
  });

  it('holds back triggers while a matching mute lasts, sends them when it ends, and never holds back a resolve', () => {
    const mute: Mute = { mute_id: 'm1', matcher: { policy: 'refund-ledger' }, starts_at: T0 - MIN, ends_at: T0 + 10 * MIN, reason: 'ERP maintenance', created_by: 'alice', created_at: T0 - MIN };
    const muted = due(episode(), T0 + MIN, [], [mute]);
    expect(muted.due).toEqual([]);
    expect(muted.suppressed.map((s) => [s.notification_id, s.mute_id])).toEqual([[`${ID}/3/trigger/log`, 'm1'], [`${ID}/3/trigger/pd`, 'm1'], [`${ID}/3/trigger/finance`, 'm1']]);
    expect(ids(due(episode(), T0 + 10 * MIN, [], [mute]))).toHaveLength(3);

    const resolved = episode({ state: 'resolved', resolved: { by: 'flowlens', at: T0 + 2 * MIN, note: '' } });
    expect(ids(due(resolved, T0 + 3 * MIN, [[`${ID}/3/trigger/pd`, delivered(T0)]], [mute]))).toEqual([`${ID}/3/resolve/pd`]);
  });
});

describe('mutes', () => {
  const labels = episode();

  it('match on every field they name, group values included; a mute naming nothing matches nothing', () => {
    expect(muteMatches({ owner: 'finance', severity: 'critical' }, labels)).toBe(true);
    expect(muteMatches({ owner: 'finance', severity: 'warning' }, labels)).toBe(false);
    expect(muteMatches({ group: { channel: 'amazon' } }, labels)).toBe(true);
    expect(muteMatches({ group: { channel: 'shopify' } }, labels)).toBe(false);
    expect(muteMatches({ alert_id: ID }, labels)).toBe(true);
    expect(muteMatches({}, labels)).toBe(false);
  });

  it('are in force from their start up to their end time', () => {
    const mute: Mute = { mute_id: 'm', matcher: { rule: 'burn' }, starts_at: T0, ends_at: T0 + MIN, reason: 'r', created_by: 'a', created_at: T0 };
    expect([T0 - 1, T0, T0 + MIN - 1, T0 + MIN].map((now) => activeMutes(labels, [mute], now).length)).toEqual([0, 1, 1, 0]);
  });
});
