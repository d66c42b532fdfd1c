import type { ClickHouseClient } from '@clickhouse/client';
import type { IngestOutcome } from '../../../collectors/pipeline/eventIngestor.js';
import type { Schema } from '../../store/schema.js';
import type { JobLeases } from './jobLeases.js';
import type { ItemRef, ReplayClaims } from './replayClaims.js';
import type { Delivery, ReplayTarget } from './replayPorts.js';

/**
 * Where a crash test may hold the engine still (then kill it): after `sending` is on disk and before the request
 * (`before_send`); after the target's 2xx, before `applied` is written (`after_response`); after `applied`,
 * before the replay step is ingested (`before_recording`); after the step is ingested, before `recorded` is
 * written (`after_recording`). Only tests set `crashTestPause`; without it these points cost nothing.
 */
export const REPLAY_PAUSE_POINTS = ['before_send', 'after_response', 'before_recording', 'after_recording'] as const;
export type ReplayPausePoint = (typeof REPLAY_PAUSE_POINTS)[number];

/** Writes replay steps through the same ingest path as the API (`EventIngestor.ingest`): durable once `stored`. */
export type IngestSteps = (events: readonly Record<string, unknown>[]) => Promise<IngestOutcome>;

export type ReplayLogger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

/** What the engine's parts (worker, recording, recovery) share. */
export type EngineDeps = {
  client: ClickHouseClient;
  schema: Schema;
  claims: ReplayClaims;
  /** Which server runs which job (several servers may share the store). */
  leases: JobLeases;
  delivery: Delivery;
  targets: ReadonlyMap<string, ReplayTarget>;
  ingest: IngestSteps;
  clock: () => number;
  logger: ReplayLogger;
  /** The next sequence number of a job transition (never goes back, even across restarts). */
  nextJobSeq: () => Promise<number>;
  /** Serialises a job's state changes (approve, cancel, the worker's running and done) within this process. */
  lockJob: <T>(jobId: string, fn: () => Promise<T>) => Promise<T>;
  /** A job was taken over from a server that stopped renewing its lease; `report`: what its recovery settled. */
  onTakeover?: (jobId: string, report: { settledApplied: number; settledNotApplied: number; unknown: number; released: number; recorded: number }) => void;
  /** Test-only: hold at a named point (a real wait, so a test can kill the process there). */
  crashTestPause?: (point: ReplayPausePoint, ref: ItemRef) => Promise<void>;
  /** Waits between tries (refusals, lookups, ingest); tests may shorten them. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The start of a target's answer, as kept with a transition. */
export function excerpt(text: string, max = 1_000): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}
