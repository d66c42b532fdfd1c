/**
 * Sign-in rate limiting: failures are counted per (address, name) and per address over a sliding window; past
 * the limit, sign-ins from there are refused (429 with Retry-After) until the oldest counted failure leaves the
 * window. Unknown names count like known ones, so the limit tells nothing about which names exist. A success
 * clears its (address, name) count and is not held against the address. Memory is bounded: past `maxKeys`
 * entries the stalest are forgotten.
 */

export type ThrottleLimits = {
  /** Failures per address and name within the window. */
  perName: number;
  /** Failures per address, whatever the names, within the window (guessing across many names). */
  perAddress: number;
  windowMs: number;
  maxKeys: number;
};

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { perName: 10, perAddress: 100, windowMs: 15 * 60_000, maxKeys: 10_000 };

export type ThrottleCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

export type LoginThrottle = {
  check(address: string, name: string, now: number): ThrottleCheck;
  /** Count an attempt as failed; counted before the password is checked, so parallel guesses cannot slip past. */
  failed(address: string, name: string, now: number): void;
  /** The attempt counted at `at` succeeded: forget it, and the name's earlier failures from this address. */
  succeeded(address: string, name: string, at: number): void;
};

export function createLoginThrottle(limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS): LoginThrottle {
  const byName = new Map<string, number[]>();
  const byAddress = new Map<string, number[]>();
  const nameKey = (address: string, name: string) => `${address}\n${name.trim().toLowerCase()}`;

  const blockedFor = (map: Map<string, number[]>, key: string, limit: number, now: number): number => {
    const times = recent(map.get(key), now, limits.windowMs);
    if (times.length < limit) return 0;
    return times[times.length - limit]! + limits.windowMs - now;
  };
  const record = (map: Map<string, number[]>, key: string, limit: number, now: number) => {
    const times = recent(map.get(key), now, limits.windowMs);
    times.push(now);
    map.delete(key);
    map.set(key, times.slice(-limit));
    if (map.size > limits.maxKeys) forgetStalest(map, now, limits);
  };

  return {
    check(address, name, now) {
      const wait = Math.max(blockedFor(byName, nameKey(address, name), limits.perName, now), blockedFor(byAddress, address, limits.perAddress, now));
      return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
    },
    failed(address, name, now) {
      record(byName, nameKey(address, name), limits.perName, now);
      record(byAddress, address, limits.perAddress, now);
    },
    succeeded(address, name, at) {
      byName.delete(nameKey(address, name));
      const times = byAddress.get(address);
      const i = times?.lastIndexOf(at) ?? -1;
      if (times && i !== -1) times.splice(i, 1);
    },
  };
}

function recent(times: number[] | undefined, now: number, windowMs: number): number[] {
  return (times ?? []).filter((t) => t > now - windowMs);
}

function forgetStalest(map: Map<string, number[]>, now: number, limits: ThrottleLimits): void {
  for (const [key, times] of map) {
    if (recent(times, now, limits.windowMs).length === 0) map.delete(key);
  }
  // Entries are re-inserted on every failure, so the first ones are those that failed longest ago.
  for (const key of map.keys()) {
    if (map.size <= limits.maxKeys) break;
    map.delete(key);
  }
}
