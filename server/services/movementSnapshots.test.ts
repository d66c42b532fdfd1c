import { describe, expect, it } from 'vitest';
import { MovementSnapshots, snapshotWindow, type SnapshotWindow } from './movementSnapshots.js';

describe('snapshotWindow', () => {
  it('covers whole minutes of the day before the last hour', () => {
    const now = Date.parse('2026-11-27T12:34:56.789Z');
    expect(snapshotWindow(now)).toEqual({ coveredFrom: Date.parse('2026-11-26T11:34:00Z'), coveredTo: Date.parse('2026-11-27T11:34:00Z') });
  });
});

describe('MovementSnapshots', () => {
  it('rebuilds one at a time, reports each rebuild, and keeps going after a failure', async () => {
    const windows: SnapshotWindow[] = [];
    const reports: number[] = [];
    const errors: string[] = [];
    let release: () => void = () => {};
    let fail = true;
    const snapshots = new MovementSnapshots({
      intervalMs: 0,
      now: () => Date.parse('2026-11-27T12:00:00Z'),
      refresh: async (window) => {
        windows.push(window);
        await new Promise<void>((r) => (release = r));
        if (fail) throw new Error('store unavailable');
        return 42;
      },
      onRefreshed: (r) => reports.push(r.movements),
      onError: (err) => errors.push((err as Error).message),
    });
    const a = snapshots.refresh();
    const b = snapshots.refresh();
    expect(b).toBe(a);
    release();
    await a;
    expect(errors).toEqual(['store unavailable']);
    fail = false;
    const c = snapshots.refresh();
    release();
    await c;
    expect(reports).toEqual([42]);
    expect(windows).toHaveLength(2);
    await snapshots.stop();
    await snapshots.refresh();
    expect(windows).toHaveLength(2);
  });

  it('is stale after late events only, and a flush then rebuilds it', async () => {
    let rebuilds = 0;
    const now = Date.parse('2026-11-27T12:00:00Z');
    const snapshots = new MovementSnapshots({ intervalMs: 0, now: () => now, refresh: async () => ++rebuilds, onRefreshed: () => {}, onError: () => {} });
    await snapshots.refresh();
    snapshots.noteLoaded(now - 60_000);
    await snapshots.refreshIfStale();
    expect(rebuilds).toBe(1);
    snapshots.noteLoaded(now - 2 * 3_600_000);
    await snapshots.refreshIfStale();
    expect(rebuilds).toBe(2);
    await snapshots.refreshIfStale();
    expect(rebuilds).toBe(2);
  });
});
