import { describe, expect, it } from 'vitest';
import { decideClaim } from './notificationClaims.js';

const T = 1_000_000;
const LEASE = 300_000;

describe('decideClaim', () => {
  it('lets the first claimant have a notification no one has claimed', () => {
    expect(decideClaim([], T, LEASE)).toEqual({ claimed: true, attempt: 1 });
  });

  it('refuses a notification being sent, delivered, or refused for good', () => {
    expect(decideClaim([{ status: 'claimed', attempt: 1, at: T - 1000 }], T, LEASE)).toEqual({ claimed: false, reason: 'in_flight' });
    expect(decideClaim([{ status: 'claimed', attempt: 1, at: T - 1000 }, { status: 'retrying', attempt: 1, at: T - 900 }], T, LEASE)).toEqual({ claimed: false, reason: 'in_flight' });
    expect(decideClaim([{ status: 'claimed', attempt: 1, at: T }, { status: 'delivered', attempt: 1, at: T }], T, LEASE)).toEqual({ claimed: false, reason: 'delivered' });
    expect(decideClaim([{ status: 'claimed', attempt: 1, at: T }, { status: 'rejected', attempt: 1, at: T }], T, LEASE)).toEqual({ claimed: false, reason: 'rejected' });
  });

  it('lets a round that failed be claimed again, numbering on from its last attempt', () => {
    const failed = [
      { status: 'claimed' as const, attempt: 1, at: T - 30_000 },
      { status: 'retrying' as const, attempt: 1, at: T - 30_000 },
      { status: 'failed' as const, attempt: 2, at: T - 29_000 },
    ];
    expect(decideClaim(failed, T, LEASE)).toEqual({ claimed: true, attempt: 3 });
  });

  it('takes over a claim whose holder vanished without an outcome once the lease has passed', () => {
    expect(decideClaim([{ status: 'claimed', attempt: 1, at: T - LEASE }], T, LEASE)).toEqual({ claimed: true, attempt: 2 });
  });
});
