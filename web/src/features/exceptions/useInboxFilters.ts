import { useMemo } from 'react';
import { useUrlParam } from '../../url/useUrlParam';
import type { InboxFilters } from './inboxQuery';

/** The inbox's filters, read from the URL (each a shared or inbox-specific parameter; see inboxQuery.ts). */
export function useInboxFilters(): InboxFilters {
  const [owner] = useUrlParam('owner');
  const [flow] = useUrlParam('flow');
  const [system] = useUrlParam('system');
  const [bucket] = useUrlParam('bucket');
  const [error] = useUrlParam('error');
  const [errorClass] = useUrlParam('class');
  const [state] = useUrlParam('state');
  const [kind] = useUrlParam('kind');
  return useMemo(() => ({ owner, flow, system, bucket, error, class: errorClass, state, kind }), [owner, flow, system, bucket, error, errorClass, state, kind]);
}
