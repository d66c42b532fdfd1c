import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleepUntil } from './runner.js';

describe('sleepUntil', () => {
  it('leaves no listener on the run signal behind, however many windows a live run waits for', async () => {
    const abort = new AbortController();
    for (let i = 0; i < 25; i++) await sleepUntil(Date.now() + 2, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });

  it('wakes at once when the run is stopped', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const waiting = sleepUntil(started + 60_000, abort.signal);
    abort.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });
});
