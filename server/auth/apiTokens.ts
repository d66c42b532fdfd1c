import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config/config.js';
import type { Role } from './policy.js';

/**
 * API tokens for automation (FLOWLENS_API_TOKENS, `<token>:<role>`). Only SHA-256 digests are kept; a presented
 * token is compared with every one in constant time, so the time taken tells neither which token nor whether any
 * matched. The audit trail names a token by a fingerprint (the digest's first 12 hex characters), never the token.
 */

export type ApiTokenEntry = { token: string; role: Role };
export type ApiTokenMatch = { role: Role; fingerprint: string };

export type ApiTokenRing = {
  /** The token's role and fingerprint, or undefined when it is not an API token. */
  match(token: string): ApiTokenMatch | undefined;
  /** Whether the ring holds this token (to refuse one configured as both an API token and an ingest key). */
  holds(token: string): boolean;
  size: number;
};

/** The name an API token goes by in the audit trail and logs. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

/** The configured tokens as digests. A token listed twice throws ConfigError (which role would it have?). */
export function apiTokenRing(entries: readonly ApiTokenEntry[]): ApiTokenRing {
  const stored = entries.map((e) => ({ digest: digest(e.token), role: e.role, fingerprint: tokenFingerprint(e.token) }));
  const problems = stored.flatMap((s, i) => {
    const first = stored.findIndex((o) => o.digest.equals(s.digest));
    return first < i ? [`FLOWLENS_API_TOKENS: token ${i + 1} (${s.fingerprint}) repeats token ${first + 1}`] : [];
  });
  if (problems.length > 0) throw new ConfigError(problems);
  const find = (token: string) => {
    const given = digest(token);
    let found: (typeof stored)[number] | undefined;
    for (const s of stored) {
      if (timingSafeEqual(s.digest, given) && found === undefined) found = s;
    }
    return found;
  };
  return {
    size: stored.length,
    match(token) {
      const found = find(token);
      return found && { role: found.role, fingerprint: found.fingerprint };
    },
    holds: (token) => find(token) !== undefined,
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
