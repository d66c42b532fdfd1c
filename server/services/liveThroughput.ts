import type { Throughput } from '../contracts/api.js';
import { shapeThroughput } from '../domain/throughput.js';
import type { ThroughputRow } from '../store/queries/throughput.js';

export type LiveThroughputOptions = {
  windowSeconds: number;
  /** How often to check for new data; pushes happen at most this often. */
  tickMs: number;
  /** Refresh at least this often while someone watches: slides the window, and shows what other processes wrote. */
  idlePushMs: number;
  /** Seconds at the end of the window re-read on every refresh (recent writes by any process land there). */
  tailSeconds: number;
  /** Re-read the whole window this often, for late events written by other processes. */
  fullRefreshMs: number;
  query: (fromMs: number, toMs: number) => Promise<ThroughputRow[]>;
  publish: (payload: Throughput) => void;
  watching: () => boolean;
  onError: (err: unknown) => void;
  now?: () => number;
};

/**
 * Pushes events-per-second-by-flow to live clients, within one tick of a commit. It keeps the window's
 * per-second counts and re-reads only the seconds that can have changed: from the earliest event time committed
 * since the last refresh (late events included), or the last `tailSeconds`, whichever is earlier. At peak the
 * window holds millions of events; re-counting all of them twice a second would compete with ingest.
 * Counts are still exact: each re-read second is counted afresh, one per distinct event id.
 */
export class LiveThroughput {
  #counts = new Map<number, Map<string, number>>();
  #dirtyFrom: number | undefined;
  #lastPush = -Infinity;
  #lastFull = -Infinity;
  #latest: Throughput | undefined;
  #running = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LiveThroughputOptions) {}

  /** Events with times from `earliestEventMs` on were just stored here (-Infinity: anywhere in the window). */
  markDirty(earliestEventMs: number): void {
    this.#dirtyFrom = Math.min(this.#dirtyFrom ?? Infinity, earliestEventMs);
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.tick(), this.options.tickMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** What was last pushed, for a client that just connected (undefined before the first push). */
  get latest(): Throughput | undefined {
    return this.#latest;
  }

  /** A window read afresh, for an HTTP caller or a client connecting before the first push. */
  async snapshot(windowSeconds = this.options.windowSeconds): Promise<Throughput> {
    const { from, to } = this.#window(windowSeconds);
    return shapeThroughput(await this.options.query(from, to), windowSeconds, from, to);
  }

  async tick(): Promise<void> {
    if (this.#running || !this.options.watching()) return;
    const now = this.#now();
    if (this.#dirtyFrom === undefined && now - this.#lastPush < this.options.idlePushMs) return;
    this.#running = true;
    const dirtyFrom = this.#dirtyFrom;
    this.#dirtyFrom = undefined;
    try {
      const payload = await this.#refresh(now, dirtyFrom);
      this.#latest = payload;
      this.#lastPush = now;
      this.options.publish(payload);
    } catch (err) {
      // The cache may be partly stale now: read the whole window at the next tick.
      this.#lastFull = -Infinity;
      this.#lastPush = -Infinity;
      this.options.onError(err);
    } finally {
      this.#running = false;
    }
  }

  async #refresh(now: number, dirtyFrom: number | undefined): Promise<Throughput> {
    const { windowSeconds, tailSeconds, fullRefreshMs } = this.options;
    const { from, to } = this.#window(windowSeconds);
    const full = now - this.#lastFull >= fullRefreshMs;
    const tailStart = to - tailSeconds * 1000;
    const readFrom = full ? from : Math.max(from, Math.min(tailStart, Math.floor((dirtyFrom ?? Infinity) / 1000) * 1000));
    const rows = await this.options.query(readFrom, to);
    for (const second of [...this.#counts.keys()]) {
      if (second < from || second >= readFrom) this.#counts.delete(second);
    }
    for (const row of rows) {
      const flows = this.#counts.get(row.t) ?? new Map<string, number>();
      flows.set(row.flow, row.count);
      this.#counts.set(row.t, flows);
    }
    if (full) this.#lastFull = now;
    const all: ThroughputRow[] = [];
    for (const [t, flows] of this.#counts) for (const [flow, count] of flows) all.push({ flow, t, count });
    return shapeThroughput(all, windowSeconds, from, to);
  }

  #window(windowSeconds: number): { from: number; to: number } {
    const to = Math.floor(this.#now() / 1000) * 1000 + 1000;
    return { from: to - windowSeconds * 1000, to };
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
