import type { ErrorRequestHandler } from 'express';
import { AppError, errorBody } from '../errors.js';

type Logger = { error(obj: object, msg: string): void };

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof AppError && err.operational) {
      for (const [name, value] of Object.entries(err.options.headers ?? {})) res.setHeader(name, value);
      res.status(err.status).json(errorBody(err.status, err.code, err.message, err.options.details));
      return;
    }
    const status = (err as { status?: number; type?: string }).status;
    if ((err as { type?: string }).type === 'entity.parse.failed' && status === 400) {
      res.status(400).json(errorBody(400, 'invalid_json', 'request body is not valid JSON'));
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json(errorBody(500, 'internal', 'internal error; the server log has the details'));
  };
}
