/** Times for people, in the viewer's time zone unless told otherwise (tests pin locale and zone). */
export type TimeFormatOptions = { locale?: string; timeZone?: string };

/** Axis ticks and tooltips: "14:03:07". */
export function formatClock(epochMs: number, options: TimeFormatOptions = {}): string {
  if (!Number.isFinite(epochMs)) return INVALID_TIME;
  return new Intl.DateTimeFormat(options.locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: options.timeZone,
  }).format(epochMs);
}

/** Timeline rows: "27 Nov 2026, 14:03:07.123" — milliseconds matter when steps are close together. */
export function formatTimestamp(epochMs: number, options: TimeFormatOptions = {}): string {
  if (!Number.isFinite(epochMs)) return INVALID_TIME;
  return new Intl.DateTimeFormat(options.locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
    timeZone: options.timeZone,
  }).format(epochMs);
}

/** API times are ISO 8601 strings; an unparseable one becomes NaN, which the formatters show as a dash. */
export function parseApiTime(iso: string): number {
  return Date.parse(iso);
}

const INVALID_TIME = '–';
