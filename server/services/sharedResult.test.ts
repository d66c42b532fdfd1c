import { describe, expect, it } from 'vitest';
import { sharedResult, withLatest } from './sharedResult.js';

/** A computation the test finishes by hand, counting its runs. */
function gated() {
  const pending: (() => void)[] = [];
  let runs = 0;
  const compute = (at: number) => {
    const run = ++runs;
    return new Promise<string>((resolve) => pending.push(() => resolve(`run ${run} at ${at}`)));
  };
  return { compute, finish: () => pending.splice(0).forEach((f) => f()), runs: () => runs };
}

/** A gated shared result with its first value computed at 0; `at(ms)` moves its clock. */
async function primed(maxAgeMs: number) {
  let now = 0;
  const g = gated();
  const shared = sharedResult(g.compute, maxAgeMs, () => now);
  const first = shared.get();
  g.finish();
  await first;
  return { g, shared, at: (ms: number) => (now = ms) };
}

describe('sharedResult', () => {
  it('runs once for concurrent callers and reuses the result while it is younger than maxAgeMs', async () => {
    let now = 1_000;
    const g = gated();
    const shared = sharedResult(g.compute, 10_000, () => now);
    const both = Promise.all([shared.get(), shared.get()]);
    g.finish();
    const [a, b] = await both;
    expect(a).toEqual({ at: 1_000, value: 'run 1 at 1000' });
    expect(b).toBe(a);
    now = 5_999;
    expect((await shared.get()).value).toBe('run 1 at 1000');
    expect(g.runs()).toBe(1);
  });

  it('past half its age answers at once with the result it has and computes the next one behind it', async () => {
    const { g, shared, at } = await primed(10_000);
    at(6_000);
    expect((await shared.get()).value).toBe('run 1 at 0');
    expect(g.runs()).toBe(2);
    g.finish();
    await new Promise((r) => setTimeout(r, 0));
    expect((await shared.get()).value).toBe('run 2 at 6000');
  });

  it('past maxAgeMs makes the caller wait for a fresh result', async () => {
    const { g, shared, at } = await primed(10_000);
    at(10_000);
    const next = shared.get();
    g.finish();
    expect(await next).toEqual({ at: 10_000, value: 'run 2 at 10000' });
  });

  it('with maxAgeMs 0 shares only the computation in flight', async () => {
    let runs = 0;
    const shared = sharedResult(async () => ++runs, 0, () => 1);
    expect((await Promise.all([shared.get(), shared.get(), shared.get()])).map((r) => r.value)).toEqual([1, 1, 1]);
    expect((await shared.get()).value).toBe(2);
  });

  it('after invalidate() computes afresh, and does not keep what was in flight before it', async () => {
    const g = gated();
    const shared = sharedResult(g.compute, 60_000, () => 7);
    const before = shared.get();
    shared.invalidate();
    const after = shared.get();
    g.finish();
    expect((await before).value).toBe('run 1 at 7');
    expect((await after).value).toBe('run 2 at 7');
    expect((await shared.get()).value).toBe('run 2 at 7');
    expect(g.runs()).toBe(2);
  });

  it('keeps no failure: the next caller computes again', async () => {
    let runs = 0;
    const shared = sharedResult(async () => {
      runs++;
      if (runs === 1) throw new Error('store unavailable');
      return 'ok';
    }, 60_000, () => 1);
    await expect(shared.get()).rejects.toThrow('store unavailable');
    expect((await shared.get()).value).toBe('ok');
  });

  it('after new data, hands out a fresh result once the latest is five times as old as it cost', async () => {
    let now = 0;
    let runs = 0;
    const shared = sharedResult(
      async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 20));
        return runs;
      },
      60_000,
      () => now,
    );
    await shared.get();
    shared.changed();
    now = 10;
    expect((await shared.get()).value).toBe(1);
    now = 1_000;
    expect((await shared.get()).value).toBe(2);
    now = 2_000;
    expect((await shared.get()).value).toBe(2);
  });

  it('a result built on another shared answer that had not caught up with new data is not taken as caught up', async () => {
    let now = 0;
    let innerRuns = 0;
    let outerRuns = 0;
    const slowly = async <T>(value: T) => {
      await new Promise((r) => setTimeout(r, 50));
      return value;
    };
    // The inner answer costs 50 ms (reused for 250 ms after new data); the outer one, reading it reused, nothing.
    const inner = sharedResult(() => slowly(++innerRuns), 60_000, () => now);
    const outer = sharedResult(async () => `outer ${++outerRuns} on inner ${(await inner.get()).value}`, 60_000, () => now);
    await inner.get();
    expect((await outer.get()).value).toBe('outer 1 on inner 1');

    // New data: the outer answer is recomputed, but the inner one is too young to be and hands out its old figures.
    inner.changed();
    outer.changed();
    now = 150;
    expect((await outer.get()).value).toBe('outer 2 on inner 1');
    // So the outer one is still behind: the next caller past its reuse point computes it again, this time on a
    // fresh inner answer (without the rule it would wait for its max age, a minute).
    now = 1_000;
    expect((await outer.get()).value).toBe('outer 3 on inner 2');
    now = 2_000;
    expect((await outer.get()).value).toBe('outer 3 on inner 2');
    expect([innerRuns, outerRuns]).toEqual([2, 3]);
  });

  it('withLatest hands out what it has after new data and computes the fresh one behind the caller', async () => {
    const { g, shared, at } = await primed(60_000);
    shared.changed();
    at(5_000);
    expect((await withLatest(() => shared.get())).value).toBe('run 1 at 0');
    expect(g.runs()).toBe(2);
    g.finish();
    await new Promise((r) => setTimeout(r, 0));
    expect((await withLatest(() => shared.get())).value).toBe('run 2 at 5000');
    // Without it, a caller after new data waits for the fresh one.
    shared.changed();
    at(10_000);
    const waited = shared.get();
    g.finish();
    expect((await waited).value).toBe('run 3 at 10000');
  });

  it('while a fresh result started behind someone is under way, a caller who waits gets that one, not the old', async () => {
    const { g, shared, at } = await primed(60_000);
    shared.changed();
    at(5_000);
    expect((await withLatest(() => shared.get())).value).toBe('run 1 at 0');
    const waiting = shared.get();
    g.finish();
    expect((await waiting).value).toBe('run 2 at 5000');
    expect(g.runs()).toBe(2);
  });

  it('withLatest hands out what it has even past its max age while the next is computed behind (one computation at a time)', async () => {
    const { g, shared, at } = await primed(10_000);
    at(30_000);
    expect((await withLatest(() => shared.get())).value).toBe('run 1 at 0');
    expect((await withLatest(() => shared.get())).value).toBe('run 1 at 0');
    expect(g.runs()).toBe(2);
    // A caller who may wait gets the one under way.
    const waiting = shared.get();
    g.finish();
    expect((await waiting).value).toBe('run 2 at 30000');
    expect(g.runs()).toBe(2);
  });
});
