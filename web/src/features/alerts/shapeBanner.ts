import type { AlertItem, AlertList } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { groupText, severityLabel, severityRank } from './severity';

/** Where the banner leads: the Alerts screen on its Firing tab. */
export const FIRING_HREF = `?${new URLSearchParams({ view: 'alerts', state: 'firing' })}`;

export type Banner =
  | { tone: 'alarm'; count: number; headline: string; worst: string; severity: string; href: string }
  | { tone: 'quiet'; text: string; href: string }
  | { tone: 'unknown'; text: string };

/** Firing, nobody has acknowledged it, and no mute holds it back: what needs someone now. */
export function needsSomeone(alerts: readonly AlertItem[]): AlertItem[] {
  return alerts.filter((a) => a.state === 'firing' && a.muted_by.length === 0);
}

/** The worst of them: the highest severity, then the one firing longest. */
export function worstAlert(alerts: readonly AlertItem[]): AlertItem | undefined {
  return [...alerts].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.fired_at ?? a.updated_at) - (b.fired_at ?? b.updated_at) || a.id.localeCompare(b.id))[0];
}

/**
 * What the banner on every screen says, from `GET /api/v1/alerts?state=firing`: how many alerts are firing and not
 * acknowledged and the worst of them, or that none is (with how many are acknowledged or muted, so a quiet banner
 * is not mistaken for a quiet estate).
 */
export function alertBanner(list: AlertList | undefined, failure: string | undefined): Banner {
  if (list === undefined) return { tone: 'unknown', text: failure === undefined ? 'Checking for firing alerts…' : `Could not check for firing alerts: ${failure}` };
  const open = needsSomeone(list.alerts);
  const worst = worstAlert(open);
  if (worst !== undefined) {
    const group = groupText(worst.group);
    return {
      tone: 'alarm',
      count: open.length,
      headline: `${formatCount(open.length)} ${open.length === 1 ? 'alert' : 'alerts'} firing, not acknowledged`,
      worst: `${worst.rule_name}: ${worst.policy_name}${group === '' ? '' : ` [${group}]`}, firing for ${formatDuration(Math.max(0, list.at - (worst.fired_at ?? list.at)))}`,
      severity: severityLabel(worst.severity),
      href: FIRING_HREF,
    };
  }
  const muted = list.alerts.filter((a) => a.state === 'firing').length;
  const extras = [
    muted > 0 ? `${formatCount(muted)} firing but muted` : '',
    list.counts.acknowledged > 0 ? `${formatCount(list.counts.acknowledged)} acknowledged` : '',
  ].filter((t) => t !== '');
  return { tone: 'quiet', text: [muted > 0 ? 'No unmuted alert firing' : 'No alerts firing', ...extras].join(' · '), href: `?${new URLSearchParams({ view: 'alerts' })}` };
}
