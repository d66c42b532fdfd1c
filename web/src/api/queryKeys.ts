/** Stable TanStack Query keys: the socket writes into the same entries the hooks read. */
export function throughputQueryKey(windowSeconds: number) {
  return ['throughput', windowSeconds] as const;
}

export function overviewQueryKey() {
  return ['overview'] as const;
}

/**
 * Every alert answer (the list, an alert's detail, the mutes, the banner's count) sits under this key, so the
 * `alerts` push — or an action — refreshes them all with one invalidation.
 */
export const ALERTS_KEY = ['alerts'] as const;

/** Every replay answer (job lists, one job with its items) sits under this key; `replay_progress` writes into them. */
export const REPLAYS_KEY = ['replays'] as const;

/** A page of replay jobs, by its query string. */
export function replayJobListKey(search: string) {
  return [...REPLAYS_KEY, 'jobs', search] as const;
}

/** One replay job and a page of its items. */
export function replayJobKey(id: string, offset: number) {
  return [...REPLAYS_KEY, 'job', id, offset] as const;
}
