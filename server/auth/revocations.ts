import type { RevokedSession } from '../store/queries/sessionRevocations.js';
import type { SessionClaims } from './sessions.js';

/**
 * Sessions ended by signing out. A session cookie is signed, not stored, so signing out alone would only make the
 * browser forget it; this list makes the server refuse it too. This server knows its own sign-outs at once; those
 * of other servers sharing the store within `refreshMs`. When the store cannot be read, the list known so far
 * still applies and the read is tried again `refreshMs` later.
 */
export type Revocations = {
  revoke(claims: SessionClaims): Promise<void>;
  isRevoked(claims: SessionClaims): Promise<boolean>;
};

export type RevocationStore = { save(revoked: RevokedSession, now: number): Promise<void>; load(now: number): Promise<RevokedSession[]> };

type Logger = { warn(obj: object, msg: string): void };

export function sessionKey(claims: Pick<SessionClaims, 'name' | 'issuedAt'>): string {
  return `${claims.name.toLowerCase()}|${claims.issuedAt}`;
}

export function createRevocations(options: { store: RevocationStore; refreshMs?: number; now?: () => number; logger?: Logger }): Revocations {
  const { store, logger } = options;
  const refreshMs = options.refreshMs ?? 5_000;
  const now = options.now ?? Date.now;
  const known = new Map<string, number>();
  let loadedAt = Number.NEGATIVE_INFINITY;
  let loading: Promise<void> | undefined;

  const remember = (revoked: RevokedSession) => known.set(revoked.key, Math.max(known.get(revoked.key) ?? 0, revoked.expiresAt));
  const refresh = async () => {
    const at = now();
    try {
      for (const revoked of await store.load(at)) remember(revoked);
      loadedAt = at;
    } catch (err) {
      // Tried again after refreshMs, not on every request meanwhile (a store outage must not flood it or the log).
      loadedAt = at;
      logger?.warn({ err }, 'could not read the signed-out sessions; those known so far still apply');
    }
    for (const [key, expiresAt] of known) if (expiresAt <= at) known.delete(key);
  };

  return {
    async revoke(claims) {
      const revoked = { key: sessionKey(claims), expiresAt: claims.expiresAt };
      remember(revoked);
      await store.save(revoked, now());
    },
    async isRevoked(claims) {
      if (now() - loadedAt >= refreshMs) {
        loading ??= refresh().finally(() => {
          loading = undefined;
        });
        await loading;
      }
      return known.has(sessionKey(claims));
    },
  };
}
