import { inBackground } from '../store/backgroundWork.js';
/** Movements settle for this long before the snapshot keeps them; younger ones are always read live. */
export const SETTLE_MS = 3_600_000;
/** How much settled history the snapshot keeps: a day, so a 24 h lag chart reads live only its last hour. */
export const SNAPSHOT_SPAN_MS = 24 * 3_600_000;

export type SnapshotWindow = { coveredFrom: number; coveredTo: number };

/** The window a snapshot taken at `now` covers: whole minutes, from a day before the settle point to it. */
export function snapshotWindow(now: number): SnapshotWindow {
  const coveredTo = Math.floor((now - SETTLE_MS) / 60_000) * 60_000;
  return { coveredFrom: coveredTo - SNAPSHOT_SPAN_MS, coveredTo };
}

export type MovementSnapshotsOptions = {
  /** How often the snapshot is rebuilt; 0: never (every lag answer is read live). */
  intervalMs: number;
  refresh: (window: SnapshotWindow, now: number) => Promise<number>;
  onRefreshed: (report: { movements: number; seconds: number; window: SnapshotWindow }) => void;
  onError: (err: unknown) => void;
  now?: () => number;
};

/**
 * Keeps the inventory movement snapshot fresh: rebuilt at start and then every `intervalMs`, one rebuild at a
 * time; a failed one is reported and tried again at the next interval (readers keep the previous snapshot).
 * Late events (older than the settle point) make it stale until the next rebuild, or a flush rebuilds it.
 */
export class MovementSnapshots {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #covered: SnapshotWindow | undefined;
  #stale = false;

  constructor(private readonly options: MovementSnapshotsOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0 || this.#timer) return;
    // Nobody waits for the timer's rebuilds: they yield to what screens ask meanwhile.
    void inBackground(() => this.refresh());
    this.#timer = setInterval(() => void inBackground(() => this.refresh()), this.options.intervalMs);
    this.#timer.unref();
  }

  /** Rebuild now (or wait for the rebuild under way). */
  refresh(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#running ??= this.#rebuild().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Events from `earliestEventMs` on were just loaded: late ones (inside the covered window) make the snapshot stale. */
  noteLoaded(earliestEventMs: number): void {
    if (this.#covered && earliestEventMs < this.#covered.coveredTo) this.#stale = true;
  }

  /** Rebuild now if late events arrived since the last rebuild (a flush: everything loaded must show). */
  async refreshIfStale(): Promise<void> {
    if (this.#stale) await this.refresh();
    else await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #rebuild(): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const window = snapshotWindow(now);
    const started = performance.now();
    // Events loaded from here on may be missed by this rebuild: they mark it stale again.
    this.#stale = false;
    try {
      const movements = await this.options.refresh(window, now);
      this.#covered = window;
      this.options.onRefreshed({ movements, seconds: (performance.now() - started) / 1000, window });
    } catch (err) {
      this.#stale = true;
      this.options.onError(err);
    }
  }
}
