import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Counter } from 'prom-client';
import { countRequests } from '../../server/http/countRequests.js';
import type { Logger } from '../../server/logger.js';
import { errorMiddleware } from '../../server/http/errorMiddleware.js';
import { otlpRoutes, type OtlpRoutesDeps } from './otlpRoutes.js';

export type OtlpServer = { url: string; port: number; close(): Promise<void> };

/** The OTLP/HTTP receiver on its own port (4318 by convention), as exporters expect it. */
export async function startOtlpServer(
  deps: OtlpRoutesDeps & { host: string; port: number; logger: Logger; httpRequests: Counter<'method' | 'route' | 'status'> },
): Promise<OtlpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(countRequests(deps.httpRequests));
  app.use(otlpRoutes(deps));
  app.use(errorMiddleware(deps.logger));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`OTLP port ${deps.port} on ${deps.host} is already in use: stop the other process or set FLOWLENS_OTLP_PORT`) : err),
    );
    server.listen(deps.port, deps.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${deps.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
