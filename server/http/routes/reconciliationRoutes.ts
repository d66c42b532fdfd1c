import { Router } from 'express';
import { z } from 'zod';
import { RECONCILIATION_STATUSES, type ReconciliationStatus } from '../../domain/reconciliation.js';
import type { ReconciliationService } from '../../services/reconciliationService.js';
import { instant, parseQuery, timeRange } from '../queryParams.js';

/** Finance looks at settlements by day: without `from`, the 24 hours up to `to`. */
const DEFAULT_RANGE_MS = 86_400_000;

const listQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  status: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const statuses = value.split(',').map((s) => s.trim());
      const unknown = statuses.filter((s) => !(RECONCILIATION_STATUSES as readonly string[]).includes(s));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown status ${unknown.join(', ')}; use ${RECONCILIATION_STATUSES.join(', ')}, or several separated by commas` });
      return statuses as ReconciliationStatus[];
    }),
  source: z.string().trim().min(1, 'source must not be empty').max(64, 'source must be at most 64 characters').optional(),
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
    res.json(await service.list({ ...timeRange(q, Date.now(), DEFAULT_RANGE_MS), statuses: q.status, source: q.source, limit: q.limit, offset: q.offset }));
  });
  router.get('/api/v1/reconciliation/:settlementId', async (req, res) => {
    const { settlementId } = parseQuery(settlementParams, req.params);
    res.json(await service.get(settlementId));
  });
  return router;
}
