import type { ExceptionFacet, ExceptionSort } from '../../api/contracts';
import { resolveTimeRange, type TimeRange } from '../../url/timeRange';

/**
 * The inbox's filters as they live in the URL (so a filtered inbox is a link to paste into an incident channel)
 * and how they become API parameters. Shared names where other screens use them too (`owner`, `flow`, `system`,
 * `bucket`, `error`); `class`, `state`, `kind`, `sort`, `page` and `exception` (the open one) are the inbox's.
 */
export const FILTER_PARAMS = ['owner', 'flow', 'system', 'bucket', 'error', 'class', 'state', 'kind'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];
export type InboxFilters = Readonly<Record<FilterParam, string>>;

/** Which facet of the list answer counts the values of each filter. */
export const FACET_OF: Readonly<Record<FilterParam, ExceptionFacet>> = {
  owner: 'owner',
  flow: 'flow',
  system: 'system',
  bucket: 'bucket',
  error: 'error_code',
  class: 'error_class',
  state: 'state',
  kind: 'kind',
};

/** Where the API takes each filter. */
const API_PARAM: Readonly<Record<FilterParam, string>> = {
  owner: 'owner',
  flow: 'flow',
  system: 'system',
  bucket: 'bucket',
  error: 'error_code',
  class: 'error_class',
  state: 'state',
  kind: 'kind',
};

/** What the inbox shows with no `state` in the URL: what still needs someone. */
export const DEFAULT_STATES = 'open,acknowledged';

export const SEVEN_DAYS_S = 7 * 86_400;
const NINETY_DAYS_S = 90 * 86_400;

/** Every filter cleared, plus the page: for setUrlParams. */
export function clearedFilters(): Record<FilterParam | 'page', ''> {
  return Object.fromEntries([...FILTER_PARAMS, 'page'].map((name) => [name, ''])) as Record<FilterParam | 'page', ''>;
}

/** True when any filter narrows the default inbox (open and acknowledged, every kind, owner, flow…). */
export function hasActiveFilters(filters: InboxFilters): boolean {
  return FILTER_PARAMS.some((name) => filters[name] !== '' && !(name === 'state' && filters.state === DEFAULT_STATES));
}

/**
 * The failures an answer reads for the view's range: a relative range is a lookback (the answer shared by every
 * screen asking the same), an absolute one is from/to. No range: the API's default week.
 */
export function rangeQuery(range: TimeRange | undefined, now: number): Record<string, string> {
  if (range === undefined) return {};
  if (range.kind === 'relative') {
    const { from, to } = resolveTimeRange(range, now);
    return { lookback: String(Math.round((to - from) / 1000)) };
  }
  return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
}

/**
 * The lookback to open one exception with: at least a week (a link to one may outlive the range it was found in),
 * back to the start of an absolute range, at most the 90 days the API reads.
 */
export function detailLookbackSeconds(range: TimeRange | undefined, now: number): number {
  if (range === undefined) return SEVEN_DAYS_S;
  const { from } = resolveTimeRange(range, now);
  return Math.min(NINETY_DAYS_S, Math.max(SEVEN_DAYS_S, Math.ceil((now - from) / 86_400_000) * 86_400));
}

export type ListRequest = { filters: InboxFilters; sort: ExceptionSort; page: number; pageSize: number; range: TimeRange | undefined };

/** The `GET /api/v1/exceptions` query string of one page. */
export function listSearchParams(request: ListRequest, now: number): URLSearchParams {
  const params = new URLSearchParams(rangeQuery(request.range, now));
  for (const name of FILTER_PARAMS) {
    const value = request.filters[name];
    if (value !== '') params.set(API_PARAM[name], value);
  }
  if (request.sort !== 'oldest') params.set('sort', request.sort);
  params.set('limit', String(request.pageSize));
  const offset = (request.page - 1) * request.pageSize;
  if (offset > 0) params.set('offset', String(offset));
  return params;
}

/** `?page=` as a page number from 1; anything else is the first page. */
export function parsePage(text: string): number {
  const page = Number(text);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}

export function parseSort(text: string): ExceptionSort {
  return text === 'newest' ? 'newest' : 'oldest';
}
