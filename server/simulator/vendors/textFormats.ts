/**
 * How the simulated estate's systems write times and delimited records. The shop, the stores and the ERP keep
 * local time in one zone, as a retailer's systems do; what each vendor puts on the wire is decided in its builder.
 */

/** The estate's local time zone (it has summer time, so offsets change over the year as they do in real files). */
export const ESTATE_TIME_ZONE = 'Europe/Berlin';

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC in `timeZone` at `ms`. */
function offsetMinutes(ms: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  // "GMT+01:00", or plain "GMT" for a zero offset.
  const m = /^GMT([+-])(\d{2}):?(\d{2})?$/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Whole seconds, as vendors that write times without fractions (Shopify, Stripe, Amazon) report them. */
export function toWholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** `2026-11-27T10:15:02+01:00`: local time in `timeZone` with its offset, to the second. */
export function isoWithOffset(ms: number, timeZone: string = ESTATE_TIME_ZONE): string {
  const offset = offsetMinutes(ms, timeZone);
  const local = new Date(toWholeSeconds(ms) + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The calendar date at `ms` in `timeZone`, as `YYYY-MM-DD`. */
export function localDate(ms: number, timeZone: string = ESTATE_TIME_ZONE): string {
  return isoWithOffset(ms, timeZone).slice(0, 10);
}

/** One CSV record (RFC 4180): a value with a comma, quote or line break is quoted, its quotes doubled. */
export function csvRecord(values: readonly (string | number | undefined)[]): string {
  return values
    .map((value) => {
      const text = value === undefined ? '' : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',');
}
