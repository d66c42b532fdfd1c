import { describe, expect, it } from 'vitest';
import { alertRuleSchema } from '../catalog/alertSchema.js';
import { applyTransitions, episodesOf, latestEpisodes, manualTransition, stepAlerts, SYSTEM_ACTOR, type AlertEpisode, type AlertTransition } from './alertLifecycle.js';
import { alertIdOf, type AlertCondition } from './alerts.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-27T10:00:00Z');
const DEDUP = 'flowlens/stuck/order-shipped';
const ID = alertIdOf(DEDUP);
const rules = [
  alertRuleSchema.parse({ id: 'stuck', name: 'Stuck', policies: '*', condition: 'deadline', for: '2m', resolveHold: '1h' }),
  alertRuleSchema.parse({ id: 'now', name: 'At once', policies: '*', condition: 'deadline' }),
];

function condition(holds: boolean, rule = 'stuck'): AlertCondition {
  const dedup_key = `flowlens/${rule}/order-shipped`;
  return {
    alert_id: alertIdOf(dedup_key),
    dedup_key,
    rule,
    policy: 'order-shipped',
    group: {},
    severity: 'warning',
    owner: 'warehouse-ops',
    flow: 'order_to_cash',
    holds,
    details: { rule_name: 'Stuck', policy_name: 'Orders shipped', condition: 'deadline', summary: holds ? '7 open' : '0 open', facts: { objective: 0.99, attainment: 0.9, late: 0, open_breached: holds ? 7 : 0, deadline_ms: 120_000, window_ms: 3_600_000, burn: null, counted: holds ? 7 : 0, threshold: 5 } },
  };
}

/** Run evaluations at the given minutes after T0 with the condition holding or not; all transitions in order. */
function run(steps: [minute: number, holds: boolean][], start: AlertTransition[] = [], rule = 'stuck'): AlertTransition[] {
  const all = [...start];
  for (const [minute, holds] of steps) {
    all.push(...stepAlerts({ now: T0 + minute * MIN, conditions: [condition(holds, rule)], episodes: latestEpisodes(all), rules }));
  }
  return all;
}

const states = (ts: AlertTransition[]) => ts.map((t) => `${t.episode}:${t.state}`);
const latest = (ts: AlertTransition[], id = ID): AlertEpisode => latestEpisodes(ts).get(id)!;

