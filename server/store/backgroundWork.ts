import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Work nobody is waiting for (an answer recomputed behind the screens that still show the last one, the lag
 * snapshot's rebuild) is marked so, and the embedded engine runs its queries one at a time, on one thread at the
 * lowest CPU priority (embeddedConnection.ts): what a screen waits for never shares the CPU evenly with it.
 */
const background = new AsyncLocalStorage<true>();

/** Runs `work` as background work: every query it makes, however deep, yields to the queries screens wait for. */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}
