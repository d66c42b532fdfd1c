/**
 * A seeded random source (sfc32, seeded through a string hash) so a simulation is the same every time it is
 * run with the same seed. `fork(label)` gives an independent stream: each second of traffic and each
 * transaction draws from its own, so one change in how a flow uses randomness does not reshuffle the others.
 */
export type Rng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  /** Log-normal with the given median; `spread` is σ of the underlying normal. */
  logNormal(median: number, spread: number): number;
  /** Poisson-distributed count with the given mean. */
  poisson(mean: number): number;
  fork(label: string | number): Rng;
};

export function hashString(text: string): number {
  // cyrb53-style mixing reduced to 32 bits: fast, well spread, and stable across platforms.
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 ^ h2) >>> 0;
}

/** 2 × 32-bit hashes as 16 hex characters: for deterministic ids (span ids, trace ids). */
export function hashHex(text: string, chars: 16 | 32): string {
  let out = '';
  for (let i = 0; out.length < chars; i++) out += hashString(`${i}:${text}`).toString(16).padStart(8, '0');
  return out.slice(0, chars);
}

export function createRng(seed: string | number): Rng {
  const key = String(seed);
  let a = hashString(`a${key}`);
  let b = hashString(`b${key}`);
  let c = hashString(`c${key}`);
  let d = hashString(`d${key}`) | 1;
  const next = (): number => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
    logNormal: (median, spread) => {
      const u = Math.max(next(), 1e-12);
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(spread * normal);
    },
    poisson: (mean) => {
      if (mean <= 0) return 0;
      if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * Math.sqrt(-2 * Math.log(Math.max(next(), 1e-12))) * Math.cos(2 * Math.PI * next())));
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = next(); p > limit; p *= next()) k++;
      return k;
    },
    fork: (label) => createRng(`${key}/${label}`),
  };
  return rng;
}
