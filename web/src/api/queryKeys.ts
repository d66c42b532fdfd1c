/** Stable TanStack Query keys: the socket writes into the same entries the hooks read. */
export function throughputQueryKey(windowSeconds: number) {
  return ['throughput', windowSeconds] as const;
}

export function overviewQueryKey() {
  return ['overview'] as const;
}
