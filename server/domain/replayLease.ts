/**
 * Which server runs a replay job (issue 8), decided from the job's lease rows (migration 0017). Pure: the lease
 * store reads the latest term and decides with these.
 *
 * A term is taken by one server (`take`), renewed by it while it runs the job (`renew`), and ended by it
 * (`release`) when the job is done or the server stops. A term whose holder stopped renewing expires; the next
 * server to look takes the next term and resumes the job — a takeover, after which what the vanished holder left
 * half-done (a send whose answer it never wrote) is settled before anything is sent again.
 */

/** The latest term of a job's lease, as the store aggregates it. */
export type LeaseTerm = {
  term: number;
  /** The servers whose `take` of this term was stored: one, unless a contender's insert escaped deduplication. */
  takers: readonly string[];
  /** The latest expiry a take or renewal of this term wrote (ms). */
  expiresAt: number;
  released: boolean;
};

export type LeaseDecision =
  /** Take `term`; `takeover` when the term before it ended without a release (its holder vanished). */
  | { kind: 'take'; term: number; takeover: boolean }
  /** This server holds the term already. */
  | { kind: 'mine'; term: number }
  | { kind: 'held'; holder: string; until: number };

/** Whether `term` is live: taken by exactly one server, not released, not expired at `now`. */
export function liveHolder(term: LeaseTerm | undefined, now: number): string | undefined {
  if (term === undefined || term.released || now >= term.expiresAt || term.takers.length !== 1) return undefined;
  return term.takers[0];
}

/** What `instance` may do about a job whose latest term is `current`, at `now`. */
export function decideLease(current: LeaseTerm | undefined, instance: string, now: number): LeaseDecision {
  if (current === undefined) return { kind: 'take', term: 1, takeover: false };
  const holder = liveHolder(current, now);
  if (holder === instance) return { kind: 'mine', term: current.term };
  if (holder !== undefined) return { kind: 'held', holder, until: current.expiresAt };
  return { kind: 'take', term: current.term + 1, takeover: !current.released };
}

/** Whether `instance` still holds `term`, given the latest term the store shows. */
export function stillHeld(current: LeaseTerm | undefined, term: number, instance: string, now: number): boolean {
  return current?.term === term && liveHolder(current, now) === instance;
}
