import { Router, type Request } from 'express';
import { z } from 'zod';
import { ERROR_CLASSES, EXCEPTION_KINDS, EXCEPTION_SORTS, EXCEPTION_STATES } from '../../contracts/exceptionApi.js';
import { AGE_BUCKETS, WORKFLOW_ACTIONS } from '../../domain/exceptions.js';
import { AppError } from '../../errors.js';
import type { ExceptionService } from '../../services/exceptionService.js';
import { badParameter, instant, parseQuery } from '../queryParams.js';
import type { AuditNote } from '../../auth/auditTrail.js';
import { refuseActorField, type ActorOf } from '../actor.js';
import { readRawBody } from '../readBody.js';

const DAY_S = 86_400;
const MAX_LOOKBACK_S = 90 * DAY_S;
const lookback = z.coerce
  .number()
  .int('lookback must be a whole number of seconds')
  .min(60, 'lookback must be at least 60 seconds')
  .max(MAX_LOOKBACK_S, `lookback must be at most ${MAX_LOOKBACK_S} seconds (90 days)`)
  .default(7 * DAY_S);
/** Instead of a lookback, an absolute range: exceptions that first failed in [from, to). */
const absoluteRange = { from: instant.optional(), to: instant.optional() };
const text = (field: string) => z.string().trim().min(1, `${field} must not be empty`).max(256, `${field} must be at most 256 characters`).optional();

const listQuery = z.strictObject({
  lookback,
  ...absoluteRange,
  state: z
    .string()
    .default('open,acknowledged')
    .transform((value, ctx) => {
      const states = value.split(',').map((s) => s.trim());
      const unknown = states.filter((s) => !(EXCEPTION_STATES as readonly string[]).includes(s));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown state ${unknown.join(', ')}; use ${EXCEPTION_STATES.join(', ')}, or several separated by commas` });
      return states;
    }),
  kind: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const kinds = value.split(',').map((k) => k.trim());
      const unknown = kinds.filter((k) => !(EXCEPTION_KINDS as readonly string[]).includes(k));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown kind ${unknown.join(', ')}; use ${EXCEPTION_KINDS.join(', ')}, or several separated by commas` });
      return kinds;
    }),
  owner: text('owner'),
  flow: text('flow'),
  system: text('system'),
  bucket: z.enum(AGE_BUCKETS.map((b) => b.id) as [string, ...string[]], { error: `bucket must be one of ${AGE_BUCKETS.map((b) => b.id).join(', ')}` }).optional(),
  error_code: text('error_code'),
  error_class: z.enum(ERROR_CLASSES, { error: `error_class must be one of ${ERROR_CLASSES.join(', ')}` }).optional(),
  sort: z.enum(EXCEPTION_SORTS, { error: `sort must be one of ${EXCEPTION_SORTS.join(', ')}` }).default('oldest'),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').default(0),
});
const lookbackQuery = z.strictObject({ lookback });
const agingQuery = z.strictObject({ lookback, ...absoluteRange });

const action = z.strictObject({
  action: z.enum(WORKFLOW_ACTIONS, { error: `action must be one of ${WORKFLOW_ACTIONS.join(', ')}` }),
  assignee: z.string().trim().min(1, 'assignee must not be empty').max(128, 'assignee must be at most 128 characters').optional(),
  note: z.string().trim().max(4096, 'note must be at most 4096 characters').optional(),
});
const bulkAction = action.extend({
  ids: z.array(z.string().regex(/^[0-9a-f]{16}$/, 'each id is 16 hex characters'), { error: 'ids is required: the exceptions to act on' }).min(1, 'ids must not be empty').max(500, 'ids: at most 500 at once'),
});

