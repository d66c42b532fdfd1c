import type { AlertRule } from '../catalog/alertSchema.js';
import { formatDuration } from '../catalog/catalog.js';
import type { AlertCondition, AlertDetails, AlertLabels } from './alerts.js';

/**
 * The alert lifecycle, pure. An alert lives in episodes: each starts when its condition begins to hold and goes
 * pending (while the rule's `for` has not passed) → firing → acknowledged → resolved; `inactive` closes an episode
 * that never fired, or releases a manual resolve (below). Every step is an append-only transition whose id is
 * `<alert>:<episode>:<state>`: two servers deriving the same step write the same id, and a state is derived from
 * the furthest state its episode reached, so the order in which rows arrive never matters.
 *
 * A person may resolve an alert whose condition still holds (a fix under way, a known cause). It then stays
 * resolved until the condition clears once (the next breach is a new episode) or until the rule's `resolveHold`
 * (default 4 h) has passed with the condition still holding, when it fires again: a wrong resolve cannot silence
 * a breaking SLA for good.
 */

export const ALERT_STATES = ['pending', 'firing', 'acknowledged', 'resolved', 'inactive'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
/** The actor of the transitions the evaluation makes by itself. */
export const SYSTEM_ACTOR = 'flowlens';

const RANK: Record<AlertState, number> = { pending: 0, firing: 1, acknowledged: 2, resolved: 3, inactive: 4 };

export type AlertTransition = AlertLabels & {
  transition_id: string;
  episode: number;
  state: AlertState;
  actor: string;
  note: string;
  details: AlertDetails;
  at: number;
};

/** One episode of an alert as its transitions make it. */
export type AlertEpisode = AlertLabels & {
  episode: number;
  state: AlertState;
  details: AlertDetails;
  pending_since: number | null;
  fired_at: number | null;
  acknowledged: { by: string; at: number; note: string } | null;
  resolved: { by: string; at: number; note: string } | null;
  /** When the episode was closed for good after a manual resolve, or before it fired (`inactive`). */
  released_at: number | null;
  updated_at: number;
};

export function transitionId(alertId: string, episode: number, state: AlertState): string {
  return `${alertId}:${episode}:${state}`;
}

/** Every episode of every alert, each transition counted once (the earliest copy of an id). */
export function episodesOf(transitions: readonly AlertTransition[]): AlertEpisode[] {
  const seen = new Map<string, AlertTransition>();
  for (const t of [...transitions].sort((a, b) => a.at - b.at || a.transition_id.localeCompare(b.transition_id))) {
    if (!seen.has(t.transition_id)) seen.set(t.transition_id, t);
  }
  const episodes = new Map<string, AlertEpisode>();
  for (const t of seen.values()) {
    const key = `${t.alert_id}:${t.episode}`;
    const e = episodes.get(key) ?? { ...labelsOf(t), episode: t.episode, state: t.state, details: t.details, pending_since: null, fired_at: null, acknowledged: null, resolved: null, released_at: null, updated_at: t.at };
    if (RANK[t.state] >= RANK[e.state]) {
      e.state = t.state;
      e.details = t.details;
    }
    e.updated_at = Math.max(e.updated_at, t.at);
    if (t.state === 'pending') e.pending_since = t.at;
    if (t.state === 'firing') e.fired_at = t.at;
    if (t.state === 'acknowledged') e.acknowledged = { by: t.actor, at: t.at, note: t.note };
    if (t.state === 'resolved') e.resolved = { by: t.actor, at: t.at, note: t.note };
    if (t.state === 'inactive') e.released_at = t.at;
    episodes.set(key, e);
  }
  return [...episodes.values()];
}

/** Each alert's latest episode, by alert id. */
export function latestEpisodes(transitions: readonly AlertTransition[]): Map<string, AlertEpisode> {
  const latest = new Map<string, AlertEpisode>();
  for (const e of episodesOf(transitions)) {
    if ((latest.get(e.alert_id)?.episode ?? 0) < e.episode) latest.set(e.alert_id, e);
  }
  return latest;
}

/** An episode still open: its alert is pending, firing or acknowledged. */
export function isActive(e: Pick<AlertEpisode, 'state'>): boolean {
  return e.state === 'pending' || e.state === 'firing' || e.state === 'acknowledged';
}

/** Resolved by a person, with neither the condition cleared since nor the hold over: no new episode yet. */
function heldAfterResolve(e: AlertEpisode): boolean {
  return e.state === 'resolved' && e.resolved !== null && e.resolved.by !== SYSTEM_ACTOR;
}

type StepInput = {
  now: number;
  conditions: readonly AlertCondition[];
  /** Each alert's latest episode. */
  episodes: ReadonlyMap<string, AlertEpisode>;
  rules: readonly AlertRule[];
};

/**
 * One evaluation: the transitions the conditions call for. An alert with no condition this time (its group
 * left the window, its rule or policy is gone) counts as cleared.
 */
export function stepAlerts({ now, conditions, episodes, rules }: StepInput): AlertTransition[] {
  const rulesById = new Map(rules.map((r) => [r.id, r]));
  const byId = new Map(conditions.map((c) => [c.alert_id, c]));
  const out: AlertTransition[] = [];
  const ids = new Set([...byId.keys(), ...[...episodes.values()].filter((e) => isActive(e) || heldAfterResolve(e)).map((e) => e.alert_id)]);
  for (const id of [...ids].sort()) {
    const condition = byId.get(id);
    const e = episodes.get(id);
    const rule = rulesById.get(condition?.rule ?? e?.rule ?? '');
    const move = (episode: number, state: AlertState, note: string) => {
      const labels = condition ? labelsOf(condition) : labelsOf(e!);
      const details = condition?.details ?? e!.details;
      out.push({ ...labels, transition_id: transitionId(id, episode, state), episode, state, actor: SYSTEM_ACTOR, note, details, at: now });
    };
    const forMs = rule?.forMs ?? 0;
    const start = (note: string) => {
      const episode = (e?.episode ?? 0) + 1;
      if (forMs > 0) move(episode, 'pending', `condition holds; fires once it has held for ${formatDuration(forMs)}`);
      else move(episode, 'firing', note);
    };
    if (condition?.holds && rule) {
      if (!e || e.state === 'inactive' || (e.state === 'resolved' && !heldAfterResolve(e))) start('condition holds');
      else if (heldAfterResolve(e) && now - e.resolved!.at >= rule.resolveHoldMs) {
        // It held all along since the resolve, so the rule's `for` has long passed: fire at once.
        move(e.episode + 1, 'firing', `still breaking ${formatDuration(rule.resolveHoldMs)} after ${e.resolved!.by} resolved it`);
      } else if (e.state === 'pending' && now - (e.pending_since ?? now) >= forMs) move(e.episode, 'firing', `condition held for ${formatDuration(forMs)}`);
    } else if (e) {
      if (e.state === 'pending') move(e.episode, 'inactive', 'condition cleared before it fired');
      else if (e.state === 'firing' || e.state === 'acknowledged') move(e.episode, 'resolved', 'condition cleared');
      else if (heldAfterResolve(e)) move(e.episode, 'inactive', 'condition cleared after the manual resolve');
    }
  }
  return out;
}

export type ManualAction = 'acknowledge' | 'resolve';
export type ManualResult = { ok: true; transition: AlertTransition } | { ok: false; reason: string };

/** A person acknowledging (a firing alert) or resolving (a pending, firing or acknowledged one). */
export function manualTransition(e: AlertEpisode, action: ManualAction, actor: string, note: string, now: number): ManualResult {
  if (action === 'acknowledge' && e.state !== 'firing') {
    return { ok: false, reason: e.state === 'acknowledged' ? `already acknowledged by ${e.acknowledged?.by ?? 'someone'}` : `it is ${e.state}; only a firing alert can be acknowledged` };
  }
  if (action === 'resolve' && !isActive(e)) return { ok: false, reason: `it is already ${e.state === 'inactive' ? 'closed' : e.state}` };
  const state: AlertState = action === 'acknowledge' ? 'acknowledged' : 'resolved';
  return { ok: true, transition: { ...labelsOf(e), transition_id: transitionId(e.alert_id, e.episode, state), episode: e.episode, state, actor, note, details: e.details, at: now } };
}

/** The episodes after these transitions (each alert's latest). */
export function applyTransitions(episodes: ReadonlyMap<string, AlertEpisode>, transitions: readonly AlertTransition[]): Map<string, AlertEpisode> {
  const out = new Map(episodes);
  const touched = new Set(transitions.map((t) => t.alert_id));
  for (const id of touched) {
    const previous = episodes.get(id);
    const own = transitions.filter((t) => t.alert_id === id);
    const episode = Math.max(...own.map((t) => t.episode));
    const base = previous && previous.episode === episode ? synthesize(previous) : [];
    const [next] = episodesOf([...base, ...own.filter((t) => t.episode === episode)]);
    if (next) out.set(id, next);
  }
  return out;
}

/** Transitions that rebuild an episode (to fold new ones into it). */
function synthesize(e: AlertEpisode): AlertTransition[] {
  const t = (state: AlertState, at: number, actor = SYSTEM_ACTOR, note = ''): AlertTransition => ({ ...labelsOf(e), transition_id: transitionId(e.alert_id, e.episode, state), episode: e.episode, state, actor, note, details: e.details, at });
  return [
    ...(e.pending_since === null ? [] : [t('pending', e.pending_since)]),
    ...(e.fired_at === null ? [] : [t('firing', e.fired_at)]),
    ...(e.acknowledged ? [t('acknowledged', e.acknowledged.at, e.acknowledged.by, e.acknowledged.note)] : []),
    ...(e.resolved ? [t('resolved', e.resolved.at, e.resolved.by, e.resolved.note)] : []),
    ...(e.released_at === null ? [] : [t('inactive', e.released_at)]),
  ];
}

function labelsOf(a: AlertLabels): AlertLabels {
  return { alert_id: a.alert_id, dedup_key: a.dedup_key, rule: a.rule, policy: a.policy, group: a.group, severity: a.severity, owner: a.owner, flow: a.flow };
}
