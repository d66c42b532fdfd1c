import type { Throughput } from '../contracts/api.js';
import { shapeThroughput } from '../domain/throughput.js';
import type { ThroughputRow } from '../store/queries/throughput.js';

export type LiveThroughputOptions = {
  windowSeconds: number;
  /** How often to check for new data; pushes happen at most this often. */
  tickMs: number;
  /** Push at least this often while someone watches, so the window keeps sliding on an idle estate. */
  idlePushMs: number;
  query: (fromMs: number, toMs: number) => Promise<ThroughputRow[]>;
  publish: (payload: Throughput) => void;
  watching: () => boolean;
  onError: (err: unknown) => void;
  now?: () => number;
};

/**
 * Pushes events-per-second-by-flow to live clients: after each commit (marked dirty) within one tick, and
 * every `idlePushMs` otherwise. Queries only while someone is watching; never two queries at once.
 */
export class LiveThroughput {
  #dirty = true;
  #lastPush = 0;
  #running = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LiveThroughputOptions) {}

  markDirty(): void {
    this.#dirty = true;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.tick(), this.options.tickMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The current window (or another length, for an HTTP caller), for a client that just connected or asked. */
  async snapshot(windowSeconds = this.options.windowSeconds): Promise<Throughput> {
    const now = (this.options.now ?? Date.now)();
    const to = Math.floor(now / 1000) * 1000 + 1000;
    const from = to - windowSeconds * 1000;
    return shapeThroughput(await this.options.query(from, to), windowSeconds, from, to);
  }

  async tick(): Promise<void> {
    if (this.#running || !this.options.watching()) return;
    const now = (this.options.now ?? Date.now)();
    if (!this.#dirty && now - this.#lastPush < this.options.idlePushMs) return;
    this.#running = true;
    this.#dirty = false;
    try {
      this.options.publish(await this.snapshot());
      this.#lastPush = now;
    } catch (err) {
      this.#dirty = true;
      this.options.onError(err);
    } finally {
      this.#running = false;
    }
  }
}
