/** p50, p95, p99 and the maximum of a set of durations (ms), with how many there were. */
export type Percentiles = { count: number; p50: number; p95: number; p99: number; max: number };

export const EMPTY_PERCENTILES: Percentiles = { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };

/**
 * The exact "higher" quantile of ascending values: the one at 0-based rank min(n − 1, ⌊q·n⌋). It is what
 * ClickHouse's `quantileExactHigh` computes, so a figure computed in SQL and one computed here agree exactly
 * (and the simulator's ground truth uses the same definition).
 */
export function exactQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return EMPTY_PERCENTILES;
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, p50: exactQuantile(sorted, 0.5), p95: exactQuantile(sorted, 0.95), p99: exactQuantile(sorted, 0.99), max: sorted[sorted.length - 1]! };
}
