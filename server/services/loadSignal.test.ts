import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoadSignal } from './loadSignal.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('LoadSignal', () => {
  it('signals a load at once, then at most once per gap, always signalling the last load of a burst', () => {
    vi.useFakeTimers({ now: 1_000 });
    const sent: number[] = [];
    const signal = new LoadSignal(250, (at) => sent.push(at));

    signal.loaded();
    expect(sent).toEqual([1_000]);
    vi.advanceTimersByTime(50);
    signal.loaded();
    signal.loaded();
    vi.advanceTimersByTime(100);
    signal.loaded();
    expect(sent).toEqual([1_000]);
    vi.advanceTimersByTime(100);
    // One signal for the three loads of the gap, when the gap ends.
    expect(sent).toEqual([1_000, 1_250]);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([1_000, 1_250]);
    signal.loaded();
    expect(sent).toEqual([1_000, 1_250, 2_250]);
  });

  it('sends nothing pending after stop', () => {
    vi.useFakeTimers({ now: 0 });
    const sent: number[] = [];
    const signal = new LoadSignal(250, (at) => sent.push(at));
    signal.loaded();
    signal.loaded();
    signal.stop();
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual([0]);
  });
});
