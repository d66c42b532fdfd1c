import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { IngestKey } from '../config/settingValues.js';
import { AppError } from '../errors.js';

/** Whether an `Authorization` header holds one of the keys: the key's name, or why not. */
export type BearerCheck = (authorization: string | undefined) => { ok: true; name: string } | { ok: false; message: string };

/**
 * A check of `Authorization: Bearer <token>` against `tokens`, compared in constant time (plain string tokens
 * are named `default`).
 */
export function bearerCheck(tokens: readonly (string | IngestKey)[]): BearerCheck {
  const keys = tokens.map((t) => (typeof t === 'string' ? { name: 'default', token: t } : t));
  const digests = keys.map((k) => digest(k.token));
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return { ok: false, message: 'missing bearer token: send Authorization: Bearer <ingest token>' };
    const given = digest(match[1]!);
    // Compare against every token so the time taken does not tell which one (or whether any) matched.
    let matched = -1;
    digests.forEach((d, i) => {
      if (timingSafeEqual(d, given) && matched === -1) matched = i;
    });
    return matched === -1 ? { ok: false, message: 'invalid bearer token: send an ingest key of FLOWLENS_INGEST_TOKENS (API tokens and sign-ins read and act; they do not send events)' } : { ok: true, name: keys[matched]!.name };
  };
}

/**
 * Require `Authorization: Bearer <token>` with one of `tokens`. The matched key's name is left in
 * `res.locals.ingestKey`.
 */
export function requireBearer(tokens: readonly (string | IngestKey)[], realm: string): RequestHandler {
  const check = bearerCheck(tokens);
  const challenge = { 'WWW-Authenticate': `Bearer realm="${realm}"` };
  return (req, res, next) => {
    const result = check(req.headers.authorization);
    if (!result.ok) {
      next(new AppError(401, 'unauthorized', result.message, { headers: challenge }));
      return;
    }
    res.locals.ingestKey = result.name;
    next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
