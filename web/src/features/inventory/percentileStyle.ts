import type { LagPercentile } from './shapeLagSeries';

/** One colour and dash per percentile, so the lines differ by more than colour; mid tones read on light and dark. */
export const PERCENTILE_STYLE: Readonly<Record<LagPercentile, { color: string; dash?: string; width: number }>> = {
  p50: { color: '#4f8df5', width: 1.5 },
  p95: { color: '#e69100', width: 2.5 },
  p99: { color: '#e0413a', width: 1.5, dash: '5 3' },
};
