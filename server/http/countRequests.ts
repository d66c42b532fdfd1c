import type { RequestHandler } from 'express';
import type { Counter } from 'prom-client';

/**
 * Count every answer by method, route pattern (not the raw path: ids would explode the label set) and status.
 * Registered first, so it sees the route the request finally matched.
 */
export function countRequests(counter: Counter<'method' | 'route' | 'status'>): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      counter.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
