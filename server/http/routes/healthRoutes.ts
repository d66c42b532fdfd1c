import { Router } from 'express';
import type { Registry } from 'prom-client';

export type Readiness = () => Promise<{ ready: boolean; reason?: string }>;

/** Liveness, readiness (migrations applied and the store answering) and Prometheus metrics. */
export function healthRoutes(readiness: Readiness, registry: Registry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const { ready, reason } = await readiness();
    res.status(ready ? 200 : 503).json(ready ? { status: 'ready' } : { status: 'not_ready', reason });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });
  return router;
}
