import { AsyncLocalStorage } from 'node:async_hooks';
import { inBackground } from '../store/backgroundWork.js';

/** A computation shared by every caller that needs it; see `sharedResult`. */
export type Shared<T> = {
  /** The latest result and when it was computed (`at`, the time it started). */
  get(): Promise<{ at: number; value: T }>;
  /** Forget the latest result (new data was loaded): the next caller computes afresh. */
  invalidate(): void;
  /**
   * New data was loaded: the next caller gets a fresh result once the latest is older than `REUSE_FACTOR` times
   * what it cost to compute (a cheap one at once, a costly one later, at most its max age).
   */
  changed(): void;
};

/**
 * After new data, a result is still reused until it is this many times as old as it took to compute: screens
 * asking every 2 s see new data within about 2 s while answers are cheap, and recomputing keeps the engine busy
 * at most a fifth of the time while they are not.
 */
export const REUSE_FACTOR = 5;

/**
 * One computation shared by every caller: callers that arrive while it runs wait for it, and its result is
 * reused until it is `maxAgeMs` old (0: only the one in flight is shared). Past half that age a caller still
 * gets it at once while a fresh one is computed behind it, so a screen that keeps asking never waits. After
 * `changed()`, a caller waits for a fresh one as soon as the latest is `REUSE_FACTOR` times its cost old. A
 * failed computation is not kept: the next caller computes again. What is computed behind a caller runs as
 * background work (backgroundWork.ts) unless `refreshInBackground` is false.
 */
export function sharedResult<T>(
  compute: (at: number) => Promise<T>,
  maxAgeMs: number,
  clock: () => number = Date.now,
  { refreshInBackground = true }: { refreshInBackground?: boolean } = {},
): Shared<T> {
  let latest: { at: number; value: T } | undefined;
  /** Loads so far (`changed()` calls), and how many the latest result and the last computation started saw. */
  let loads = 0;
  let latestSaw = 0;
  let lastStartSaw = 0;
  /** Whether `latest` was computed from inputs that had all caught up with the data loaded before it started. */
  let latestCurrent = true;
  let inFlight: Promise<{ at: number; value: T }> | undefined;
  let generation = 0;
  let lastCostMs = Number.POSITIVE_INFINITY;
  // A computation nobody waits for runs as background work, unless callers soon will (a live answer): then one
  // caller would wait for it behind every other background query.
  const refreshBehind = refreshInBackground ? inBackground : <R>(work: () => Promise<R>) => work();

  function start(): Promise<{ at: number; value: T }> {
    if (inFlight) return inFlight;
    const at = clock();
    const startedIn = generation;
    const saw = loads;
    lastStartSaw = saw;
    const started = performance.now();
    const reads: Reads = { stale: false };
    // Its own reads wait for what they need, whoever started it.
    const run = reading
      .run(reads, () => latestWillDo.exit(() => compute(at)))
      .then((value) => {
        lastCostMs = performance.now() - started;
        const result = { at, value };
        // Computed before an invalidation: good for those who waited, not to be reused.
        if (startedIn === generation && (!latest || latest.at <= at)) {
          latest = result;
          latestSaw = saw;
          // Built on a shared answer that had not caught up with new data yet: not caught up either.
          latestCurrent = !reads.stale;
        }
        return result;
      })
      .finally(() => {
        if (inFlight === run) inFlight = undefined;
      });
    inFlight = run;
    return run;
  }

  return {
    get() {
      const age = latest ? clock() - latest.at : Number.POSITIVE_INFINITY;
      if (latest && age < maxAgeMs) {
        // Behind the data: events were loaded after it started, or it was built on an answer that was.
        const behind = latestSaw < loads || !latestCurrent;
        if (behind && age >= REUSE_FACTOR * lastCostMs) {
          // A computation that has seen the latest load may already be under way: wait for that one.
          const fresh = () => (lastStartSaw < loads || !inFlight ? start() : inFlight);
          if (!latestWillDo.getStore()) return fresh();
          // Nobody waits for these two: the caller gets the latest at once.
          refreshBehind(fresh).catch(() => {});
        } else if (age >= maxAgeMs / 2) refreshBehind(start).catch(() => {});
        // A computation reading this one learns that it got an answer behind the data.
        const reader = reading.getStore();
        if (reader && behind) reader.stale = true;
        return Promise.resolve(latest);
      }
      if (latest && latestWillDo.getStore()) {
        // Too old to reuse, but this caller must not wait (withLatest): the latest now, a fresh one behind it.
        refreshBehind(start).catch(() => {});
        const reader = reading.getStore();
        if (reader) reader.stale = true;
        return Promise.resolve(latest);
      }
      return start();
    },
    invalidate,
    changed() {
      loads++;
    },
  };

  function invalidate() {
    generation++;
    latest = undefined;
    inFlight = undefined;
  }
}

/** What a computation read from other shared answers while it ran: whether any of them was behind new data. */
type Reads = { stale: boolean };

/**
 * Shared answers read one another (the exceptions read the SLA evaluation's missing steps; the overview reads
 * both). A computation that took a reused answer which had not caught up with a load yet stays marked changed,
 * so the next caller past its reuse point computes again instead of keeping the old figures for its max age.
 */
const reading = new AsyncLocalStorage<Reads>();

const latestWillDo = new AsyncLocalStorage<true>();

/**
 * Runs `read` so that the shared answers it asks for are handed out as they are while a fresh one is computed
 * behind, instead of being waited for after new data or past their max age (only the very first is waited for):
 * for an answer whose own parts are live (the overview's lag and freshness) and must not wait seconds for a
 * costly part (the open exceptions) to catch up. What it builds
 * on an answer behind the data is marked so (above), and catches up at its next computation.
 */
export function withLatest<R>(read: () => Promise<R>): Promise<R> {
  return latestWillDo.run(true, read);
}
