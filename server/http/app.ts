import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Counter, Registry } from 'prom-client';
import { collectorRoutes, type CollectorOptions } from '../../collectors/collectorRoutes.js';
import type { EventIngestor } from '../../collectors/pipeline/eventIngestor.js';
import { auditTrail, type AuditRecorder } from '../auth/auditTrail.js';
import type { Authenticator } from '../auth/authenticator.js';
import { actorOf, authMiddleware, identityOf } from '../auth/authMiddleware.js';
import type { DashboardsResponse } from '../contracts/dashboardViews.js';
import type { Logger } from '../logger.js';
import { AppError } from '../errors.js';
import { countRequests } from './countRequests.js';
import { errorMiddleware } from './errorMiddleware.js';
import { renderIndexHtml } from './indexHtml.js';
import { apiRoutes, type ApiServices } from './routes/apiRoutes.js';
import { healthRoutes, type Readiness } from './routes/healthRoutes.js';
import { sessionRoutes } from './routes/sessionRoutes.js';

export type AppDeps = {
  logger: Logger;
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  readiness: Readiness;
  ingestor: EventIngestor;
  collectors: CollectorOptions;
  api: ApiServices;
  /** Who is asking (sessions, API tokens, ingest keys) and sign-in. */
  auth: Authenticator;
  /** Where every mutating request is recorded. */
  audit: AuditRecorder;
  /** Folder of the built dashboard; served at / when it exists. */
  webDir: string;
  openApiFile: string;
};

/**
 * The express app, built without listening so tests mount the real thing. Every request meets the audit trail
 * (which records it once answered, when it changes something), then access control (server/auth/policy.ts says
 * who may call what), before any route.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(countRequests(deps.httpRequests));
  app.use(auditTrail(deps.audit, { addressOf: (req) => deps.auth.addressOf(req) }));
  app.use(authMiddleware(deps.auth));
  app.use(healthRoutes(deps.readiness, deps.registry));
  app.use(collectorRoutes(deps.ingestor, deps.collectors));
  app.use(sessionRoutes(deps.auth));
  app.get('/api/v1/openapi.yaml', (_req, res) => {
    res.type('application/yaml').sendFile(deps.openApiFile);
  });
  app.use(apiRoutes(deps.api, actorOf));
  app.use(webApp(deps.webDir, deps.api.dashboards));
  app.use(errorMiddleware(deps.logger));
  return app;
}

function webApp(webDir: string, dashboards: DashboardsResponse): express.Router {
  const router = express.Router();
  const index = path.join(webDir, 'index.html');
  router.use((req, _res, next) => {
    next(req.method === 'GET' || req.method === 'HEAD' ? (escapesFolder(req.path) ? notFound(req.path) : undefined) : undefined);
  });
  router.use(express.static(webDir, { index: false, maxAge: '1h', immutable: false }));
  // A file that is not there (its last segment has an extension) is a 404, not the dashboard's page.
  router.get(/^\/(?!v1\/|api\/|webhooks\/|socket\.io\/)(?:.*\/)?[^/]*\.[^/]*$/, (req, _res, next) => next(notFound(req.path)));
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
    // The views and the early overview request are for someone signed in; anyone else gets the sign-in page.
    const signedIn = identityOf(res).role !== null;
    res.type('html').send(signedIn ? renderIndexHtml(html, dashboards) : html);
  });
  return router;
}

/** A path that climbs out of the web folder (`..`, however encoded, or a backslash or NUL): never served. */
function escapesFolder(rawPath: string): boolean {
  let decoded = rawPath;
  // Decode until stable (at most a few rounds), so %252e%252e is seen as well as %2e%2e.
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return true;
    }
    if (next === decoded) break;
    decoded = next;
  }
  return /(^|[/\\])\.\.([/\\]|$)/.test(decoded) || decoded.includes('\\') || decoded.includes('\0');
}

function notFound(path: string): AppError {
  return new AppError(404, 'not_found', `no file ${path.slice(0, 200)}`);
}
