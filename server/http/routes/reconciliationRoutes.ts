import { Router } from 'express';
import { z } from 'zod';
import { RECONCILIATION_REASONS, RECONCILIATION_STATUSES, type ReconciliationReason, type ReconciliationStatus } from '../../domain/reconciliation.js';
import type { ReconciliationService } from '../../services/reconciliationService.js';
import { instant, parseQuery, timeRange } from '../queryParams.js';

/** Finance looks at settlements by day: without `from`, the 24 hours up to `to`. */
const DEFAULT_RANGE_MS = 86_400_000;

/** `a,b`: one or several of `allowed`, or an issue naming the unknown ones. */
function oneOrSeveral<T extends string>(what: string, allowed: readonly T[]) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const items = value.split(',').map((s) => s.trim());
      const unknown = items.filter((s) => !(allowed as readonly string[]).includes(s));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown ${what} ${unknown.join(', ')}; use ${allowed.join(', ')}, or several separated by commas` });
      return items as T[];
    });
}

const listQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  status: oneOrSeveral<ReconciliationStatus>('status', RECONCILIATION_STATUSES),
  reason: oneOrSeveral<ReconciliationReason>('reason', RECONCILIATION_REASONS),
  source: z.string().trim().min(1, 'source must not be empty').max(64, 'source must be at most 64 characters').optional(),
  currency: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{3}$/, 'currency must be an ISO 4217 code, e.g. EUR')
    .transform((c) => c.toUpperCase())
    .optional(),
  order: z.enum(['oldest', 'newest'], { error: 'order must be oldest or newest' }).default('oldest'),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').default(0),
});
const settlementParams = z.object({
  settlementId: z.string().trim().min(1, 'settlementId must not be empty').max(117, 'settlementId must be at most 117 characters'),
});

/** Settlement reconciliation under /api/v1/reconciliation, described in docs/openapi.yaml. */
export function reconciliationRoutes(service: ReconciliationService): Router {
  const router = Router();
  router.get('/api/v1/reconciliation', async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    const { status: statuses, reason: reasons, ...rest } = q;
    res.json(await service.list({ ...rest, ...timeRange(q, Date.now(), DEFAULT_RANGE_MS), statuses, reasons }));
  });
  router.get('/api/v1/reconciliation/:settlementId', async (req, res) => {
    const { settlementId } = parseQuery(settlementParams, req.params);
    res.json(await service.get(settlementId));
  });
  return router;
}
