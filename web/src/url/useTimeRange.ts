import { useCallback, useMemo } from 'react';
import type { RelativeRange } from '../api/contracts';
import { parseTimeRange, rangeParams, type TimeRange } from './timeRange';
import { setUrlParams, useUrlParam } from './useUrlParam';

/** The view's time range from the URL (`range`, or `from` + `to`), and a setter that writes it back as one link. */
export function useTimeRange(fallback: RelativeRange): { range: TimeRange; problem?: string; setRange: (next: TimeRange) => void } {
  const [range] = useUrlParam('range');
  const [from] = useUrlParam('from');
  const [to] = useUrlParam('to');
  const parsed = useMemo(() => parseTimeRange({ range, from, to }, fallback), [range, from, to, fallback]);
  const setRange = useCallback((next: TimeRange) => setUrlParams(rangeParams(next)), []);
  return { ...parsed, setRange };
}
