import { describe, expect, it } from 'vitest';
import { keyedLock } from './keyedLock.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('keyedLock', () => {
  it('runs one function at a time per key, in call order, and keys apart side by side', async () => {
    const lock = keyedLock();
    const log: string[] = [];
    const step = (key: string, n: number) => lock(key, async () => {
      log.push(`${key}${n} in`);
      await tick();
      log.push(`${key}${n} out`);
      return n;
    });
    expect(await Promise.all([step('a', 1), step('a', 2), step('b', 1)])).toEqual([1, 2, 1]);
    expect(log.filter((l) => l.startsWith('a'))).toEqual(['a1 in', 'a1 out', 'a2 in', 'a2 out']);
    expect(log.indexOf('b1 in')).toBeLessThan(log.indexOf('a1 out'));
  });

  it('lets the next caller run after a failure, and passes the failure to its own caller', async () => {
    const lock = keyedLock();
    const failed = lock('k', async () => {
      throw new Error('boom');
    });
    const next = lock('k', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ran');
  });
});
