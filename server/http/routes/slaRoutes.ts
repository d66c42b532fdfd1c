import { Router } from 'express';
import { z } from 'zod';
import type { SlaService } from '../../services/slaService.js';
import { parseQuery } from '../queryParams.js';

const breachQuery = z.strictObject({
  outcome: z.enum(['late', 'open_breached'], { error: 'outcome must be late or open_breached' }).optional(),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').default(0),
});

/** SLA answers under /api/v1/slas, described in docs/openapi.yaml. */
export function slaRoutes(service: SlaService): Router {
  const router = Router();
  router.get('/api/v1/slas', async (req, res) => {
    parseQuery(z.strictObject({}), req.query);
    res.json(await service.status());
  });
  router.get('/api/v1/slas/:id/breaches', async (req, res) => {
    const q = parseQuery(breachQuery, req.query);
    res.json(await service.breaches(req.params.id, q));
  });
  return router;
}
