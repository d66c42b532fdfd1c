import { z } from 'zod';
import { instant } from '../http/queryParams.js';
import { AUDIT_RESULTS, type AuditFilter, type AuditResult } from '../store/queries/audit.js';

/**
 * `GET /api/v1/audit`'s query, for the audit screen: `from`/`to` (epoch ms or ISO 8601; default the last 7 days,
 * at most 400 days apart), `actor`, `action`, `target` (exact), `result` (ok, denied, failed; several
 * comma-separated), `limit` (≤ 500) and `offset`. Every value reaches SQL as a typed parameter.
 */
export const auditQuerySchema = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  actor: z.string().trim().min(1, 'actor must not be empty').max(128, 'actor must be at most 128 characters').optional(),
  action: z.string().trim().min(1, 'action must not be empty').max(64, 'action must be at most 64 characters').optional(),
  target: z.string().trim().min(1, 'target must not be empty').max(512, 'target must be at most 512 characters').optional(),
  result: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const results = value.split(',').map((r) => r.trim());
      const unknown = results.filter((r) => !(AUDIT_RESULTS as readonly string[]).includes(r));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown result ${unknown.join(', ')}; use ${AUDIT_RESULTS.join(', ')}` });
      return results as AuditResult[];
    }),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(100),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').max(100_000, 'offset must be at most 100000').default(0),
});

const DAY_MS = 86_400_000;
export const MAX_AUDIT_RANGE_MS = 400 * DAY_MS;

/** The store filter for a checked query, or the reason the range is refused (to name in a 400). */
export function auditFilterOf(query: z.output<typeof auditQuerySchema>, now: number): { ok: true; filter: AuditFilter } | { ok: false; field: 'from' | 'to'; message: string } {
  const to = query.to ?? now;
  const from = query.from ?? to - 7 * DAY_MS;
  if (from >= to) return { ok: false, field: 'to', message: 'must be later than from' };
  if (to - from > MAX_AUDIT_RANGE_MS) return { ok: false, field: 'from', message: 'the range is at most 400 days' };
  const { actor, action, target, result, limit, offset } = query;
  return {
    ok: true,
    filter: { from, to, limit, offset, ...(actor === undefined ? {} : { actor }), ...(action === undefined ? {} : { action }), ...(target === undefined ? {} : { target }), ...(result === undefined ? {} : { results: result }) },
  };
}
