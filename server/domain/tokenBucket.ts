/**
 * A token bucket that hands out time slots: `reserve(now)` takes one token and says how long the caller must
 * wait before using it (0 when one is available). Tokens may go negative, so concurrent callers queue at
 * `1 / ratePerSecond` apart instead of polling; a caller that gives up (aborted while waiting) returns its
 * token with `release()`. The clock is the caller's: no timers, no I/O.
 */
export type TokenBucket = {
  /** Takes a token; resolves to the milliseconds to wait before it may be used. */
  reserve(now: number): number;
  /** Gives back a reserved token that was not used. */
  release(now: number): void;
};

export type TokenBucketOptions = {
  ratePerSecond: number;
  /** Tokens that can build up while idle (a burst); default 1, so requests are spaced evenly. */
  capacity?: number;
};

export function createTokenBucket({ ratePerSecond, capacity = 1 }: TokenBucketOptions): TokenBucket {
  if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError(`ratePerSecond must be a positive number, got ${ratePerSecond}`);
  if (!(capacity >= 1) || !Number.isFinite(capacity)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
  const msPerToken = 1000 / ratePerSecond;
  let tokens = capacity;
  let at: number | undefined;
  const refill = (now: number) => {
    // A clock that steps back adds nothing (and takes nothing away).
    if (at !== undefined && now > at) tokens = Math.min(capacity, tokens + (now - at) / msPerToken);
    if (at === undefined || now > at) at = now;
  };
  return {
    reserve(now) {
      refill(now);
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil(-tokens * msPerToken);
    },
    release(now) {
      refill(now);
      tokens = Math.min(capacity, tokens + 1);
    },
  };
}
