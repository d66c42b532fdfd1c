import { Router } from 'express';
import { z } from 'zod';
import type { InventoryService } from '../../services/inventoryService.js';
import { badParameter, instant, parseQuery, timeRange } from '../queryParams.js';

const name = (field: string) => z.string().trim().min(1, `${field} must not be empty`).max(256, `${field} must be at most 256 characters`).optional();
const seconds = (field: string, min: number, max: number, fallback: number) =>
  z.coerce.number().int(`${field} must be a whole number of seconds`).min(min, `${field} must be at least ${min} seconds`).max(max, `${field} must be at most ${max} seconds`).default(fallback);

const lagQuery = z.strictObject({ from: instant.optional(), to: instant.optional(), location: name('location'), sku: name('sku') });
const nowQuery = z.strictObject({ window: seconds('window', 60, 86_400, 900) });
const worstQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  by: z.enum(['location', 'sku'], { error: 'by must be location or sku' }).default('location'),
  target: z.string().trim().min(1, 'target must not be empty').default('erp'),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(200, 'limit must be at most 200').default(20),
  location: name('location'),
  sku: name('sku'),
});
const byLocationQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  percentile: z.enum(['p50', 'p95', 'p99'], { error: 'percentile must be p50, p95 or p99' }).default('p95'),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(200, 'limit must be at most 200').default(30),
  sku: name('sku'),
});
/** The movements behind a point of the lag chart: a window of a few minutes, so the answer stays small and cheap. */
export const MOVEMENT_WINDOW_MAX_MS = 10 * 60_000;
const required = (field: string) => z.string({ error: `${field} is required: epoch milliseconds or an ISO 8601 time with a zone` }).pipe(instant);
const movementsQuery = z.strictObject({
  from: required('from'),
  to: required('to'),
  target: z.string({ error: 'target is required: erp or a channel' }).trim().min(1, 'target must not be empty'),
  location: name('location'),
  sku: name('sku'),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
});
const staleQuery = z.strictObject({
  threshold: seconds('threshold', 1, 7 * 86_400, 300),
  lookback: seconds('lookback', 300, 7 * 86_400, 86_400),
  channel: name('channel'),
  location: name('location'),
  sku: name('sku'),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
});

/** Inventory lag answers under /api/v1/inventory, described in docs/openapi.yaml. */
export function inventoryRoutes(service: InventoryService): Router {
  const router = Router();
  router.get('/api/v1/inventory/lag', async (req, res) => {
    const q = parseQuery(lagQuery, req.query);
    res.json(await service.lag({ ...timeRange(q, Date.now()), location: q.location, sku: q.sku }));
  });
  router.get('/api/v1/inventory/lag/now', async (req, res) => {
    const q = parseQuery(nowQuery, req.query);
    res.json(await service.lagNow(q.window * 1000));
  });
  router.get('/api/v1/inventory/lag/worst', async (req, res) => {
    const q = parseQuery(worstQuery, req.query);
    res.json(await service.worst({ ...timeRange(q, Date.now()), by: q.by, target: q.target, limit: q.limit, location: q.location, sku: q.sku }));
  });
  router.get('/api/v1/inventory/lag/by-location', async (req, res) => {
    const q = parseQuery(byLocationQuery, req.query);
    res.json(await service.byLocation({ ...timeRange(q, Date.now()), percentile: q.percentile, limit: q.limit, sku: q.sku }));
  });
  router.get('/api/v1/inventory/movements', async (req, res) => {
    const q = parseQuery(movementsQuery, req.query);
    if (q.from >= q.to) throw badParameter('to', 'must be later than from');
    if (q.to - q.from > MOVEMENT_WINDOW_MAX_MS) throw badParameter('to', `the window is at most ${MOVEMENT_WINDOW_MAX_MS / 60_000} minutes (${MOVEMENT_WINDOW_MAX_MS / 1000} s) after from; pick a point of the lag chart or ask for a shorter one`);
    res.json(await service.movements({ from: q.from, to: q.to, target: q.target, location: q.location, sku: q.sku, limit: q.limit }));
  });
  router.get('/api/v1/inventory/stale', async (req, res) => {
    const q = parseQuery(staleQuery, req.query);
    res.json(await service.stale({ thresholdMs: q.threshold * 1000, lookbackMs: q.lookback * 1000, channel: q.channel, location: q.location, sku: q.sku, limit: q.limit }));
  });
  return router;
}
