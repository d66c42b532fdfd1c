import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../errors.js';

/** Require `Authorization: Bearer <token>` with one of `tokens`, compared in constant time. */
export function requireBearer(tokens: readonly string[], realm: string): RequestHandler {
  const digests = tokens.map(digest);
  const challenge = { 'WWW-Authenticate': `Bearer realm="${realm}"` };
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      next(new AppError(401, 'unauthorized', 'missing bearer token: send Authorization: Bearer <ingest token>', { headers: challenge }));
      return;
    }
    const given = digest(match[1]!);
    // Compare against every token so the time taken does not tell which one (or whether any) matched.
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, given) || ok;
    if (!ok) {
      next(new AppError(401, 'unauthorized', 'invalid bearer token', { headers: challenge }));
      return;
    }
    next();
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
