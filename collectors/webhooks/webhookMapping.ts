import type { z } from 'zod';
import { MAX_PAYLOAD_BYTES, type CanonicalEventInput } from '../../server/contracts/canonicalEvent.js';

/**
 * What a vendor mapping makes of one verified webhook: canonical events to ingest, a message it deliberately
 * does not map (acknowledged, not stored), or a payload it cannot map (the sender gets 400 with the reason).
 */
export type MapResult =
  | { kind: 'events'; events: CanonicalEventInput[] }
  | { kind: 'ignored'; type: string; reason: string }
  | { kind: 'invalid'; message: string };

/** The first issue of a failed vendor-payload parse, as "what: field: reason". */
export function describeIssues(what: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `${what} is not valid`;
  const field = issue.path.length > 0 ? issue.path.join('.') : '(body)';
  return `${what}: ${field}: ${issue.message}`;
}

const utf8 = new TextEncoder();
const TRUNCATION_NOTE_BYTES = 64;

/**
 * The vendor message for the event's `payload`, kept under the canonical 64 KiB limit. A larger message is cut at
 * a character boundary and marked, so the event is still stored (a huge order must not be refused for its size).
 */
export function vendorPayload(message: unknown): string {
  const text = JSON.stringify(message) ?? '';
  if (text.length * 3 <= MAX_PAYLOAD_BYTES) return text;
  const bytes = utf8.encode(text);
  if (bytes.byteLength <= MAX_PAYLOAD_BYTES) return text;
  const budget = MAX_PAYLOAD_BYTES - TRUNCATION_NOTE_BYTES;
  let end = budget;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // do not split a UTF-8 sequence
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf8');
  return `${head}…[truncated: ${bytes.byteLength} bytes in all]`;
}

/**
 * Parse JSON keeping integers beyond 2^53 exact, as strings: Shopify's REST ids (e.g. 820982911946154508) are
 * JSON numbers that `JSON.parse` would round, and a rounded id would link the wrong order. Node 20's reviver
 * cannot see the source text, so unsafe integer literals outside strings are quoted before parsing.
 */
export function parseJsonExactIds(text: string): unknown {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c /* \ */ ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < text.length && /[0-9.eE+-]/.test(text[i]!)) i++;
      const literal = text.slice(start, i);
      if (/^-?\d{16,}$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += `${text.slice(last, start)}"${literal}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

/**
 * Decimal places of a currency's minor unit as Stripe counts them in API amounts
 * (https://docs.stripe.com/currencies#zero-decimal). ISK, HUF and TWD are zero-decimal in ISO 4217 but Stripe
 * keeps them two-decimal in the API for compatibility, so they are not listed here.
 */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function minorUnitExponent(currency: string): 0 | 2 | 3 {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** An integer amount in minor units as an exact decimal string in major units: (1999, 'eur') → "19.99". */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount ${minor} is not an integer number of minor units`);
  const exponent = minorUnitExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const sign = minor < 0 ? '-' : '';
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Sum decimal strings exactly, at the largest scale given (≤ 4, the canonical precision): ["41.94", "5.01"] → "46.95". */
export function sumDecimals(values: readonly string[]): string | undefined {
  let total = 0n;
  let scale = 0;
  for (const value of values) {
    const m = /^(-?)(\d+)(?:\.(\d{1,4}))?$/.exec(value.trim());
    if (!m) return undefined;
    scale = Math.max(scale, m[3]?.length ?? 0);
    const scaled = BigInt(m[2]!) * 10_000n + BigInt((m[3] ?? '').padEnd(4, '0'));
    total += m[1] === '-' ? -scaled : scaled;
  }
  if (values.length === 0) return undefined;
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const fraction = String(abs % 10_000n).padStart(4, '0').slice(0, scale);
  return `${negative ? '-' : ''}${abs / 10_000n}${scale > 0 ? `.${fraction}` : ''}`;
}

/** Business-key object without empty entries (the canonical schema refuses empty key values). */
export function keysOf(entries: Record<string, string | number | null | undefined>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(entries)) {
    if (value === null || value === undefined) continue;
    const text = String(value).trim();
    if (text !== '') keys[name] = text;
  }
  return keys;
}
