import { Router } from 'express';
import { z } from 'zod';
import type { LineageResponse, Throughput } from '../../contracts/api.js';
import { AppError } from '../../errors.js';
import { LINEAGE_LIMITS } from '../../services/lineageService.js';
import type { ExceptionService } from '../../services/exceptionService.js';
import type { InventoryService } from '../../services/inventoryService.js';
import type { SlaService } from '../../services/slaService.js';
import { parseQuery } from '../queryParams.js';
import { exceptionRoutes } from './exceptionRoutes.js';
import { inventoryRoutes } from './inventoryRoutes.js';
import { slaRoutes } from './slaRoutes.js';

export type ApiServices = {
  lineageForKey(key: string, depth: number): Promise<LineageResponse>;
  throughput(windowSeconds: number): Promise<Throughput>;
  inventory: InventoryService;
  exceptions: ExceptionService;
  slas: SlaService;
};

const lineageQuery = z.object({
  key: z
    .string({ error: 'key is required: a business key value (order id, refund id, …) or a correlation id' })
    .trim()
    .min(1, 'key must not be empty')
    .max(256, 'key must be at most 256 characters'),
  depth: z.coerce
    .number()
    .int('depth must be a whole number')
    .min(0, 'depth must be 0 or more')
    .max(LINEAGE_LIMITS.maxDepth, `depth must be at most ${LINEAGE_LIMITS.maxDepth}`)
    .default(LINEAGE_LIMITS.defaultDepth),
});

const throughputQuery = z.object({
  window: z.coerce
    .number()
    .int('window must be a whole number of seconds')
    .min(10, 'window must be at least 10 seconds')
    .max(3600, 'window must be at most 3600 seconds (one hour)')
    .default(300),
});

/** Read API under /api/v1, described in docs/openapi.yaml. */
export function apiRoutes(services: ApiServices): Router {
  const router = Router();
  router.get('/api/v1/lineage', async (req, res) => {
    const { key, depth } = parseQuery(lineageQuery, req.query);
    res.json(await services.lineageForKey(key, depth));
  });
  router.get('/api/v1/throughput', async (req, res) => {
    const { window } = parseQuery(throughputQuery, req.query);
    res.json(await services.throughput(window));
  });
  router.use(inventoryRoutes(services.inventory));
  router.use(exceptionRoutes(services.exceptions));
  router.use(slaRoutes(services.slas));
  router.use('/api', (req, _res, next) => {
    next(new AppError(404, 'not_found', `no API route ${req.method} ${req.originalUrl}; see /api/v1/openapi.yaml`));
  });
  return router;
}

