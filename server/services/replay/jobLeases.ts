import type { ClickHouseClient } from '@clickhouse/client';
import { decideLease, liveHolder, stillHeld } from '../../domain/replayLease.js';
import { insertLeaseRow, latestTerms } from '../../store/queries/replayLeases.js';
import type { Schema } from '../../store/schema.js';

export type LeaseTaken = { ok: true; term: number; takeover: boolean } | { ok: false; holder: string; until: number };

/**
 * Which server runs each replay job, when several share the store (issue 8). One server takes a job's lease
 * before running it, renews it while it runs (every third of `leaseMs`), and releases it when the job ends or
 * the server stops; a lease not renewed for `leaseMs` expires and another server takes the job over. Server
 * clocks must agree to well within `leaseMs` (NTP), as expiry is written by the holder and read by the others.
 *
 * The lease only decides who runs a job. What keeps an item from being sent twice even if two servers ever both
 * believed they held one (a holder paused longer than its lease) is the item's own compare-and-set
 * (replayClaims.ts): only one server's `sending` row is ever kept for one claim.
 */
export type JobLeases = {
  readonly instance: string;
  readonly leaseMs: number;
  take(jobId: string): Promise<LeaseTaken>;
  /** Extend this server's term; false when it is no longer this server's (another term, or expired). */
  renew(jobId: string, term: number): Promise<boolean>;
  release(jobId: string, term: number): Promise<void>;
  /** The jobs among these whose lease another server holds now. */
  heldElsewhere(jobIds: readonly string[]): Promise<Set<string>>;
};

export function createJobLeases(client: ClickHouseClient, schema: Schema, options: { instance: string; leaseMs: number; clock: () => number }): JobLeases {
  const { instance, leaseMs, clock } = options;
  const termOf = async (jobId: string) => (await latestTerms(client, schema, [jobId])).get(jobId);
  const write = (jobId: string, term: number, action: 'take' | 'renew' | 'release') => {
    const at = clock();
    return insertLeaseRow(client, schema, { job_id: jobId, term, instance, action, at, expires_at: action === 'release' ? at : at + leaseMs });
  };

  return {
    instance,
    leaseMs,
    async take(jobId) {
      const decision = decideLease(await termOf(jobId), instance, clock());
      if (decision.kind === 'held') return { ok: false, holder: decision.holder, until: decision.until };
      if (decision.kind === 'mine') return { ok: true, term: decision.term, takeover: false };
      // Every server taking this term inserts with one token: the store keeps one take, and it names the holder.
      await write(jobId, decision.term, 'take');
      const now = await termOf(jobId);
      if (stillHeld(now, decision.term, instance, clock())) return { ok: true, term: decision.term, takeover: decision.takeover };
      return { ok: false, holder: now === undefined ? '' : (liveHolder(now, clock()) ?? now.takers.join(', ')), until: now?.expiresAt ?? 0 };
    },
    async renew(jobId, term) {
      if (!stillHeld(await termOf(jobId), term, instance, clock())) return false;
      await write(jobId, term, 'renew');
      return stillHeld(await termOf(jobId), term, instance, clock());
    },
    async release(jobId, term) {
      if (stillHeld(await termOf(jobId), term, instance, clock())) await write(jobId, term, 'release');
    },
    async heldElsewhere(jobIds) {
      const now = clock();
      const terms = await latestTerms(client, schema, jobIds);
      return new Set([...terms].filter(([, t]) => {
        const holder = liveHolder(t, now);
        return holder !== undefined && holder !== instance;
      }).map(([id]) => id));
    },
  };
}

/** Take the lease of the first of these jobs (in order) no other server holds. */
export async function firstTaken(leases: JobLeases, jobIds: readonly string[]): Promise<{ jobId: string; term: number; takeover: boolean } | undefined> {
  for (const jobId of jobIds) {
    const lease = await leases.take(jobId);
    if (lease.ok) return { jobId, term: lease.term, takeover: lease.takeover };
  }
  return undefined;
}

/** Renew a held lease every third of its length until the returned function is called; reports each outcome. */
export function keepRenewing(
  leases: JobLeases,
  held: { jobId: string; term: number },
  on: { confirmed(): void; lost(): void; failed(err: unknown): void },
): () => void {
  const timer = setInterval(() => {
    leases.renew(held.jobId, held.term).then((still) => (still ? on.confirmed() : on.lost()), on.failed);
  }, leases.leaseMs / 3);
  timer.unref();
  return () => clearInterval(timer);
}
