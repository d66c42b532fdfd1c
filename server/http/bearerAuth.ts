import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { IngestKey } from '../config/settingValues.js';
import { AppError } from '../errors.js';

/**
 * Require `Authorization: Bearer <token>` with one of `tokens`, compared in constant time. The matched key's
 * name is left in `res.locals.ingestKey` (plain string tokens are named `default`).
 */
export function requireBearer(tokens: readonly (string | IngestKey)[], realm: string): RequestHandler {
  const keys = tokens.map((t) => (typeof t === 'string' ? { name: 'default', token: t } : t));
  const digests = keys.map((k) => digest(k.token));
  const challenge = { 'WWW-Authenticate': `Bearer realm="${realm}"` };
  return (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      next(new AppError(401, 'unauthorized', 'missing bearer token: send Authorization: Bearer <ingest token>', { headers: challenge }));
      return;
    }
    const given = digest(match[1]!);
    // Compare against every token so the time taken does not tell which one (or whether any) matched.
    let matched = -1;
    digests.forEach((d, i) => {
      if (timingSafeEqual(d, given) && matched === -1) matched = i;
    });
    if (matched === -1) {
      next(new AppError(401, 'unauthorized', 'invalid bearer token', { headers: challenge }));
      return;
    }
    res.locals.ingestKey = keys[matched]!.name;
    next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