/** Exceptions under /api/v1/exceptions, described in docs/openapi.yaml. */
export function exceptionRoutes(service: ExceptionService, actorOf: ActorOf): Router {
  const router = Router();
  router.get('/api/v1/exceptions', async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    const w = failedWindow(q, Date.now());
    const filter = { ...w, states: q.state, kinds: q.kind, owner: q.owner, flow: q.flow, system: q.system, bucket: q.bucket, errorCode: q.error_code, errorClass: q.error_class };
    res.json(await service.list(filter, { limit: q.limit, offset: q.offset, sort: q.sort }));
  });
  router.get('/api/v1/exceptions/aging', async (req, res) => {
    const q = parseQuery(agingQuery, req.query);
    const w = failedWindow(q, Date.now());
    res.json(await service.aging(w.lookbackMs, { from: w.failedFrom, to: w.failedTo }));
  });
  router.get('/api/v1/exceptions/:id', async (req, res) => {
    const q = parseQuery(lookbackQuery, req.query);
    res.json(await service.get(req.params.id, q.lookback * 1000));
  });
  router.post('/api/v1/exceptions/actions', async (req, res) => {
    const body = checkAction(bulkAction, await jsonBody(req));
    res.locals.audit = { target: body.ids.join(','), detail: noteOf(body, `${body.ids.length} exceptions`) } satisfies AuditNote;
    res.status(201).json(await service.act(body.ids, { ...body, actor: actorOf(req) }, 90 * DAY_S * 1000));
  });
  router.post('/api/v1/exceptions/:id/actions', async (req, res) => {
    const body = checkAction(action, await jsonBody(req));
    res.locals.audit = { detail: noteOf(body) } satisfies AuditNote;
    res.status(201).json(await service.act([req.params.id], { ...body, actor: actorOf(req) }, 90 * DAY_S * 1000));
  });
  return router;
}

/**
 * The failures to read: the lookback, or for an absolute range [from, to) a lookback reaching back to `from`
 * in whole days (so the answers of a few ranges are shared, sharedResult) and only what first failed in range.
 */
function failedWindow(q: { lookback: number; from?: number; to?: number }, now: number): { lookbackMs: number; failedFrom?: number; failedTo?: number } {
  if (q.from === undefined && q.to === undefined) return { lookbackMs: q.lookback * 1000 };
  if (q.from === undefined) throw badParameter('from', 'required with to: the start of the range');
  const to = q.to ?? now;
  if (q.from >= to) throw badParameter('to', 'must be later than from');
  if (now - q.from > MAX_LOOKBACK_S * 1000) throw badParameter('from', 'must be within the last 90 days: exceptions are read from at most 90 days of failures');
  const days = Math.min(90, Math.max(1, Math.ceil((now - q.from) / (DAY_S * 1000))));
  return { lookbackMs: days * DAY_S * 1000, failedFrom: q.from, failedTo: to };
}

/** The audit row's detail for an action: which one (assign, resolve, …) and whom it assigns to, beside `extra`. */
function noteOf(body: { action: string; assignee?: string | undefined }, extra = ''): string {
  return [body.action, extra, body.assignee === undefined ? '' : `assignee ${body.assignee}`].filter((part) => part !== '').join('; ');
}

async function jsonBody(req: Request): Promise<unknown> {
  const raw = await readRawBody(req, 64 * 1024);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError(400, 'invalid_json', 'the body must be a JSON object');
  }
}

function checkAction<T extends z.ZodType<z.output<typeof action>>>(schema: T, body: unknown): z.output<T> {
  refuseActorField(body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    throw new AppError(400, 'invalid_body', details.map((d) => `${d.field}: ${d.message}`).join('; '), { details });
  }
  const value = parsed.data as z.output<typeof action>;
  const missing = (field: string, message: string) => new AppError(400, 'invalid_body', `${field}: ${message}`, { details: [{ field, message }] });
  if (value.action === 'assign' && !value.assignee) throw missing('assignee', 'required to assign');
  if (value.action === 'resolve' && !value.note) throw missing('note', 'required to resolve: say how it was fixed');
  if (value.action === 'comment' && !value.note) throw missing('note', 'required for a comment');
  return parsed.data;
}
