/** A computation shared by every caller that needs it; see `sharedResult`. */
export type Shared<T> = {
  /** The latest result and when it was computed (`at`, the time it started). */
  get(): Promise<{ at: number; value: T }>;
  /** Forget the latest result (new data was loaded): the next caller computes afresh. */
  invalidate(): void;
};

/**
 * One computation shared by every caller: callers that arrive while it runs wait for it, and its result is
 * reused until it is `maxAgeMs` old (0: only the one in flight is shared). Past half that age a caller still
 * gets it at once while a fresh one is computed behind it, so a screen that keeps asking never waits. A failed
 * computation is not kept: the next caller computes again.
 */
export function sharedResult<T>(compute: (at: number) => Promise<T>, maxAgeMs: number, clock: () => number = Date.now): Shared<T> {
  let latest: { at: number; value: T } | undefined;
  let inFlight: Promise<{ at: number; value: T }> | undefined;
  let generation = 0;

  function start(): Promise<{ at: number; value: T }> {
    if (inFlight) return inFlight;
    const at = clock();
    const startedIn = generation;
    const run = compute(at)
      .then((value) => {
        const result = { at, value };
        // Computed before an invalidation: good for those who waited, not to be reused.
        if (startedIn === generation && (!latest || latest.at <= at)) latest = result;
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
        if (age >= maxAgeMs / 2) start().catch(() => {});
        return Promise.resolve(latest);
      }
      return start();
    },
    invalidate() {
      generation++;
      latest = undefined;
      inFlight = undefined;
    },
  };
}
