import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Throughput } from '../contracts/api.js';
import type { ThroughputRow } from '../store/queries/throughput.js';
import { LiveThroughput, type LiveThroughputOptions } from './liveThroughput.js';

const NOW = 1_795_773_600_250; // 2026-11-27T10:00:00.250Z
const IDLE_PUSH_MS = 5000;

type Harness = {
  live: LiveThroughput;
  published: Throughput[];
  queries: { from: number; to: number }[];
  errors: unknown[];
  clock: { now: number };
  watchers: { watching: boolean };
};

function harness(overrides: Partial<LiveThroughputOptions> = {}, rows: ThroughputRow[] = []): Harness {
  const published: Throughput[] = [];
  const queries: { from: number; to: number }[] = [];
  const errors: unknown[] = [];
  const clock = { now: NOW };
  const watchers = { watching: true };
  const live = new LiveThroughput({
    windowSeconds: 60,
    tickMs: 1000,
    idlePushMs: IDLE_PUSH_MS,
    tailSeconds: 10,
    fullRefreshMs: 60_000,
    query: async (from, to) => {
      queries.push({ from, to });
      return rows;
    },
    publish: (payload) => published.push(payload),
    watching: () => watchers.watching,
    onError: (err) => errors.push(err),
    now: () => clock.now,
    ...overrides,
  });
  return { live, published, queries, errors, clock, watchers };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveThroughput.snapshot', () => {
  it('covers windowSeconds ending at the next whole second after now', async () => {
    const { live, queries } = harness();

    const snapshot = await live.snapshot();

    const to = 1_795_773_601_000;
    expect(queries).toEqual([{ from: to - 60_000, to }]);
    expect(snapshot).toMatchObject({ window_seconds: 60, bucket_seconds: 1, from: to - 60_000, to });
  });

  it('still ends after now when now falls exactly on a second', async () => {
    const { live, clock } = harness();
    clock.now = 1_795_773_600_000;

    const snapshot = await live.snapshot();

    expect(snapshot.to).toBe(1_795_773_601_000);
    expect(snapshot.from).toBe(1_795_773_541_000);
  });

  it('shapes the rows of the query into series', async () => {
    const to = 1_795_773_601_000;
    const { live } = harness({}, [
      { flow: 'order_to_cash', t: to - 2000, count: 3 },
      { flow: 'inventory_sync', t: to - 1000, count: 8 },
      { flow: 'order_to_cash', t: to - 120_000, count: 99 },
    ]);

    const snapshot = await live.snapshot();

    expect(snapshot.series).toEqual([
      { flow: 'inventory_sync', points: [{ t: to - 1000, count: 8 }] },
      { flow: 'order_to_cash', points: [{ t: to - 2000, count: 3 }] },
    ]);
  });
});

describe('LiveThroughput.tick', () => {
  it('publishes the current window while someone is watching', async () => {
    const { live, published } = harness();

    await live.tick();

    expect(published).toHaveLength(1);
    expect(published[0]?.to).toBe(1_795_773_601_000);
  });

  it('neither queries nor publishes while nobody is watching', async () => {
    const { live, published, queries, watchers } = harness();
    watchers.watching = false;

    await live.tick();

    expect(queries).toEqual([]);
    expect(published).toEqual([]);
  });

  it('publishes once someone starts watching', async () => {
    const { live, published, watchers } = harness();
    watchers.watching = false;
    await live.tick();

    watchers.watching = true;
    await live.tick();

    expect(published).toHaveLength(1);
  });

  it('does not query again while nothing changed and the idle interval has not passed', async () => {
    const { live, queries, published, clock } = harness();
    await live.tick();

    clock.now += IDLE_PUSH_MS - 1;
    await live.tick();

    expect(queries).toHaveLength(1);
    expect(published).toHaveLength(1);
  });

  it('publishes again after markDirty, without waiting for the idle interval', async () => {
    const { live, published, clock } = harness();
    await live.tick();

    clock.now += 1000;
    live.markDirty(NOW);
    await live.tick();

    expect(published).toHaveLength(2);
    expect(published[1]?.to).toBe(1_795_773_602_000);
  });

  it('publishes again once idlePushMs has passed, so the window keeps sliding', async () => {
    const { live, published, clock } = harness();
    await live.tick();

    clock.now += IDLE_PUSH_MS;
    await live.tick();

    expect(published).toHaveLength(2);
  });

  it('never runs two queries at once', async () => {
    const answer = deferred<ThroughputRow[]>();
    let calls = 0;
    const { live, published } = harness({
      query: () => {
        calls++;
        return answer.promise;
      },
    });

    const slow = live.tick();
    live.markDirty(NOW);
    await live.tick();
    await live.tick();

    expect(calls).toBe(1);
    expect(published).toEqual([]);

    answer.resolve([]);
    await slow;

    expect(published).toHaveLength(1);
  });

  it('catches up on data marked dirty during a running query at the next tick', async () => {
    const answer = deferred<ThroughputRow[]>();
    const { live, published } = harness({ query: () => answer.promise });
    const slow = live.tick();
    live.markDirty(NOW);
    answer.resolve([]);
    await slow;

    await live.tick();

    expect(published).toHaveLength(2);
  });

  it('reports a failing query, publishes nothing, and retries at the next tick', async () => {
    const failure = new Error('clickhouse is down');
    let calls = 0;
    const { live, published, errors } = harness({
      query: async () => {
        calls++;
        if (calls === 1) throw failure;
        return [];
      },
    });

    await live.tick();

    expect(errors).toEqual([failure]);
    expect(published).toEqual([]);

    await live.tick();

    expect(calls).toBe(2);
    expect(published).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });
});