describe('stepAlerts', () => {
  it('holds an alert pending for the rule\'s `for`, then fires it', () => {
    const ts = run([[0, true], [1, true], [2, true], [3, true]]);
    expect(states(ts)).toEqual(['1:pending', '1:firing']);
    expect(ts[1]).toMatchObject({ transition_id: `${ID}:1:firing`, at: T0 + 2 * MIN, actor: SYSTEM_ACTOR, dedup_key: DEDUP });
    expect(latest(ts)).toMatchObject({ state: 'firing', pending_since: T0, fired_at: T0 + 2 * MIN });
  });

  it('fires at once when the rule has no `for`', () => {
    expect(states(run([[0, true]], [], 'now'))).toEqual(['1:firing']);
  });

  it('closes a pending alert that clears before it fires, without firing it', () => {
    const ts = run([[0, true], [1, false], [2, true]]);
    expect(states(ts)).toEqual(['1:pending', '1:inactive', '2:pending']);
    expect(latest(ts)).toMatchObject({ episode: 2, fired_at: null });
  });

  it('resolves a firing or acknowledged alert when its condition clears, and a new breach is a new episode', () => {
    const fired = run([[0, true], [2, true]]);
    const acked = [...fired, (manualTransition(latest(fired), 'acknowledge', 'alice', 'on it', T0 + 3 * MIN) as { transition: AlertTransition }).transition];
    const ts = run([[4, false], [5, true], [7, true]], acked);
    expect(states(ts)).toEqual(['1:pending', '1:firing', '1:acknowledged', '1:resolved', '2:pending', '2:firing']);
    const [first] = episodesOf(ts);
    expect(first).toMatchObject({ episode: 1, state: 'resolved', acknowledged: { by: 'alice', at: T0 + 3 * MIN, note: 'on it' }, resolved: { by: SYSTEM_ACTOR, note: 'condition cleared' } });
  });

  it('counts an alert with no condition this time (its group left the window) as cleared', () => {
    const fired = run([[0, true]], [], 'now');
    const next = stepAlerts({ now: T0 + MIN, conditions: [], episodes: latestEpisodes(fired), rules });
    expect(states(next)).toEqual(['1:resolved']);
  });

  it('keeps a manual resolve while the condition holds, until the condition clears once', () => {
    const fired = run([[0, true]], [], 'now');
    const resolved = [...fired, (manualTransition(latest(fired, alertIdOf('flowlens/now/order-shipped')), 'resolve', 'bob', 'fix deploying', T0 + MIN) as { transition: AlertTransition }).transition];
    const ts = run([[2, true], [3, true], [4, false], [5, true]], resolved, 'now');
    expect(states(ts)).toEqual(['1:firing', '1:resolved', '1:inactive', '2:firing']);
  });

  it('fires a manually resolved alert again once the rule\'s hold has passed with the condition still holding', () => {
    const fired = run([[0, true], [2, true]]);
    const resolved = [...fired, (manualTransition(latest(fired), 'resolve', 'bob', '', T0 + 3 * MIN) as { transition: AlertTransition }).transition];
    const ts = run([[30, true], [62, true], [63, true]], resolved);
    expect(states(ts)).toEqual(['1:pending', '1:firing', '1:resolved', '2:firing']);
    expect(ts[3]).toMatchObject({ at: T0 + 63 * MIN, note: 'still breaking 1h after bob resolved it' });
  });

  it('derives the same state whatever order the rows arrive in, and counts a row written twice once', () => {
    const ts = run([[0, true], [2, true], [4, false]]);
    const shuffled = [ts[2]!, { ...ts[1]!, at: ts[1]!.at + 5 }, ts[0]!, ts[1]!];
    expect(latestEpisodes(shuffled).get(ID)).toEqual(latest(ts));
  });
});

describe('manualTransition', () => {
  const fired = run([[0, true], [2, true]]);

  it('acknowledges only a firing alert and resolves only an open one, saying why not', () => {
    const acked = manualTransition(latest(fired), 'acknowledge', 'alice', '', T0 + 3 * MIN);
    expect(acked).toMatchObject({ ok: true, transition: { transition_id: `${ID}:1:acknowledged`, actor: 'alice', state: 'acknowledged' } });
    const after = [...fired, (acked as { transition: AlertTransition }).transition];
    expect(manualTransition(latest(after), 'acknowledge', 'carol', '', T0 + 4 * MIN)).toEqual({ ok: false, reason: 'already acknowledged by alice' });
    expect(manualTransition(latest(after), 'resolve', 'carol', 'done', T0 + 4 * MIN)).toMatchObject({ ok: true, transition: { state: 'resolved', note: 'done' } });
    const closed = run([[5, false]], after);
    expect(manualTransition(latest(closed), 'resolve', 'carol', '', T0 + 6 * MIN)).toEqual({ ok: false, reason: 'it is already resolved' });
    expect(manualTransition(latest(run([[0, true]])), 'acknowledge', 'carol', '', T0)).toEqual({ ok: false, reason: 'it is pending; only a firing alert can be acknowledged' });
  });
});

describe('applyTransitions', () => {
  it('folds new transitions into the episodes as the store would derive them', () => {
    const before = run([[0, true]]);
    const next = stepAlerts({ now: T0 + 2 * MIN, conditions: [condition(true)], episodes: latestEpisodes(before), rules });
    expect(applyTransitions(latestEpisodes(before), next).get(ID)).toEqual(latest([...before, ...next]));
  });
});
