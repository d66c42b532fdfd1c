import { ALERT_STATES, type AlertFilter, type AlertItem, type AlertList } from '../../api/contracts';
import { RANGE_MS, timeRangeKey, type TimeRange } from '../../url/timeRange';

/**
 * The Alerts screen's link: `state` (which alerts), `owner`, `severity` and `rule` (narrowing them), `page`, and the
 * open alert (`alert`); the time range is how far back closed alerts (the history) are listed. Open alerts are
 * listed whatever the range: an alert firing for two days is still firing.
 */
export const FILTER_PARAMS = ['owner', 'severity', 'rule'] as const;
export type AlertFilterParam = (typeof FILTER_PARAMS)[number];
export type AlertFilters = Readonly<Record<AlertFilterParam, string>>;

export type StateChoice = { value: string; label: string; states: readonly AlertFilter[] };

/** The tabs of the screen, in the order on-call reads them; the first (no `state` in the link) is the default. */
export const STATE_CHOICES: readonly StateChoice[] = [
  { value: '', label: 'Open', states: ['pending', 'firing', 'acknowledged'] },
  { value: 'firing', label: 'Firing', states: ['firing'] },
  { value: 'acknowledged', label: 'Acknowledged', states: ['acknowledged'] },
  { value: 'muted', label: 'Muted', states: ['muted'] },
  { value: 'pending', label: 'Pending', states: ['pending'] },
  { value: 'resolved', label: 'Resolved', states: ['resolved'] },
  { value: 'all', label: 'All', states: [...ALERT_STATES] },
];

/** The tab a link asks for; an unknown one falls back to the default and says so. */
export function stateChoice(text: string): { choice: StateChoice; problem?: string } {
  const found = STATE_CHOICES.find((c) => c.value === text);
  if (found !== undefined) return { choice: found };
  return { choice: STATE_CHOICES[0]!, problem: `The link's state "${text}" is not one of ${STATE_CHOICES.slice(1).map((c) => c.value).join(', ')}; showing open alerts.` };
}

/** How many alerts a tab holds, from the answer's counts (counted over every alert, whichever tab was asked). */
export function choiceCount(choice: StateChoice, counts: AlertList['counts']): number {
  return choice.states.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
}

const MIN_LOOKBACK_S = 60;
const MAX_LOOKBACK_S = 90 * 86_400;
/** Enough for every alert a catalog makes (one per rule, policy and group); the screen filters and pages them. */
export const LIST_LIMIT = 500;

/** The lookback that covers a range: a relative range's length, or back to the start of a fixed one. */
export function lookbackSeconds(range: TimeRange | undefined, now: number): number {
  const ms = range === undefined ? RANGE_MS['24h'] : range.kind === 'relative' ? RANGE_MS[range.range] : now - range.from;
  return Math.min(MAX_LOOKBACK_S, Math.max(MIN_LOOKBACK_S, Math.ceil(ms / 1000)));
}

/** The `GET /api/v1/alerts` query string of a tab over a range. */
export function alertListParams(choice: StateChoice, range: TimeRange | undefined, now: number): URLSearchParams {
  return new URLSearchParams({ state: choice.states.join(','), lookback: String(lookbackSeconds(range, now)), limit: String(LIST_LIMIT) });
}

/** A cache key that does not move with the clock: the tab and the range's name or bounds. */
export function alertListSearchKey(choice: StateChoice, range: TimeRange | undefined): string {
  return `${choice.value || 'open'}|${range === undefined ? 'default' : timeRangeKey(range)}`;
}

const OPEN: readonly string[] = ['pending', 'firing', 'acknowledged'];

export function isOpen(alert: Pick<AlertItem, 'state'>): boolean {
  return OPEN.includes(alert.state);
}

/**
 * Alerts within a fixed range: open ones always, closed ones last changed inside it (the API reads back from now,
 * so the range's end is applied here).
 */
export function withinRange(alerts: readonly AlertItem[], range: TimeRange | undefined): AlertItem[] {
  if (range?.kind !== 'absolute') return [...alerts];
  return alerts.filter((a) => isOpen(a) || (a.updated_at >= range.from && a.updated_at < range.to));
}

export function matchesFilters(alert: AlertItem, filters: AlertFilters): boolean {
  return (filters.owner === '' || alert.owner === filters.owner) && (filters.severity === '' || alert.severity === filters.severity) && (filters.rule === '' || alert.rule === filters.rule);
}

export function hasActiveFilters(filters: AlertFilters): boolean {
  return FILTER_PARAMS.some((p) => filters[p] !== '');
}

/** Every filter cleared, and the page: for setUrlParams. */
export function clearedFilters(): Record<AlertFilterParam | 'page', ''> {
  return { owner: '', severity: '', rule: '', page: '' };
}

/** `?page=` as a page number from 1; anything else is the first page. */
export function parsePage(text: string): number {
  const page = Number(text);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}
