import { createContext, useContext } from 'react';
import type { LiveStatus } from './useLiveThroughput';

/** The socket's state, given once by the app so any panel can say whether it is live. */
export const LiveStatusContext = createContext<LiveStatus>('connecting');

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}
