import { z } from 'zod';
import { AppError } from '../errors.js';

/** A query string validated by `schema`, or 400 `invalid_query` naming every bad parameter and why. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(query)', message: i.message }));
  throw new AppError(400, 'invalid_query', details.map((d) => `${d.field}: ${d.message}`).join('; '), { details });
}

/** 400 naming one parameter, for checks a schema cannot make (an unknown channel, an inverted range). */
export function badParameter(field: string, message: string): AppError {
  return new AppError(400, 'invalid_query', `${field}: ${message}`, { details: [{ field, message }] });
}

/** A time as the API takes it: epoch milliseconds or ISO 8601 with a zone. */
export const instant = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const ms = /^\d{1,15}$/.test(text) ? Number(text) : /\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(ms)) ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO 8601 time with a zone, e.g. 2026-11-27T10:00:00Z' });
    return ms;
  });

export const MAX_RANGE_MS = 7 * 24 * 3_600_000;

/**
 * `from`/`to` with their defaults (the last hour up to now) and rules: `from` before `to`, at most seven days
 * apart — every answer is bounded in time, so no query reads all history.
 */
export function timeRange(query: { from?: number; to?: number }, now: number, defaultMs = 3_600_000): { from: number; to: number } {
  const to = query.to ?? now;
  const from = query.from ?? to - defaultMs;
  if (from >= to) throw badParameter('to', 'must be later than from');
  if (to - from > MAX_RANGE_MS) throw badParameter('from', `the range is at most 7 days (${MAX_RANGE_MS / 1000} s); ask for a shorter one`);
  return { from, to };
}
