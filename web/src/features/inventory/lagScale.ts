/**
 * Scales for lag: the heat levels of the heatmap (fixed bounds people know — under 10 s is live, beyond 15 min
 * a channel sells stock it no longer has), round duration ticks for a lag axis, and time ticks for a range.
 */

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Upper bounds of heat levels 0–4; level 5 is everything beyond the last. */
export const HEAT_BOUNDS_MS = [10 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE] as const;
export type HeatLevel = 0 | 1 | 2 | 3 | 4 | 5;

/** The heat level of a lag: 0 under 10 s … 5 from 15 min. */
export function heatLevel(ms: number): HeatLevel {
  const index = HEAT_BOUNDS_MS.findIndex((bound) => ms < bound);
  return (index === -1 ? HEAT_BOUNDS_MS.length : index) as HeatLevel;
}

/** The legend of the scale, for people: "< 10 s", "10–30 s", …, "≥ 15 min". */
export const HEAT_LEGEND: readonly { level: HeatLevel; label: string }[] = [
  { level: 0, label: '< 10 s' },
  { level: 1, label: '10–30 s' },
  { level: 2, label: '30 s – 1 min' },
  { level: 3, label: '1–5 min' },
  { level: 4, label: '5–15 min' },
  { level: 5, label: '≥ 15 min' },
];

const DURATION_STEPS_MS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/** Round ticks from 0 to just above `maxMs`, at most five: 0, 30 s, 1 min, 1 min 30 s rather than 0, 27 s, 54 s. */
export function durationTicks(maxMs: number): number[] {
  const top = Math.max(maxMs, 1);
  const step = DURATION_STEPS_MS.find((s) => top / s <= 4) ?? Math.ceil(top / 4 / DAY) * DAY;
  const count = Math.max(1, Math.ceil(top / step));
  return Array.from({ length: count + 1 }, (_, i) => i * step);
}

/** A lag axis tick, short enough for the axis: "0", "500 ms", "30 s", "1.5 min", "2 h", "1.5 d". */
export function formatLagTick(ms: number): string {
  if (ms === 0) return '0';
  if (ms < SECOND) return `${ms} ms`;
  if (ms < MINUTE) return `${trim(ms / SECOND)} s`;
  if (ms < HOUR) return `${trim(ms / MINUTE)} min`;
  if (ms < DAY) return `${trim(ms / HOUR)} h`;
  return `${trim(ms / DAY)} d`;
}

function trim(value: number): string {
  return String(Math.round(value * 10) / 10);
}

const TIME_STEPS_MS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/**
 * Time ticks over [from, to] at a round step (at most seven), on whole steps of the viewer's clock:
 * `offsetMs` is the zone's offset from UTC (east positive), so hourly ticks fall on local hours.
 */
export function timeTicks(from: number, to: number, offsetMs = 0): { ticks: number[]; stepMs: number } {
  const span = Math.max(to - from, MINUTE);
  const stepMs = TIME_STEPS_MS.find((s) => span / s <= 7) ?? DAY;
  const first = Math.ceil((from + offsetMs) / stepMs) * stepMs - offsetMs;
  const ticks: number[] = [];
  for (let t = first; t <= to; t += stepMs) ticks.push(t);
  return { ticks, stepMs };
}

/** A time tick for people: "14:05" within a day's steps, "27 Nov" for whole days. */
export function formatTimeTick(t: number, stepMs: number, options: { locale?: string; timeZone?: string } = {}): string {
  const format: Intl.DateTimeFormatOptions = stepMs >= DAY ? { day: 'numeric', month: 'short' } : { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return new Intl.DateTimeFormat(options.locale, { ...format, timeZone: options.timeZone }).format(t);
}

/** The viewer's offset from UTC at `t`, east positive (what `timeTicks` takes). */
export function localOffsetMs(t: number): number {
  return -new Date(t).getTimezoneOffset() * MINUTE;
}
