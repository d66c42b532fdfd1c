import { Router } from 'express';
import type { IngestKey } from '../../server/config/settingValues.js';
import { requireBearer } from '../../server/http/bearerAuth.js';
import { AppError } from '../../server/errors.js';
import { readBody } from '../../server/http/readBody.js';
import type { EventIngestor } from '../pipeline/eventIngestor.js';
import { decodeRecords, formatOf } from './decodeRecords.js';

export type EventsRouteOptions = { tokens: readonly (string | IngestKey)[]; maxBodyBytes: number };

/**
 * `POST /v1/events`: canonical events as a JSON array or NDJSON. 200 once the valid events are committed, with
 * every rejected record named by index, field and reason; 400 when nothing in the body is valid.
 */
export function eventsRoute(ingestor: EventIngestor, options: EventsRouteOptions): Router {
  const router = Router();
  router.post('/v1/events', requireBearer(options.tokens, 'flowlens-ingest'), async (req, res) => {
    const body = await readBody(req, options.maxBodyBytes);
    const format = formatOf(req.headers['content-type'], body);
    if (!format) {
      throw new AppError(415, 'unsupported_media_type', 'Content-Type must be application/json (an array of events) or application/x-ndjson (one event per line)');
    }
    const decoded = decodeRecords(body, format);
    if (!decoded.ok) throw new AppError(400, 'invalid_body', decoded.message);

    const outcome = await ingestor.ingest('events_api', decoded.records, String(res.locals.ingestKey ?? 'default'));
    if (outcome.kind === 'unavailable') {
      throw new AppError(outcome.status, outcome.status === 429 ? 'overloaded' : 'unavailable', outcome.message, {
        headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
      });
    }
    if (outcome.kind === 'invalid') {
      const { rejected, errors } = outcome.response;
      throw new AppError(400, 'invalid_events', `no valid events: all ${rejected} records were rejected; see details`, {
        details: errors,
      });
    }
    res.status(200).json(outcome.response);
  });
  return router;
}
