/** How old an open exception is, in the buckets the aging views use (shared with the web app: no Node imports). */
export const AGE_BUCKETS = [
  { id: 'under_15m', label: '< 15 min', upToMs: 15 * 60_000 },
  { id: '15m_1h', label: '15 min – 1 h', upToMs: 3_600_000 },
  { id: '1h_4h', label: '1 – 4 h', upToMs: 4 * 3_600_000 },
  { id: '4h_24h', label: '4 – 24 h', upToMs: 24 * 3_600_000 },
  { id: 'over_24h', label: '> 24 h', upToMs: Number.POSITIVE_INFINITY },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['id'];

export function ageBucket(ageMs: number): AgeBucket {
  return AGE_BUCKETS.find((b) => ageMs < b.upToMs)!.id;
}
