import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { reportSignedOut } from '../api/client';
import { LIVE_EVENTS, replayProgressSchema, throughputSchema } from '../api/contracts';
import { ALERTS_KEY, REPLAYS_KEY, overviewQueryKey, throughputQueryKey } from '../api/queryKeys';
import { applyReplayProgress } from './replayProgress';

/** `connecting` until the first connect; `paused` while socket.io retries after a drop. */
export type LiveStatus = 'connecting' | 'live' | 'paused';

/**
 * Subscribe to the server's live pushes: throughput is written into the TanStack Query cache under the same key
 * the chart reads (STYLE.md: pushes update the cache, not a parallel store); a load signal refreshes the wall; an
 * alert change refreshes every alert answer (the banner on every screen too); a replay job's progress is written
 * into the cached jobs. socket.io reconnects on its own; the returned status drives the "Live updates paused"
 * indicator. The handshake needs the session cookie: a refusal for want of a sign-in is a 401 like any other
 * (the sign-in page comes back), never retried in silence.
 */
export function useLiveThroughput(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const socket = io({ path: '/socket.io' });
    let connectedBefore = false;
    socket.on('connect', () => {
      setStatus('live');
      // Back after a drop: what changed meanwhile was not pushed, so alerts and replays are read again.
      if (connectedBefore) {
        void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
        void queryClient.invalidateQueries({ queryKey: REPLAYS_KEY });
      }
      connectedBefore = true;
    });
    socket.on('connect_error', (error) => {
      setStatus('paused');
      if (isUnauthenticated(error)) {
        socket.disconnect();
        reportSignedOut(`live updates were refused: ${error.message}`);
      }
    });
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
    // An alert or mute changed (an evaluation, someone's acknowledgement): whatever shows alerts asks again.
    socket.on(LIVE_EVENTS.alerts, () => {
      void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
    });
    socket.on(LIVE_EVENTS.replayProgress, (payload: unknown) => {
      const parsed = replayProgressSchema.safeParse(payload);
      if (!parsed.success) {
        console.warn('Ignoring a replay progress push that does not match the contract', parsed.error.issues);
        return;
      }
      applyReplayProgress(queryClient, parsed.data);
    });
    return () => {
      socket.disconnect();
    };
  }, [queryClient]);

  return status;
}

/** socket.io's handshake refusal for want of a sign-in (server/auth/socketAuth.ts): `unauthenticated: …`. */
export function isUnauthenticated(error: Error): boolean {
  return error.message.startsWith('unauthenticated');
}
