/**
 * Tells watching dashboards that new events are stored, so the wall asks again at once instead of at its next
 * poll: at most one signal per `minGapMs` (a busy ingest loads many batches a second), the last load always
 * signalled — a burst's final batch is never left waiting for a quiet moment.
 */
export class LoadSignal {
  private last = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly minGapMs: number,
    private readonly send: (at: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  loaded(): void {
    if (this.timer !== undefined) return;
    const wait = this.last + this.minGapMs - this.now();
    if (wait <= 0) {
      this.fire();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.fire();
    }, wait);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.last = this.now();
    this.send(this.last);
  }
}
