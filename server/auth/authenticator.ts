import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IngestKey } from '../config/settingValues.js';
import { ConfigError } from '../config/config.js';
import type { ApiTokenRing } from './apiTokens.js';
import { createLoginThrottle, type LoginThrottle } from './loginThrottle.js';
import { hashPassword, paramsOf, verifyPassword } from './passwords.js';
import type { IdentityKind, Role } from './policy.js';
import {
  SESSION_COOKIE,
  clearedSessionCookie,
  clientAddress,
  readCookie,
  requestIsHttps,
  sessionCookie,
  signSession,
  verifySession,
  type RequestOrigin,
} from './sessions.js';
import type { UserDirectory } from './users.js';
import { createRevocations, type Revocations } from './revocations.js';

/**
 * Who is asking, from `Authorization: Bearer <token>` (an API token, or an ingest key that may only write) or the
 * session cookie; and sign-in. Sign-in answers the same for an unknown name and a wrong password and takes as
 * long (an unknown name is checked against a dummy hash of the same cost), and is rate-limited per address+name.
 */

/** The caller, as the policy and the audit trail see it. `name` is a user, `token:<fingerprint>` or `ingest:<key>`. */
export type Identity = {
  kind: IdentityKind;
  name: string;
  role: Role | null;
  via: 'session' | 'api_token' | 'ingest_key' | 'none';
  /** When the session ends (sessions only), epoch ms. */
  expiresAt?: number;
};

export const ANONYMOUS: Identity = Object.freeze({ kind: 'anonymous', name: 'anonymous', role: null, via: 'none' });

/** Why credentials that were sent did not identify anyone: the 401 says so. */
export type IdentityProblem = 'invalid_token' | 'unsupported_authorization' | 'session_expired' | 'session_invalid' | 'session_ended' | 'session_signed_out';

export type Resolved = { identity: Identity; problem?: IdentityProblem };

export type LoginOutcome =
  | { ok: true; identity: Identity; setCookie: string }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

export type Authenticator = {
  identify(req: RequestOrigin): Promise<Resolved>;
  login(req: RequestOrigin, name: string, password: string): Promise<LoginOutcome>;
  /** `Set-Cookie` that makes the browser forget its session. */
  logoutCookie(req: RequestOrigin): string;
  /** Sign out: the request's session (if valid) is refused from now on; answers the `Set-Cookie` that clears it. */
  logout(req: RequestOrigin): Promise<string>;
  /** The client's address as sign-in limits and the audit trail record it. */
  addressOf(req: RequestOrigin): string;
};

export type AuthenticatorOptions = {
  users: UserDirectory;
  apiTokens: ApiTokenRing;
  ingestKeys: readonly IngestKey[];
  secret: Buffer;
  sessionTtlMs: number;
  trustProxy: boolean;
  throttle?: LoginThrottle;
  /** Sessions ended by signing out; default: remembered by this process only. */
  revocations?: Revocations;
  now?: () => number;
};

export async function createAuthenticator(options: AuthenticatorOptions): Promise<Authenticator> {
  const { users, apiTokens, secret, sessionTtlMs: ttl, trustProxy } = options;
  const now = options.now ?? Date.now;
  const throttle = options.throttle ?? createLoginThrottle();
  let lastIssuedAt = 0;
  const revocations = options.revocations ?? createRevocations({ store: { save: async () => {}, load: async () => [] }, now });
  const ingest = ingestKeyRing(options.ingestKeys, apiTokens);
  const dummyHash = await hashPassword(randomBytes(18).toString('base64url'), paramsOf(users.sample()?.passwordHash));

  return {
    addressOf: (req) => clientAddress(req, trustProxy),
    logoutCookie: (req) => clearedSessionCookie(requestIsHttps(req, trustProxy)),
    async logout(req) {
      const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
      const check = cookie === undefined || cookie === '' ? undefined : verifySession(cookie, secret, now(), ttl);
      if (check?.ok) await revocations.revoke(check.claims);
      return clearedSessionCookie(requestIsHttps(req, trustProxy));
    },

    async identify(req) {
      const authorization = req.headers.authorization;
      if (authorization !== undefined) {
        const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
        if (bearer === undefined) return { identity: ANONYMOUS, problem: 'unsupported_authorization' };
        const token = apiTokens.match(bearer);
        if (token) return { identity: { kind: token.role, name: `token:${token.fingerprint}`, role: token.role, via: 'api_token' } };
        const key = ingest(bearer);
        if (key !== undefined) return { identity: { kind: 'ingest', name: `ingest:${key}`, role: null, via: 'ingest_key' } };
        return { identity: ANONYMOUS, problem: 'invalid_token' };
      }
      const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (cookie === undefined || cookie === '') return { identity: ANONYMOUS };
      const check = verifySession(cookie, secret, now(), ttl);
      if (!check.ok) return { identity: ANONYMOUS, problem: check.reason === 'expired' ? 'session_expired' : 'session_invalid' };
      const user = await users.find(check.claims.name);
      if (!user || user.role !== check.claims.role) return { identity: ANONYMOUS, problem: 'session_ended' };
      if (await revocations.isRevoked(check.claims)) return { identity: ANONYMOUS, problem: 'session_signed_out' };
      return { identity: { kind: user.role, name: user.name, role: user.role, via: 'session', expiresAt: check.claims.expiresAt } };
    },

    async login(req, name, password) {
      const address = clientAddress(req, trustProxy);
      const at = now();
      const gate = throttle.check(address, name, at);
      if (!gate.allowed) return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil(gate.retryAfterMs / 1000)) };
      throttle.failed(address, name, at);
      const user = await users.find(name);
      const matches = await verifyPassword(password, user?.passwordHash ?? dummyHash);
      if (!user || !matches) return { ok: false, reason: 'invalid_credentials' };
      throttle.succeeded(address, name, at);
      // A session is named by its user and issue instant (signing out ends that one): never two in one millisecond.
      const issuedAt = Math.max(now(), lastIssuedAt + 1);
      lastIssuedAt = issuedAt;
      const claims = { name: user.name, role: user.role, issuedAt, expiresAt: issuedAt + ttl };
      return {
        ok: true,
        identity: { kind: user.role, name: user.name, role: user.role, via: 'session', expiresAt: claims.expiresAt },
        setCookie: sessionCookie(signSession(claims, secret), ttl, requestIsHttps(req, trustProxy)),
      };
    },
  };
}

/** Ingest keys, known so that one sent to a read is told it may only write (403) rather than unknown (401). */
function ingestKeyRing(keys: readonly IngestKey[], apiTokens: ApiTokenRing): (token: string) => string | undefined {
  const clash = keys.filter((k) => apiTokens.holds(k.token)).map((k) => k.name);
  if (clash.length > 0) throw new ConfigError([`FLOWLENS_INGEST_TOKENS: ingest key ${clash.join(', ')} is also an API token; give automation and sources different tokens`]);
  const digests = keys.map((k) => ({ name: k.name, digest: sha256(k.token) }));
  return (token) => {
    const given = sha256(token);
    let found: string | undefined;
    for (const k of digests) {
      if (timingSafeEqual(k.digest, given) && found === undefined) found = k.name;
    }
    return found;
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
