import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Counter, Registry } from 'prom-client';
import { collectorRoutes, type CollectorOptions } from '../../collectors/collectorRoutes.js';
import type { EventIngestor } from '../../collectors/pipeline/eventIngestor.js';
import type { DashboardsResponse } from '../contracts/dashboardViews.js';
import type { Logger } from '../logger.js';
import { countRequests } from './countRequests.js';
import { errorMiddleware } from './errorMiddleware.js';
import { renderIndexHtml } from './indexHtml.js';
import { apiRoutes, type ApiServices } from './routes/apiRoutes.js';
import { healthRoutes, type Readiness } from './routes/healthRoutes.js';

export type AppDeps = {
  logger: Logger;
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  readiness: Readiness;
  ingestor: EventIngestor;
  collectors: CollectorOptions;
  api: ApiServices;
  /** Folder of the built dashboard; served at / when it exists. */
  webDir: string;
  openApiFile: string;
};

/** The express app, built without listening so tests mount the real thing. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(countRequests(deps.httpRequests));
  app.use(healthRoutes(deps.readiness, deps.registry));
  app.use(collectorRoutes(deps.ingestor, deps.collectors));
  app.get('/api/v1/openapi.yaml', (_req, res) => {
    res.type('application/yaml').sendFile(deps.openApiFile);
  });
  app.use(apiRoutes(deps.api));
  app.use(webApp(deps.webDir, deps.api.dashboards));
  app.use(errorMiddleware(deps.logger));
  return app;
}

function webApp(webDir: string, dashboards: DashboardsResponse): express.Router {
  const router = express.Router();
  const index = path.join(webDir, 'index.html');
  router.use(express.static(webDir, { index: false, maxAge: '1h', immutable: false }));
  router.get(/^\/(?!v1\/|api\/|webhooks\/|socket\.io\/).*/, async (_req, res) => {
    let html: string;
    try {
      // Read each time (a kilobyte): a rebuilt dashboard is served without a restart.
      html = await readFile(index, 'utf8');
    } catch {
      res
        .status(503)
        .type('text/plain')
        .send(`The dashboard is not built yet. Run "npm run build:web" (npm start does it for you), then reload.\nLooked in: ${webDir}\n`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(renderIndexHtml(html, dashboards));
  });
  return router;
}
