import { useQuery } from '@tanstack/react-query';
import { fetchThroughput, isRetryable } from '../../api/client';
import { throughputQueryKey } from '../../api/queryKeys';

/** The window the server pushes live over socket.io (server/flowlens.ts); other windows are polled. */
export const LIVE_WINDOW_SECONDS = 300;

/**
 * Events per second by flow. Live pushes keep the cache fresh while data moves; a slow refetch slides the window
 * forward when nothing moves, and a faster one takes over while the socket is down.
 */
export function useThroughputQuery(windowSeconds: number, { live }: { live: boolean }) {
  return useQuery({
    queryKey: throughputQueryKey(windowSeconds),
    queryFn: ({ signal }) => fetchThroughput(windowSeconds, signal),
    refetchInterval: live ? 15_000 : 5_000,
    retry: (failures, error) => isRetryable(error) && failures < 3,
  });
}
