import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './loginThrottle.js';

const MIN = 60_000;
const limits = { perName: 3, perAddress: 5, windowMs: 15 * MIN, maxKeys: 100 };

describe('login throttle', () => {
  it('refuses a name from an address after its failures, until the oldest leaves the window', () => {
    const t = createLoginThrottle(limits);
    for (const at of [0, MIN, 2 * MIN]) {
      expect(t.check('1.1.1.1', 'ana', at)).toEqual({ allowed: true });
      t.failed('1.1.1.1', 'ana', at);
    }
    expect(t.check('1.1.1.1', 'ana', 3 * MIN)).toEqual({ allowed: false, retryAfterMs: 12 * MIN });
    expect(t.check('1.1.1.1', 'ANA ', 3 * MIN).allowed).toBe(false);
    expect(t.check('2.2.2.2', 'ana', 3 * MIN).allowed).toBe(true);
    expect(t.check('1.1.1.1', 'bo', 3 * MIN).allowed).toBe(true);
    expect(t.check('1.1.1.1', 'ana', 15 * MIN + 1).allowed).toBe(true);
  });

  it('limits an address guessing across names', () => {
    const t = createLoginThrottle(limits);
    ['a', 'b', 'c', 'd', 'e'].forEach((name, i) => t.failed('1.1.1.1', name, i));
    expect(t.check('1.1.1.1', 'zed', 10)).toEqual({ allowed: false, retryAfterMs: 15 * MIN - 10 });
  });

  it('forgets the failures of a name that signs in, and does not hold the success against the address', () => {
    const t = createLoginThrottle(limits);
    t.failed('1.1.1.1', 'ana', 0);
    t.failed('1.1.1.1', 'ana', 1);
    t.failed('1.1.1.1', 'ana', 2);
    t.succeeded('1.1.1.1', 'ana', 2);
    expect(t.check('1.1.1.1', 'ana', 3).allowed).toBe(true);
    for (let i = 0; i < 10; i++) {
      t.failed('1.1.1.1', 'bo', 10 + i);
      t.succeeded('1.1.1.1', 'bo', 10 + i);
    }
    expect(t.check('1.1.1.1', 'cy', 30).allowed).toBe(true);
  });

  it('stays bounded in memory, forgetting the stalest entries', () => {
    const t = createLoginThrottle({ ...limits, maxKeys: 10 });
    for (let i = 0; i < 50; i++) for (let k = 0; k < 3; k++) t.failed(`10.0.0.${i}`, 'ana', i * 10 + k);
    expect(t.check('10.0.0.0', 'ana', 600).allowed).toBe(true);
    expect(t.check('10.0.0.49', 'ana', 600).allowed).toBe(false);
  });
});
