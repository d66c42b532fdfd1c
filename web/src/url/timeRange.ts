import { RELATIVE_RANGES, type RelativeRange } from '../api/contracts';

/**
 * The time range a view shows, as kept in the URL: `?range=1h` (the last hour, moving with now) or
 * `?from=2026-11-27T10:00:00Z&to=2026-11-27T11:00:00Z` (fixed, so a pasted link shows what its sender saw).
 */
export type TimeRange = { kind: 'relative'; range: RelativeRange } | { kind: 'absolute'; from: number; to: number };

export const RANGE_MS: Readonly<Record<RelativeRange, number>> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

export const RANGE_LABELS: Readonly<Record<RelativeRange, string>> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
};

/** The longest range the answers accept (inventory lag, exceptions): seven days. */
export const MAX_RANGE_MS = RANGE_MS['7d'];

export type RangeParams = { range: string; from: string; to: string };

/**
 * The range the URL asks for: a valid absolute pair wins, then a known relative range, else the view's default.
 * A broken link falls back rather than showing nothing; `problem` says what was wrong with it.
 */
export function parseTimeRange(params: RangeParams, fallback: RelativeRange): { range: TimeRange; problem?: string } {
  if (params.from !== '' || params.to !== '') {
    const from = parseInstant(params.from);
    const to = parseInstant(params.to);
    const problem =
      from === undefined ? `"from" (${params.from || 'missing'}) is not a time` :
      to === undefined ? `"to" (${params.to || 'missing'}) is not a time` :
      from >= to ? '"from" is not before "to"' :
      to - from > MAX_RANGE_MS ? 'the range is longer than 7 days' : undefined;
    if (problem === undefined) return { range: { kind: 'absolute', from: from!, to: to! } };
    return { range: { kind: 'relative', range: fallback }, problem: `The link's time range was ignored: ${problem}.` };
  }
  if (params.range === '') return { range: { kind: 'relative', range: fallback } };
  if ((RELATIVE_RANGES as readonly string[]).includes(params.range)) return { range: { kind: 'relative', range: params.range as RelativeRange } };
  return { range: { kind: 'relative', range: fallback }, problem: `The link's range "${params.range}" is not one of ${RELATIVE_RANGES.join(', ')}; showing ${RANGE_LABELS[fallback].toLowerCase()}.` };
}

/** The URL parameters for a range (all three, so setting one clears the others). */
export function rangeParams(range: TimeRange): RangeParams {
  if (range.kind === 'relative') return { range: range.range, from: '', to: '' };
  return { range: '', from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
}

/** Epoch milliseconds [from, to) at `now`: a relative range ends now, to the second, so refetches share cache. */
export function resolveTimeRange(range: TimeRange, now: number): { from: number; to: number } {
  if (range.kind === 'absolute') return { from: range.from, to: range.to };
  const to = Math.floor(now / 1000) * 1000;
  return { from: to - RANGE_MS[range.range], to };
}

/** A stable part of a TanStack Query key: relative ranges key on their name, absolute ones on their bounds. */
export function timeRangeKey(range: TimeRange): string {
  return range.kind === 'relative' ? range.range : `${range.from}-${range.to}`;
}

/** "Last hour", or "27 Nov, 10:00 – 11:00" in the viewer's zone (or the one given, in tests). */
export function describeTimeRange(range: TimeRange, options: { locale?: string; timeZone?: string } = {}): string {
  if (range.kind === 'relative') return RANGE_LABELS[range.range];
  const day = (ms: number) => new Intl.DateTimeFormat(options.locale, { day: 'numeric', month: 'short', timeZone: options.timeZone }).format(ms);
  const clock = (ms: number) => new Intl.DateTimeFormat(options.locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: options.timeZone }).format(ms);
  const sameDay = day(range.from) === day(range.to - 1);
  return sameDay ? `${day(range.from)}, ${clock(range.from)} – ${clock(range.to)}` : `${day(range.from)}, ${clock(range.from)} – ${day(range.to)}, ${clock(range.to)}`;
}

/** ISO 8601 or epoch milliseconds. */
function parseInstant(text: string): number | undefined {
  if (text === '') return undefined;
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isFinite(value) ? value : undefined;
}
