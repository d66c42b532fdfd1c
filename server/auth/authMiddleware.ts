import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors.js';
import { ANONYMOUS, type Authenticator, type Identity, type IdentityProblem, type Resolved } from './authenticator.js';
import { decide, isMutating, requirementFor, type Access, type RouteRule } from './policy.js';

/**
 * Access control for every request: who is asking (authenticator.ts) → `res.locals.identity` → the policy's rule
 * for the route (policy.ts) → 401 when nobody is identified (saying what to send), 403 when the identity lacks the
 * role (saying which one is needed). Mount it at the app's root, after the audit trail (so refusals are recorded)
 * and before every route. Collector writes pass untouched: they check their ingest key or signature themselves.
 *
 * Cross-site request forgery: the session cookie is `SameSite=Strict`, so browsers do not send it with requests
 * started by another site; and every mutating /api request must be `Content-Type: application/json`. A page on
 * another site can only send JSON cross-origin after a CORS preflight, which Flowlens never grants, while the
 * requests it can send without one (HTML forms: urlencoded, multipart, text/plain) are refused here with 415.
 * The second rule still protects browsers without SameSite and sign-in itself (login CSRF). API tokens travel in
 * a header a browser never adds by itself. A DELETE without a body carries nothing to check and is let through.
 */
export function authMiddleware(auth: Authenticator): RequestHandler {
  return async (req, res, next) => {
    try {
      const { rule } = requirementFor(req.method, req.path);
      if (rule.access === 'ingest' || rule.access === 'signature') {
        res.locals.identity = ANONYMOUS;
        next();
        return;
      }
      const { identity, problem } = await identifyFor(auth, req, rule.access === 'anonymous');
      res.locals.identity = identity;
      res.locals.identityProblem = problem;
      // A cookie that no longer signs anyone in is removed, so the browser stops sending it — by an API answer,
      // which says why; the page and its scripts leave it, so the sign-in page can still tell the reason.
      if (problem?.startsWith('session_') && isApiPath(req.path)) res.append('Set-Cookie', auth.logoutCookie(req));
      const decision = decide(rule.access, identity.kind);
      if (!decision.allow) {
        res.locals.auditDetail = decision.status === 401 ? (problem ?? 'no_credentials') : `needs_${decision.needs}`;
        next(decision.status === 401 ? unauthenticated(problem) : forbidden(rule, decision.needs, identity));
        return;
      }
      if (isApiPath(req.path) && !sendsJson(req)) {
        res.locals.auditDetail = 'not_json';
        next(new AppError(415, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json (form posts are refused: another site could send them)'));
        return;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Who is asking; on a route open to anyone, a failure to tell (the users file broken) only makes them nobody. */
async function identifyFor(auth: Authenticator, req: Request, openToAnyone: boolean): Promise<Resolved> {
  try {
    return await auth.identify(req);
  } catch (err) {
    if (openToAnyone) return { identity: ANONYMOUS };
    throw err;
  }
}

/** Why credentials sent with this request identified nobody (a route open to anyone can say so), if they did not. */
export function identityProblemOf(res: Response): IdentityProblem | undefined {
  return res.locals.identityProblem as IdentityProblem | undefined;
}

/** The identity the auth middleware found for this response (anonymous when it did not run or found nobody). */
export function identityOf(res: Response): Identity {
  return (res.locals.identity as Identity | undefined) ?? ANONYMOUS;
}

/**
 * Who is acting, for the routes' `actorOf` (replacing the `actor` of request bodies): the signed-in user, or the
 * API token's fingerprint name. Throws 401 when nobody is identified, which the policy prevents on mutating
 * routes, and a 500 when the auth middleware is not mounted.
 */
export function actorOf(req: Request): string {
  const identity = req.res?.locals.identity as Identity | undefined;
  if (identity === undefined) throw new AppError(500, 'internal', 'actorOf: the auth middleware is not mounted before this route', { operational: false });
  if (identity.kind === 'anonymous' || identity.kind === 'ingest') throw unauthenticated(undefined);
  return identity.name;
}

const PROBLEMS: Record<IdentityProblem | 'none', string> = {
  none: 'sign in first (POST /api/v1/session with {"name", "password"}) or send Authorization: Bearer <API token>',
  invalid_token: 'the bearer token is neither an API token nor an ingest key',
  unsupported_authorization: 'Authorization must be "Bearer <API token>"',
  session_expired: 'your session has expired: sign in again',
  session_invalid: 'the session cookie is not valid (altered, or signed with another key): sign in again',
  session_ended: 'your session has ended (your account was removed or its role changed): sign in again',
  session_signed_out: 'this session was signed out: sign in again',
};

/** The 401 for a request that identified nobody, saying why (or how to sign in). */
export function unauthenticated(problem: IdentityProblem | undefined): AppError {
  return new AppError(401, 'unauthenticated', PROBLEMS[problem ?? 'none'], { headers: { 'WWW-Authenticate': 'Bearer realm="flowlens"' } });
}

function forbidden(rule: RouteRule, needs: Access, identity: Identity): AppError {
  const what = `${rule.method} ${rule.pattern === '(unlisted)' ? 'on an unlisted route' : rule.pattern}`;
  return new AppError(403, 'forbidden', `${what} needs the ${needs} role; ${whoIs(identity)}`);
}

/** Who a refused caller is, for the 403's message: its name and role, or that an ingest key only sends events. */
export function whoIs(identity: Identity): string {
  return identity.kind === 'ingest' ? `${identity.name} is an ingest key, which can only send events (POST /v1/events, /v1/files/…)` : `${identity.name} is ${identity.kind}`;
}

function isApiPath(path: string): boolean {
  return /^\/api(\/|$)/i.test(path);
}

function sendsJson(req: Request): boolean {
  if (!isMutating(req.method)) return true;
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (req.method.toUpperCase() === 'DELETE' && !hasBody) return true;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}
