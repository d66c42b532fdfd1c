import { readFileSync } from 'node:fs';
import { createRng, type Rng } from '../../../server/simulator/random.js';

/**
 * Knobs shared by the fault suite (docs/faults.md). CI runs the bounded default; locally
 * `FLOWLENS_FAULTS_SCALE=10 npm run test:faults` runs ten times the rounds, events and bodies, and
 * `FLOWLENS_FAULTS_SEED=<seed>` replays a run whose seed a failure printed.
 */
export const FAULTS_SCALE = Math.max(1, Number(process.env.FLOWLENS_FAULTS_SCALE ?? 1) || 1);

/** `count` scaled up by FLOWLENS_FAULTS_SCALE. */
export function scaled(count: number): number {
  return Math.round(count * FAULTS_SCALE);
}

/** A seeded random source for one fault test; prints its seed so a failure can be replayed. */
export function faultRng(fault: string): { seed: string; rng: Rng } {
  const seed = process.env.FLOWLENS_FAULTS_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
  console.info(`[faults] ${fault}: seed ${seed} (replay with FLOWLENS_FAULTS_SEED=${seed}, scale ${FAULTS_SCALE})`);
  return { seed, rng: createRng(`${fault}:${seed}`) };
}

/** Resident memory of a process in MiB (Linux /proc), or undefined once it has gone. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; `peak` and `first` in MiB. */
export function sampleRss(pid: number, everyMs = 100): { stop(): { first: number; peak: number } } {
  const first = rssMiB(pid) ?? 0;
  let peak = first;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid) ?? 0);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, rssMiB(pid) ?? 0);
      return { first, peak };
    },
  };
}
