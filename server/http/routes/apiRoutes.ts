import { Router } from 'express';
import { z } from 'zod';
import type { Throughput } from '../../contracts/api.js';
import type { DashboardsResponse } from '../../contracts/dashboardViews.js';
import { AppError } from '../../errors.js';
import type { AlertService } from '../../services/alerts/alertService.js';
import type { ReplayService } from '../../services/replay/replayService.js';
import type { LineageService } from '../../services/lineageService.js';
import type { ExceptionService } from '../../services/exceptionService.js';
import type { InventoryService } from '../../services/inventoryService.js';
import type { OverviewService } from '../../services/overviewService.js';
import type { ReconciliationService } from '../../services/reconciliationService.js';
import type { SlaService } from '../../services/slaService.js';
import type { AuditService } from '../../services/auditService.js';
import type { ActorOf } from '../actor.js';
import { parseQuery } from '../queryParams.js';
import { alertRoutes } from './alertRoutes.js';
import { auditRoutes } from './auditRoutes.js';
import { exceptionRoutes } from './exceptionRoutes.js';
import { inventoryRoutes } from './inventoryRoutes.js';
import { lineageRoutes } from './lineageRoutes.js';
import { reconciliationRoutes } from './reconciliationRoutes.js';
import { replayRoutes } from './replayRoutes.js';
import { slaRoutes } from './slaRoutes.js';

export type ApiServices = {
  lineage: LineageService;
  throughput(windowSeconds: number): Promise<Throughput>;
  inventory: InventoryService;
  exceptions: ExceptionService;
  slas: SlaService;
  overview: OverviewService;
  reconciliation: ReconciliationService;
  /** SLA alerts for on-call: firing, acknowledged, muted, history, and the actions on them. */
  alerts: AlertService;
  /** Replays of failed events to their targets: dry run, jobs, approval, cancel, progress. */
  replay: ReplayService;
  /** The audit trail of every mutating request (admins read it). */
  audit: Pick<AuditService, 'list'>;
  /** The dashboard's views from `dashboards/views/`, checked at boot. */
  dashboards: DashboardsResponse;
};

const throughputQuery = z.object({
  window: z.coerce
    .number()
    .int('window must be a whole number of seconds')
    .min(10, 'window must be at least 10 seconds')
    .max(3600, 'window must be at most 3600 seconds (one hour)')
    .default(300),
});

/**
 * The API under /api/v1 (answers, exception workflow, alerts, replays, the audit trail), described in
 * docs/openapi.yaml. `actorOf` names who acts on a request (the signed-in user or API token).
 */
export function apiRoutes(services: ApiServices, actorOf: ActorOf): Router {
  const router = Router();
  router.use(lineageRoutes(services.lineage));
  router.get('/api/v1/throughput', async (req, res) => {
    const { window } = parseQuery(throughputQuery, req.query);
    res.json(await services.throughput(window));
  });
  router.use(inventoryRoutes(services.inventory));
  router.use(exceptionRoutes(services.exceptions, actorOf));
  router.use(slaRoutes(services.slas));
  router.use(reconciliationRoutes(services.reconciliation));
  router.use(alertRoutes(services.alerts, actorOf));
  router.use('/api/v1/replays', replayRoutes(services.replay, actorOf));
  router.use(auditRoutes(services.audit));
  router.get('/api/v1/overview', async (req, res) => {
    parseQuery(z.strictObject({}), req.query);
    res.json(await services.overview.overview());
  });
  router.get('/api/v1/dashboards', (req, res) => {
    parseQuery(z.strictObject({}), req.query);
    res.json(services.dashboards);
  });
  router.use('/api', (req, _res, next) => {
    next(new AppError(404, 'not_found', `no API route ${req.method} ${req.originalUrl}; see /api/v1/openapi.yaml`));
  });
  return router;
}

