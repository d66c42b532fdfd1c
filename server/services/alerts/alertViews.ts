import type { AlertApiState, AlertDetail, AlertFilter, AlertItem, AlertList, MuteItem } from '../../contracts/alertApi.js';
import { isActive, type AlertEpisode, type AlertTransition } from '../../domain/alertLifecycle.js';
import { activeMutes, type Mute } from '../../domain/alertNotifications.js';
import type { MuteState } from '../../store/queries/alerts.js';
import { dashboardLink } from './notifiers/notice.js';

/** How alerts and mutes are shown by the API: plain shaping of episodes, transitions and mutes. */

/** The state a person reads: a manual resolve released later is still `resolved`. */
export function shownState(e: Pick<AlertEpisode, 'state' | 'fired_at'>): AlertApiState {
  return e.state === 'inactive' && e.fired_at !== null ? 'resolved' : e.state;
}

/** A mute as it acts: ended early, it ends when it was ended. */
export function effectiveMute(m: MuteState): Mute {
  return { ...m, ends_at: m.ended ? Math.min(m.ends_at, m.ended.at) : m.ends_at };
}

export function alertItem(e: AlertEpisode, mutes: readonly Mute[], publicUrl: string, now: number): AlertItem {
  const muted = isActive(e) ? activeMutes(e, mutes, now) : [];
  return {
    id: e.alert_id,
    dedup_key: e.dedup_key,
    rule: e.rule,
    rule_name: e.details.rule_name,
    condition: e.details.condition,
    policy: e.policy,
    policy_name: e.details.policy_name,
    flow: e.flow,
    owner: e.owner,
    severity: e.severity,
    group: e.group,
    episode: e.episode,
    state: shownState(e),
    summary: e.details.summary,
    facts: e.details.facts,
    pending_since: e.pending_since,
    fired_at: e.fired_at,
    acknowledged: e.acknowledged,
    resolved: e.resolved,
    muted_by: muted.map((m) => ({ id: m.mute_id, ends_at: m.ends_at, reason: m.reason, by: m.created_by })),
    updated_at: e.updated_at,
    link: dashboardLink(publicUrl, e.policy, e.details.facts.window_ms, e.group, e.details.condition),
  };
}

export type ListQuery = { states: readonly AlertFilter[]; lookbackMs: number; limit: number; offset: number };

/**
 * A page of alerts (each alert's latest episode) in the asked states, most recently changed first. Open alerts
 * are always listed; closed ones only when they changed within the lookback.
 */
export function alertList(latest: Iterable<AlertEpisode>, mutes: readonly Mute[], q: ListQuery, publicUrl: string, now: number): AlertList {
  const items = [...latest]
    .filter((e) => isActive(e) || now - e.updated_at <= q.lookbackMs)
    .map((e) => alertItem(e, mutes, publicUrl, now))
    .sort((a, b) => b.updated_at - a.updated_at || a.id.localeCompare(b.id));
  const counts = { pending: 0, firing: 0, acknowledged: 0, resolved: 0, inactive: 0, muted: 0 };
  for (const item of items) {
    counts[item.state]++;
    if (item.muted_by.length > 0) counts.muted++;
  }
  const wanted = items.filter((item) => q.states.some((s) => (s === 'muted' ? item.muted_by.length > 0 : item.state === s)));
  return { at: now, lookback_ms: q.lookbackMs, states: [...q.states], total: wanted.length, offset: q.offset, alerts: wanted.slice(q.offset, q.offset + q.limit), counts };
}

/** One step of the history as it was recorded (`inactive` closes an episode; its note says why). */
export function transitionItem(t: AlertTransition): AlertDetail['transitions'][number] {
  return { id: t.transition_id, episode: t.episode, state: t.state, actor: t.actor, note: t.note, summary: t.details.summary, at: t.at };
}

export function muteItem(m: MuteState, now: number): MuteItem {
  const effective = effectiveMute(m);
  return {
    id: m.mute_id,
    matcher: m.matcher,
    starts_at: m.starts_at,
    ends_at: m.ends_at,
    reason: m.reason,
    created_by: m.created_by,
    created_at: m.created_at,
    ended: m.ended,
    active: effective.starts_at <= now && now < effective.ends_at,
  };
}
