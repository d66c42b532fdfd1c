import { z } from 'zod';

/**
 * The shapes of setting values (numbers, ports, token lists, URLs, currency tolerances…): each refuses a bad value
 * with a message naming what is expected. The settings themselves, with their names and docs, are in config.ts.
 */

/** On or off: a boolean, or true/false, 1/0, yes/no as text. */
export const flag = z.union([z.boolean(), z.string()]).transform((v, ctx) => {
  if (typeof v === 'boolean') return v;
  const text = v.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) return true;
  if (!['false', '0', 'no'].includes(text)) ctx.addIssue({ code: 'custom', message: 'must be true or false' });
  return false;
});

/** A whole number given as a number or as digits; anything else (blank, null, 1e3, 12abc) is refused. */
export const wholeNumber = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
  z.number({ error: 'must be a whole number' }).int('must be a whole number'),
);
export const port = wholeNumber.pipe(z.number().min(0, 'must be 0–65535').max(65535, 'must be 0–65535'));
export const positiveInt = wholeNumber.pipe(z.number().positive('must be greater than 0'));
/** An ingest key: a bearer token with a name (the source it was given to), so it can be told apart and revoked. */
export type IngestKey = { name: string; token: string };
const keyName = /^[a-z][a-z0-9_-]{0,63}$/;
export const tokenList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((t) => t.trim()).filter((t) => t.length > 0))
  .pipe(
    z.array(
      z.string().transform((entry): IngestKey => {
        const colon = entry.indexOf(':');
        const name = colon > 0 ? entry.slice(0, colon) : '';
        return keyName.test(name) ? { name, token: entry.slice(colon + 1) } : { name: 'default', token: entry };
      }),
    ),
  )
  .pipe(z.array(z.object({ name: z.string(), token: z.string().min(16, 'each token must be at least 16 characters') })));
export const secretList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((t) => t.trim()).filter((t) => t.length > 0));
export const url = z
  .string()
  .url('must be a URL such as http://localhost:8123')
  .refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://, e.g. http://localhost:8123');
/** A link template for one trace in the team's trace viewer: `{trace_id}` (and optionally `{span_id}`) filled in. */
export const traceUrl = z
  .string()
  .refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), 'must be an http(s) URL, e.g. https://jaeger.example.com/trace/{trace_id}')
  .refine((v) => v === '' || v.includes('{trace_id}'), 'must contain {trace_id} where the trace id goes');
export const accountList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((a) => a.trim()).filter((a) => a.length > 0));
/** `EUR:1,JPY:0`: a tolerance in minor units per currency code. */
export const currencyTolerances = z
  .union([z.string(), z.record(z.string(), z.union([z.number(), z.string()]))])
  .transform((v, ctx) => {
    const pairs = typeof v === 'string' ? v.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => p.split(':').map((x) => x.trim())) : Object.entries(v).map(([c, n]) => [c, String(n)]);
    const out: Record<string, number> = {};
    for (const [currency = '', minor = ''] of pairs) {
      if (!/^[A-Z]{3}$/.test(currency) || !/^\d+$/.test(minor)) ctx.addIssue({ code: 'custom', message: `"${currency}:${minor}" must be CURRENCY:minor units, e.g. EUR:1,JPY:0` });
      else out[currency] = Number(minor);
    }
    return out;
  });
export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
export const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier (letters, digits, _)');
