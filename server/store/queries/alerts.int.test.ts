import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestEpisodes, transitionId, type AlertState, type AlertTransition } from '../../domain/alertLifecycle.js';
import { openStore, type StoreClients } from '../clickhouse.js';
import { migrate } from '../migrate.js';
import { schemaFor } from '../schema.js';
import {
  alertTransitionsSince,
  appendAlertTransitions,
  appendMuteRows,
  appendNotificationRows,
  latestEpisodeTransitions,
  mutesEndingAfter,
  notificationRecord,
  notificationStates,
  notificationsOfAlert,
  type NotificationRow,
} from './alerts.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-alerts-'));
const T0 = Date.parse('2026-11-27T10:00:00Z');
const MIN = 60_000;
let store: StoreClients;

function transition(alert: string, episode: number, state: AlertState, minute: number, actor = 'flowlens'): AlertTransition {
  return {
    transition_id: transitionId(alert, episode, state),
    alert_id: alert,
    dedup_key: `flowlens/burn/${alert}`,
    rule: 'burn',
    policy: 'refund-ledger',
    group: { channel: 'amazon' },
    episode,
    state,
    severity: 'critical',
    owner: 'finance',
    flow: 'return_to_refund',
    actor,
    note: '',
    details: { rule_name: 'Burn', policy_name: 'Refunds', condition: 'burn', summary: `${state} at ${minute}`, facts: { objective: 0.99, attainment: 0.5, late: 0, open_breached: 2, deadline_ms: 1, window_ms: 2, burn: null, counted: null, threshold: null } },
    at: T0 + minute * MIN,
  };
}

const row = (id: string, status: NotificationRow['status'], attempt: number, minute: number, response = ''): NotificationRow => ({
  notification_id: id,
  alert_id: 'a1',
  episode: 2,
  receiver: 'pd',
  action: 'trigger',
  status,
  attempt,
  response,
  instance: 'server-1',
  at: T0 + minute * MIN,
});

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  await appendAlertTransitions(store.ingest, schema, [transition('a1', 1, 'firing', 0), transition('a1', 1, 'resolved', 5), transition('a2', 1, 'pending', 1)]);
  // The same step derived by a second server a moment later, and a human acknowledgement.
  await appendAlertTransitions(store.ingest, schema, [{ ...transition('a1', 1, 'firing', 0), at: T0 + 1 }, transition('a1', 2, 'firing', 10), transition('a1', 2, 'acknowledged', 12, 'alice')]);
  await appendNotificationRows(store.ingest, schema, [row('a1/2/trigger/pd', 'claimed', 1, 10), row('a1/2/trigger/pd', 'retrying', 1, 10, '500'), row('a1/2/trigger/pd', 'delivered', 2, 10, '202')]);
  await appendNotificationRows(store.ingest, schema, [row('a1/2/trigger/slack', 'claimed', 1, 10), row('a1/2/trigger/slack', 'rejected', 1, 10, '404 no_service')]);
  await appendNotificationRows(store.ingest, schema, [row('a1/2/acknowledge/pd', 'suppressed', 0, 12, 'm1')]);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('alert transitions', () => {
  it('reads each transition once, its first copy, in time order, with what it was decided on', async () => {
    const all = await alertTransitionsSince(store.query, schema, T0 - MIN);
    expect(all.map((t) => [t.transition_id, t.at])).toEqual([
      ['a1:1:firing', T0],
      ['a2:1:pending', T0 + MIN],
      ['a1:1:resolved', T0 + 5 * MIN],
      ['a1:2:firing', T0 + 10 * MIN],
      ['a1:2:acknowledged', T0 + 12 * MIN],
    ]);
    expect(all[4]).toEqual(transition('a1', 2, 'acknowledged', 12, 'alice'));
    expect((await alertTransitionsSince(store.query, schema, T0 + 2 * MIN, 'a1')).map((t) => t.transition_id)).toEqual(['a1:1:resolved', 'a1:2:firing', 'a1:2:acknowledged']);
  });

  it('reads only each alert\'s latest episode for the evaluation', async () => {
    const latest = latestEpisodes(await latestEpisodeTransitions(store.query, schema, T0 - MIN));
    expect([...latest.values()].map((e) => [e.alert_id, e.episode, e.state, e.acknowledged?.by ?? null])).toEqual([
      ['a2', 1, 'pending', null],
      ['a1', 2, 'acknowledged', 'alice'],
    ]);
  });
});

describe('alert notifications', () => {
  it('sums each notification up: delivered when, refused for good, held back by which mutes', async () => {
    const states = await notificationStates(store.query, schema, [{ alert_id: 'a1', episode: 2 }], T0);
    expect(Object.fromEntries(states)).toEqual({
      'a1/2/trigger/pd': { delivered_at: T0 + 10 * MIN, rejected: false, suppressed_by: [] },
      'a1/2/trigger/slack': { delivered_at: null, rejected: true, suppressed_by: [] },
      'a1/2/acknowledge/pd': { delivered_at: null, rejected: false, suppressed_by: ['m1'] },
    });
    expect(await notificationStates(store.query, schema, [{ alert_id: 'a1', episode: 1 }], T0)).toEqual(new Map());
  });

  it('keeps every attempt of a notification, claim first', async () => {
    const record = await notificationRecord(store.query, schema, 'a1', 'a1/2/trigger/pd');
    expect(record.map((r) => [r.status, r.attempt, r.response])).toEqual([
      ['claimed', 1, ''],
      ['retrying', 1, '500'],
      ['delivered', 2, '202'],
    ]);
    expect((await notificationsOfAlert(store.query, schema, 'a1', T0)).map((r) => r.notification_id)).toHaveLength(6);
  });
});

describe('alert mutes', () => {
  it('lists mutes not yet over, with who ended one early', async () => {
    await appendMuteRows(store.ingest, schema, [
      { mute_id: 'm1', action: 'create', matcher: { policy: 'refund-ledger' }, starts_at: T0, ends_at: T0 + 60 * MIN, reason: 'ERP maintenance', actor: 'alice', at: T0 },
      { mute_id: 'm2', action: 'create', matcher: { owner: 'finance' }, starts_at: T0, ends_at: T0 + 30 * MIN, reason: 'month end', actor: 'bob', at: T0 },
      { mute_id: 'm0', action: 'create', matcher: { owner: 'finance' }, starts_at: T0 - 60 * MIN, ends_at: T0 - MIN, reason: 'old', actor: 'bob', at: T0 - 60 * MIN },
    ]);
    await appendMuteRows(store.ingest, schema, [{ mute_id: 'm2', action: 'end', matcher: { owner: 'finance' }, starts_at: T0, ends_at: T0 + 30 * MIN, reason: '', actor: 'carol', at: T0 + 5 * MIN }]);

    const mutes = await mutesEndingAfter(store.query, schema, T0);
    expect(mutes.map((m) => [m.mute_id, m.matcher, m.reason, m.created_by, m.ended])).toEqual([
      ['m1', { policy: 'refund-ledger' }, 'ERP maintenance', 'alice', null],
      ['m2', { owner: 'finance' }, 'month end', 'bob', { by: 'carol', at: T0 + 5 * MIN }],
    ]);
  });
});
