import { Router } from 'express';
import { z } from 'zod';
import { BREACH_OUTCOMES } from '../../contracts/slaApi.js';
import type { SlaService } from '../../services/slaService.js';
import { parseQuery } from '../queryParams.js';

/** `group=channel:amazon`, repeated once per dimension of a policy grouped by several. */
const groupItems = z
  .union([z.string(), z.array(z.string())], { error: 'group must be dimension:value, e.g. channel:amazon' })
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));

const breachQuery = z.strictObject({
  outcome: z.enum(BREACH_OUTCOMES, { error: 'outcome must be late or open_breached' }).optional(),
  group: groupItems,
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').default(0),
});

const seriesQuery = z.strictObject({
  group: groupItems,
  buckets: z.coerce.number().int('buckets must be a whole number').min(10, 'buckets must be at least 10').max(240, 'buckets must be at most 240').default(60),
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
  router.get('/api/v1/slas/:id/series', async (req, res) => {
    const q = parseQuery(seriesQuery, req.query);
    res.json(await service.series(req.params.id, q));
  });
  return router;
}
