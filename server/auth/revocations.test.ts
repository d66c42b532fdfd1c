import { describe, expect, it } from 'vitest';
import type { RevokedSession } from '../store/queries/sessionRevocations.js';
import { createRevocations, sessionKey, type RevocationStore } from './revocations.js';

const T0 = Date.parse('2026-11-27T10:00:00Z');
const session = (name: string, issuedAt = T0) => ({ name, role: 'operator' as const, issuedAt, expiresAt: issuedAt + 3_600_000 });

function sharedStore() {
  const rows: RevokedSession[] = [];
  let failing = false;
  const store: RevocationStore = {
    save: async (revoked) => void rows.push(revoked),
    load: async (now) => {
      if (failing) throw new Error('store down');
      return rows.filter((r) => r.expiresAt > now);
    },
  };
  return { store, fail: (on: boolean) => (failing = on) };
}

describe('signed-out sessions', () => {
  it('refuses a signed-out session at once here, and on another server after its next refresh', async () => {
    const { store } = sharedStore();
    let now = T0;
    const here = createRevocations({ store, refreshMs: 5_000, now: () => now });
    const there = createRevocations({ store, refreshMs: 5_000, now: () => now });
    expect(await there.isRevoked(session('ana'))).toBe(false);

    await here.revoke(session('Ana'));
    expect(await here.isRevoked(session('ana'))).toBe(true);
    expect(await here.isRevoked(session('ana', T0 + 1))).toBe(false);
    expect(await there.isRevoked(session('ana'))).toBe(false);
    now += 5_000;
    expect(await there.isRevoked(session('ana'))).toBe(true);
  });

  it('forgets a session once it would have expired anyway, and keeps what it knows while the store is down', async () => {
    const { store, fail } = sharedStore();
    let now = T0;
    const warnings: string[] = [];
    const revocations = createRevocations({ store, refreshMs: 1_000, now: () => now, logger: { warn: (_obj, msg) => void warnings.push(msg) } });
    await revocations.revoke(session('bo'));
    fail(true);
    now += 2_000;
    expect(await revocations.isRevoked(session('bo'))).toBe(true);
    // The store is asked again a refresh later, not on every request meanwhile.
    for (let i = 0; i < 5; i++) expect(await revocations.isRevoked(session('bo'))).toBe(true);
    expect(warnings).toHaveLength(1);
    fail(false);
    now += 3_600_000;
    expect(await revocations.isRevoked(session('bo'))).toBe(false);
    expect(sessionKey(session('BO'))).toBe(`bo|${T0}`);
  });
});
