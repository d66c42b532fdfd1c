import { describe, expect, it } from 'vitest';
import { createRng, hashHex } from './random.js';

describe('createRng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = createRng(7);
    const b = createRng(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(createRng(8).next()).not.toBe(createRng(7).next());
  });

  it('forks independent streams that do not depend on how much the parent drew', () => {
    const parent = createRng(1);
    const before = parent.fork('x').next();
    parent.next();
    parent.next();
    expect(parent.fork('x').next()).toBe(before);
    expect(parent.fork('y').next()).not.toBe(before);
  });

  it('draws integers inside the bounds and Poisson counts with the right mean', () => {
    const rng = createRng('bounds');
    const ints = Array.from({ length: 2000 }, () => rng.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    for (const mean of [0.3, 4, 120]) {
      const draws = Array.from({ length: 4000 }, () => rng.poisson(mean));
      const avg = draws.reduce((s, v) => s + v, 0) / draws.length;
      expect(Math.abs(avg - mean) / mean).toBeLessThan(0.08);
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    }
  });

  it('draws log-normal values around the median', () => {
    const rng = createRng('ln');
    const draws = Array.from({ length: 4001 }, () => rng.logNormal(800, 0.5)).sort((x, y) => x - y);
    expect(draws[2000]).toBeGreaterThan(720);
    expect(draws[2000]).toBeLessThan(880);
  });
});

describe('hashHex', () => {
  it('is stable hex of the asked length', () => {
    expect(hashHex('rtr-re_1', 32)).toMatch(/^[0-9a-f]{32}$/);
    expect(hashHex('rtr-re_1', 16)).toBe(hashHex('rtr-re_1', 16));
    expect(hashHex('a', 16)).not.toBe(hashHex('b', 16));
  });
});
