import { Router, type Request } from 'express';
import { z } from 'zod';
import { ALERT_FILTERS } from '../../contracts/alertApi.js';
import { AppError } from '../../errors.js';
import type { AlertService } from '../../services/alerts/alertService.js';
import { instant, parseQuery } from '../queryParams.js';
import type { AuditNote } from '../../auth/auditTrail.js';
import { refuseActorField, type ActorOf } from '../actor.js';
import { readRawBody } from '../readBody.js';

const DAY_S = 86_400;
const ALERT_ID = /^[0-9a-f]{16}$/;

const listQuery = z.strictObject({
  state: z
    .string()
    .default('pending,firing,acknowledged')
    .transform((value, ctx) => {
      const states = value.split(',').map((s) => s.trim());
      const unknown = states.filter((s) => !(ALERT_FILTERS as readonly string[]).includes(s));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown state ${unknown.join(', ')}; use ${ALERT_FILTERS.join(', ')}, or several separated by commas` });
      return states as (typeof ALERT_FILTERS)[number][];
    }),
  lookback: z.coerce
    .number()
    .int('lookback must be a whole number of seconds')
    .min(60, 'lookback must be at least 60 seconds')
    .max(90 * DAY_S, `lookback must be at most ${90 * DAY_S} seconds (90 days)`)
    .default(7 * DAY_S),
  limit: z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(500, 'limit must be at most 500').default(50),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be 0 or more').default(0),
});

/** Body fields say what is wrong; checkBody puts the field's name in front. */
const field = (max: number) => z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const note = z.string({ error: 'must be text' }).trim().max(4096, 'must be at most 4096 characters').default('');
/** A time in a body: epoch milliseconds, or ISO 8601 with a zone. */
const time = z.union([z.number().int('must be whole epoch milliseconds').nonnegative('must not be negative'), instant], { error: 'must be epoch milliseconds or an ISO 8601 time with a zone, e.g. 2026-11-27T10:00:00Z' });

const actionBody = z.strictObject({ note });
const matcher = z
  .strictObject({
    alert_id: z.string({ error: 'must be text' }).regex(ALERT_ID, 'must be 16 hex characters').optional(),
    rule: field(64).optional(),
    policy: field(64).optional(),
    owner: field(64).optional(),
    flow: field(64).optional(),
    severity: field(16).optional(),
    group: z.record(z.string().min(1, 'a dimension must not be empty'), field(256), { error: 'must be a mapping of dimension: value' }).optional(),
  }, { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object naming the alerts to mute, e.g. { "policy": "refund-ledger" }' : undefined) })
  .refine((m) => Object.values(m).some((v) => v !== undefined && (typeof v === 'string' || Object.keys(v).length > 0)), 'must name at least one of alert_id, rule, policy, owner, flow, severity, group');
const muteBody = z.strictObject({
  matcher,
  ends_at: time,
  starts_at: time.optional(),
  reason: field(1024),
});

/**
 * Alerts under /api/v1/alerts: list, detail, acknowledge, resolve, and mutes, each action recorded as `actorOf`
 * names the caller. Mount before the API's 404.
 */
export function alertRoutes(service: AlertService, actorOf: ActorOf): Router {
  const router = Router();
  router.get('/api/v1/alerts', async (req, res) => {
    const q = parseQuery(listQuery, req.query);
    res.json(await service.list({ states: q.state, lookbackMs: q.lookback * 1000, limit: q.limit, offset: q.offset }));
  });
  router.get('/api/v1/alerts/mutes', async (req, res) => {
    parseQuery(z.strictObject({}), req.query);
    res.json(await service.mutes());
  });
  router.post('/api/v1/alerts/mutes', async (req, res) => {
    const body = checkBody(muteBody, await jsonBody(req));
    const mute = await service.mute(body.matcher, body.ends_at, actorOf(req), body.reason, body.starts_at);
    res.locals.audit = { target: mute.id } satisfies AuditNote;
    res.status(201).json(mute);
  });
  router.delete('/api/v1/alerts/mutes/:id', async (req, res) => {
    checkBody(z.strictObject({}), await jsonBody(req));
    res.json(await service.unmute(req.params.id, actorOf(req)));
  });
  router.get('/api/v1/alerts/:id', async (req, res) => {
    parseQuery(z.strictObject({}), req.query);
    res.json(await service.get(alertId(req.params.id)));
  });
  for (const action of ['acknowledge', 'resolve'] as const) {
    router.post(`/api/v1/alerts/:id/${action}`, async (req, res) => {
      const id = alertId(req.params.id);
      const { note: text } = checkBody(actionBody, await jsonBody(req));
      res.json(await service[action](id, actorOf(req), text));
    });
  }
  return router;
}

function alertId(id: string): string {
  if (!ALERT_ID.test(id)) throw new AppError(400, 'invalid_id', 'id: an alert id is 16 hex characters', { details: [{ field: 'id', message: 'an alert id is 16 hex characters' }] });
  return id;
}

async function jsonBody(req: Request): Promise<unknown> {
  const raw = (await readRawBody(req, 64 * 1024)).toString('utf8');
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(400, 'invalid_json', 'the body must be a JSON object');
  }
}

function checkBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  refuseActorField(body);
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.flatMap((i) => {
    if (i.code === 'unrecognized_keys') return i.keys.map((key) => ({ field: [...i.path, key].join('.'), message: 'unknown field' }));
    const missing = (i.code === 'invalid_type' || i.code === 'invalid_union') && valueAt(body, i.path) === undefined;
    return [{ field: i.path.join('.') || '(body)', message: missing ? 'is required' : i.message }];
  });
  throw new AppError(400, 'invalid_body', details.map((d) => `${d.field}: ${d.message}`).join('; '), { details });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
