import { Router, type Request } from 'express';
import { z } from 'zod';
import { createJobRequestSchema, decideRequestSchema, dryRunRequestSchema, jobActionRequestSchema } from '../../contracts/replayApi.js';
import { JOB_STATES, type JobState } from '../../domain/replayItems.js';
import { AppError } from '../../errors.js';
import type { ReplayService } from '../../services/replay/replayService.js';
import { parseQuery } from '../queryParams.js';
import type { AuditNote } from '../../auth/auditTrail.js';
import { refuseActorField, type ActorOf } from '../actor.js';
import { readRawBody } from '../readBody.js';

const page = (max: number, defaultLimit: number) => ({
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(max, `limit must be at most ${max}`).default(defaultLimit),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').default(0),
});
const listQuery = z.strictObject({
  ...page(200, 50),
  state: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const states = value.split(',').map((s) => s.trim());
      const unknown = states.filter((s) => !(JOB_STATES as readonly string[]).includes(s));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown state ${unknown.join(', ')}; use ${JOB_STATES.join(', ')}, or several separated by commas` });
      return states as JobState[];
    }),
});
const detailQuery = z.strictObject(page(1000, 100));
const jobId = z.string().regex(/^rpl-[0-9a-f]{20}$/, 'a replay job id looks like rpl- and 20 hex characters');

/**
 * Replays, described in docs/openapi.yaml; mount under `/api/v1/replays`. Each handler validates, calls one
 * service function and answers JSON; errors go to the error middleware.
 */
export function replayRoutes(service: ReplayService, actorOf: ActorOf): Router {
  const router = Router();
  router.post('/dry-run', async (req, res) => {
    const body = parseBody(dryRunRequestSchema, await jsonBody(req));
    res.json(await service.dryRun(body.selection, { limit: body.limit, offset: body.offset }));
  });
  router.post('/', async (req, res) => {
    const body = parseBody(createJobRequestSchema, await jsonBody(req));
    const job = await service.create(body.selection, body.reason, actorOf(req));
    res.locals.audit = { target: job.id } satisfies AuditNote;
    res.status(202).json(job);
  });
  router.get('/', async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    res.json(await service.list({ limit: q.limit, offset: q.offset, states: q.state }));
  });
  router.get('/:id', async (req, res) => {
    const q = parseQuery(detailQuery, req.query);
    res.json(await service.get(idOf(req), q));
  });
  router.post('/:id/approve', async (req, res) => {
    const id = idOf(req);
    const body = parseBody(jobActionRequestSchema, await jsonBody(req));
    res.json(await service.approve(id, actorOf(req), body.note));
  });
  router.post('/:id/cancel', async (req, res) => {
    const id = idOf(req);
    const body = parseBody(jobActionRequestSchema, await jsonBody(req));
    res.json(await service.cancel(id, actorOf(req), body.note));
  });
  router.post('/:id/decide', async (req, res) => {
    const id = idOf(req);
    const body = parseBody(decideRequestSchema, await jsonBody(req));
    res.json(await service.decide(id, { event_id: body.event_id, target: body.target, outcome: body.outcome, note: body.note }, actorOf(req)));
  });
  return router;
}

function idOf(req: Request): string {
  const parsed = jobId.safeParse(req.params.id);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'not a replay job id';
    throw new AppError(400, 'invalid_id', `id: ${message}`, { details: [{ field: 'id', message }] });
  }
  return parsed.data;
}

async function jsonBody(req: Request): Promise<unknown> {
  const raw = await readRawBody(req, 64 * 1024);
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError(400, 'invalid_json', 'the body must be a JSON object');
  }
  return body;
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  refuseActorField(body);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw invalid(parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })));
}

function invalid(details: { field: string; message: string }[]): AppError {
  return new AppError(400, 'invalid_body', details.map((d) => `${d.field}: ${d.message}`).join('; '), { details });
}
