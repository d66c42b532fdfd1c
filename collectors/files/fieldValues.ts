/**
 * Reading the values business exports write: money in local formats (`1,234.56`, `1.234,56`, `95,00`,
 * `(12.00)`), dates and times in the shapes ERP, POS and marketplace reports use. Money stays decimal text
 * (never a float) and is added or subtracted as integers of 1/10,000.
 */

const SCALE = 4;
const SCALE_FACTOR = 10n ** BigInt(SCALE);

/** A decimal as canonical text (`-1234.5`), or undefined when the text is not a number of money. */
export function parseDecimal(text: string): string | undefined {
  let s = text.trim().replace(/[\s\u00a0']/g, '');
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = negative !== s.startsWith('-');
    s = s.slice(1);
  } else if (s.endsWith('-')) {
    negative = !negative;
    s = s.slice(0, -1);
  }
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return undefined;
  const decimalMark = decimalSeparator(s);
  let integer = s;
  let fraction = '';
  if (decimalMark) {
    const at = s.lastIndexOf(decimalMark);
    integer = s.slice(0, at);
    fraction = s.slice(at + 1);
  }
  if (!isGroupedInteger(integer) || !/^\d*$/.test(fraction)) return undefined;
  integer = integer.replace(/[.,]/g, '').replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  if (integer.length > 14 || fraction.length > SCALE) return undefined;
  const body = fraction ? `${integer}.${fraction}` : integer;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/**
 * The mark that separates the fraction: the last of `.` and `,` when both occur; a lone `,` or `.` followed by
 * other than a thousands group; otherwise none (`1,234` and `1.234.567` are grouped integers, `0.125` is not).
 */
function decimalSeparator(s: string): '.' | ',' | undefined {
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
  const mark = lastDot >= 0 ? '.' : lastComma >= 0 ? ',' : undefined;
  if (!mark) return undefined;
  const occurrences = s.split(mark).length - 1;
  const digitsAfter = s.length - s.lastIndexOf(mark) - 1;
  if (occurrences > 1) return undefined;
  const leading = s.slice(0, s.lastIndexOf(mark));
  return digitsAfter === 3 && /^[1-9]\d{0,2}$/.test(leading) ? undefined : mark;
}

function isGroupedInteger(integer: string): boolean {
  if (/^\d*$/.test(integer)) return true;
  return /^\d{1,3}([.,]\d{3})+$/.test(integer) && !(integer.includes('.') && integer.includes(','));
}

/** A canonical decimal as an integer count of 1/10,000. */
export function toScaled(decimal: string): bigint {
  const negative = decimal.startsWith('-');
  const [integer = '0', fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const value = BigInt(integer) * SCALE_FACTOR + BigInt(fraction.padEnd(SCALE, '0'));
  return negative ? -value : value;
}

/** Back to decimal text with at least two fraction digits (money), at most four. */
export function fromScaled(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const integer = abs / SCALE_FACTOR;
  let fraction = (abs % SCALE_FACTOR).toString().padStart(SCALE, '0');
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${negative ? '-' : ''}${integer}.${fraction}`;
}

export type ParsedTime = { ms: number; hasTime: boolean; hasZone: boolean };

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?`;
const ZONE = String.raw`\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[T ]${TIME}${ZONE})?$`, 'i');
const DOTTED = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+${TIME}${ZONE})?$`, 'i');
const US = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:\s+${TIME}${ZONE})?$`, 'i');

/**
 * A date or date-time as exports write it: ISO 8601 (`2026-10-02T14:03:11+02:00`, `2026-10-02 14:03:11 UTC`),
 * day-first with dots (`02.10.2026 14:03:11 UTC`, German marketplaces) or US month-first (`10/02/26`).
 * Without a zone the time is taken as UTC; `hasZone` tells the caller, which may insist on one.
 */
export function parseDateTime(text: string): ParsedTime | undefined {
  const s = text.trim();
  let m = ISO.exec(s);
  let parts: { y: number; mo: number; d: number } | undefined;
  if (m) parts = { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]) };
  else if ((m = DOTTED.exec(s))) parts = { y: Number(m[3]), mo: Number(m[2]), d: Number(m[1]) };
  else if ((m = US.exec(s))) parts = { y: m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]), mo: Number(m[1]), d: Number(m[2]) };
  if (!m || !parts) return undefined;
  const { y, mo, d } = parts;
  if (mo < 1 || mo > 12 || d < 1 || d > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return undefined;
  const [hh, mi, ss, frac, zone] = [m[4], m[5], m[6], m[7], m[8]];
  const hasTime = hh !== undefined;
  const h = Number(hh ?? 0);
  const min = Number(mi ?? 0);
  const sec = Number(ss ?? 0);
  if (h > 23 || min > 59 || sec > 59) return undefined;
  const millis = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const ms = Date.UTC(y, mo - 1, d, h, min, sec, millis) - offsetMinutes(zone) * 60_000;
  return { ms, hasTime, hasZone: zone !== undefined };
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** Why a natural key from a file cannot be used in an event id, or undefined when it can. */
export function idProblem(value: string, max = 64): string | undefined {
  if (value === '') return 'is required';
  if (value.length > max) return `must be at most ${max} characters`;
  if (/[\s\p{Cc}]/u.test(value)) return 'must not contain spaces or control characters';
  return undefined;
}