describe('LiveThroughput: reading only what can have changed', () => {
  const TO = 1_795_773_601_000;

  it('reads the whole window first, then only the tail after a commit of recent events', async () => {
    const { live, queries, clock } = harness();
    await live.tick();
    clock.now += 1000;
    live.markDirty(clock.now - 200);
    await live.tick();

    expect(queries).toEqual([
      { from: TO - 60_000, to: TO },
      { from: TO + 1000 - 10_000, to: TO + 1000 },
    ]);
  });

  it('reads back to the second of a late event committed here', async () => {
    const { live, queries, clock } = harness();
    await live.tick();
    clock.now += 1000;
    live.markDirty(NOW - 30_250);
    await live.tick();

    // The late event happened at 09:59:30.000: the read starts at that second, not at the 10-second tail.
    expect(queries[1]).toEqual({ from: 1_795_773_570_000, to: TO + 1000 });
  });

  it('keeps the counts of seconds it did not re-read and replaces those it did', async () => {
    const answers: ThroughputRow[][] = [
      [
        { flow: 'order_to_cash', t: TO - 40_000, count: 5 },
        { flow: 'order_to_cash', t: TO - 2000, count: 1 },
      ],
      [{ flow: 'order_to_cash', t: TO - 2000, count: 3 }],
    ];
    const { live, published, clock } = harness({ query: async () => answers.shift() ?? [] });
    await live.tick();
    clock.now += 100;
    live.markDirty(TO - 2000);
    await live.tick();

    expect(published[1]?.series).toEqual([
      {
        flow: 'order_to_cash',
        points: [
          { t: TO - 40_000, count: 5 },
          { t: TO - 2000, count: 3 },
        ],
      },
    ]);
  });

  it('drops seconds that slid out of the window', async () => {
    const answers: ThroughputRow[][] = [[{ flow: 'transfer', t: TO - 59_000, count: 2 }], []];
    const { live, published, clock } = harness({ query: async () => answers.shift() ?? [] });
    await live.tick();
    clock.now += IDLE_PUSH_MS;
    await live.tick();

    expect(published[1]?.series).toEqual([]);
  });

  it('re-reads the whole window every fullRefreshMs, for late events other processes wrote', async () => {
    const { live, queries, clock } = harness();
    await live.tick();
    clock.now += 60_000;
    await live.tick();

    expect(queries[1]).toEqual({ from: TO + 60_000 - 60_000, to: TO + 60_000 });
  });

  it('re-reads the whole window after a failed refresh', async () => {
    let calls = 0;
    const { live, queries, clock } = harness({
      query: async (from, to) => {
        queries.push({ from, to });
        if (++calls === 2) throw new Error('store busy');
        return [];
      },
    });
    await live.tick();
    clock.now += 1000;
    live.markDirty(clock.now);
    await live.tick();
    await live.tick();

    expect(queries[2]).toEqual({ from: TO + 1000 - 60_000, to: TO + 1000 });
  });

  it('offers the last push to a client that just connected', async () => {
    const { live } = harness();
    expect(live.latest).toBeUndefined();
    await live.tick();
    expect(live.latest?.to).toBe(TO);
  });
});

describe('LiveThroughput.start / stop', () => {
  it('ticks every tickMs until stopped', async () => {
    vi.useFakeTimers();
    const { live, published } = harness({ now: undefined });
    vi.setSystemTime(NOW);

    live.start();
    await vi.advanceTimersByTimeAsync(1000);
    live.markDirty(NOW);
    await vi.advanceTimersByTimeAsync(1000);
    live.stop();
    live.markDirty(NOW);
    await vi.advanceTimersByTimeAsync(5000);

    expect(published).toHaveLength(2);
  });
});
