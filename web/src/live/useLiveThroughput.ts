import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { LIVE_EVENTS, throughputSchema } from '../api/contracts';
import { overviewQueryKey, throughputQueryKey } from '../api/queryKeys';

/** `connecting` until the first connect; `paused` while socket.io retries after a drop. */
export type LiveStatus = 'connecting' | 'live' | 'paused';

/**
 * Subscribe to the server's live pushes: throughput is written into the TanStack Query cache under the same key
 * the chart reads (STYLE.md: pushes update the cache, not a parallel store); a load signal refreshes the wall. socket.io reconnects on its own;
 * the returned status drives the "Live updates paused" indicator.
 */
export function useLiveThroughput(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const socket = io({ path: '/socket.io' });
    socket.on('connect', () => setStatus('live'));
    socket.on('connect_error', () => setStatus('paused'));
    socket.on('disconnect', (reason) => {
      setStatus('paused');
      // socket.io does not retry after the server closed the socket on purpose (e.g. a restart); we still want to.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on(LIVE_EVENTS.throughput, (payload: unknown) => {
      const parsed = throughputSchema.safeParse(payload);
      if (!parsed.success) {
        console.warn('Ignoring a live throughput push that does not match the contract', parsed.error.issues);
        return;
      }
      queryClient.setQueryData(throughputQueryKey(parsed.data.window_seconds), parsed.data);
    });
    // New events stored: the wall asks again now rather than at its next poll; an answer already on its way
    // counts (its figures are at most a moment older), so a busy ingest never cancels the wall's requests.
    socket.on(LIVE_EVENTS.loaded, () => {
      void queryClient.refetchQueries({ queryKey: overviewQueryKey(), type: 'active' }, { cancelRefetch: false });
    });
    return () => {
      socket.disconnect();
    };
  }, [queryClient]);

  return status;
}
