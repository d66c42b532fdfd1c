import { Router } from 'express';
import type { IngestKey } from '../../server/config/settingValues.js';
import { AppError } from '../../server/errors.js';
import { requireBearer } from '../../server/http/bearerAuth.js';
import { readBody } from '../../server/http/readBody.js';
import type { EventIngestor } from '../pipeline/eventIngestor.js';
import { FILE_KINDS, ingestFile, isFileKind } from './fileIngest.js';

export type FileRoutesOptions = { tokens: readonly (string | IngestKey)[]; maxBodyBytes: number };

/**
 * `POST /v1/files/:kind` (settlement | pos | journal): the file as the request body (gzip welcome). 200 once the
 * valid lines' events are committed, every bad line named by line number, column and reason; 400 when a
 * required column is missing or no line is valid; 429/503 with Retry-After when the store cannot take it now.
 */
export function fileRoutes(ingestor: EventIngestor, options: FileRoutesOptions): Router {
  const router = Router();
  router.post('/v1/files/:kind', requireBearer(options.tokens, 'flowlens-ingest'), async (req, res) => {
    const kind = String(req.params.kind);
    if (!isFileKind(kind)) {
      throw new AppError(404, 'unknown_file_kind', `unknown file kind "${kind}": use one of ${FILE_KINDS.map((k) => `/v1/files/${k}`).join(', ')}`);
    }
    const body = await readBody(req, options.maxBodyBytes);
    const outcome = await ingestFile(ingestor, kind, body, String(res.locals.ingestKey ?? 'default'));
    if (outcome.result === 'unavailable') {
      throw new AppError(outcome.status, outcome.status === 429 ? 'overloaded' : 'unavailable', outcome.message, {
        headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
      });
    }
    if (outcome.result === 'refused') {
      // The error shape has no line field: the line leads the message instead.
      const details = outcome.report.errors.map((e) => ({ field: e.field, message: `line ${e.line}: ${e.message}` }));
      throw new AppError(400, outcome.code, outcome.message, { details });
    }
    res.status(200).json(outcome.report);
  });
  return router;
}
