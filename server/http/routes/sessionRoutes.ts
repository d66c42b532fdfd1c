import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Authenticator, Identity } from '../../auth/authenticator.js';
import { identityOf, identityProblemOf, unauthenticated } from '../../auth/authMiddleware.js';
import { AppError } from '../../errors.js';
import { readBody } from '../readBody.js';

/** What sign-in and `GET /api/v1/session` answer. */
export type SessionAnswer = { name: string; role: string; via: Identity['via']; expires_at: number | null };

const loginBody = z.strictObject({
  name: z.string({ error: 'name is required: your sign-in name' }).trim().min(1, 'name must not be empty').max(64, 'name must be at most 64 characters'),
  password: z.string({ error: 'password is required' }).min(1, 'password must not be empty').max(1024, 'password must be at most 1024 characters'),
});

/**
 * Sign-in, sign-out and who-am-I under /api/v1/session. Mount after the auth middleware (which lets anyone reach
 * these, requires JSON, and puts the caller in `res.locals.identity`). A failed sign-in answers 401
 * `invalid_credentials` whether the name exists or not; too many answer 429 with Retry-After.
 */
export function sessionRoutes(auth: Authenticator): Router {
  const router = Router();
  router.post('/api/v1/session', async (req, res) => {
    const { name, password } = parseLogin(await jsonBody(req));
    const outcome = await auth.login(req, name, password);
    if (!outcome.ok && outcome.reason === 'rate_limited') {
      res.locals.auditDetail = 'rate_limited';
      throw new AppError(429, 'too_many_attempts', `too many failed sign-ins for this name from your address; try again in ${outcome.retryAfterSeconds} s`, {
        headers: { 'Retry-After': String(outcome.retryAfterSeconds) },
      });
    }
    if (!outcome.ok) throw new AppError(401, 'invalid_credentials', 'invalid name or password');
    res.locals.identity = outcome.identity;
    res.setHeader('Set-Cookie', outcome.setCookie);
    res.setHeader('Cache-Control', 'no-store');
    res.json(answer(outcome.identity));
  });
  router.delete('/api/v1/session', async (req, res) => {
    // The session is refused from now on (on every server sharing the store), not only forgotten by this browser.
    res.setHeader('Set-Cookie', await auth.logout(req));
    res.status(204).end();
  });
  router.get('/api/v1/session', (_req, res) => {
    const identity = identityOf(res);
    // Nobody, or an ingest key (which holds no role): say why a session that was sent no longer counts.
    if (identity.role === null) throw unauthenticated(identityProblemOf(res));
    res.setHeader('Cache-Control', 'no-store');
    res.json(answer(identity));
  });
  return router;
}

function answer(identity: Identity): SessionAnswer {
  return { name: identity.name, role: identity.role ?? identity.kind, via: identity.via, expires_at: identity.expiresAt ?? null };
}

async function jsonBody(req: Request): Promise<unknown> {
  const text = await readBody(req, 8 * 1024);
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(400, 'invalid_json', 'the body must be a JSON object: {"name": "…", "password": "…"}');
  }
}

function parseLogin(body: unknown): z.output<typeof loginBody> {
  const parsed = loginBody.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    field: i.path.join('.') || '(body)',
    message: i.code === 'unrecognized_keys' ? `unknown field ${i.keys.join(', ')}` : i.code === 'invalid_type' && i.path.length === 0 ? 'must be a JSON object' : i.message,
  }));
  throw new AppError(400, 'invalid_body', details.map((d) => `${d.field}: ${d.message}`).join('; '), { details });
}
