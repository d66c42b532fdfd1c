/**
 * Remembers the event ids committed most recently, in two generations: when the young one fills up the old
 * one is dropped. Lookups cost O(1), memory is bounded by 2 × capacity ids. It only saves storage and answers
 * "duplicate" early; queries stay exact without it (they read LIMIT 1 BY event_id).
 */
export class RecentIds {
  #young = new Set<string>();
  #old = new Set<string>();

  constructor(readonly capacity: number) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }

  has(id: string): boolean {
    return this.#young.has(id) || this.#old.has(id);
  }

  add(id: string): void {
    if (this.#young.has(id)) return;
    if (this.#young.size >= this.capacity) {
      this.#old = this.#young;
      this.#young = new Set();
    }
    this.#young.add(id);
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }
}
