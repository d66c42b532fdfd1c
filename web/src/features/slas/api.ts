import { getJson } from '../../api/client';
import { slaBreachesSchema, slaSeriesSchema, slaStatusSchema, type BreachOutcome, type SlaBreaches, type SlaSeries, type SlaStatus } from '../../api/contracts';

/**
 * The SLA screen's fetchers (`/api/v1/slas…`) and their TanStack Query keys. A group travels as the API's
 * `group=dimension:value` items, once per dimension.
 */

export type BreachRequest = { policy: string; group: Readonly<Record<string, string>>; outcome: BreachOutcome | undefined; limit: number; offset: number };

export const slaKeys = {
  status: () => ['slas', 'status'] as const,
  breaches: (r: BreachRequest) => ['slas', 'breaches', r.policy, groupItems(r.group).join('\n'), r.outcome ?? 'all', r.limit, r.offset] as const,
  series: (policy: string, group: Readonly<Record<string, string>>) => ['slas', 'series', policy, groupItems(group).join('\n')] as const,
};

/** `{ channel: 'amazon' }` → `['channel:amazon']`, the API's `group` items in a stable order. */
export function groupItems(group: Readonly<Record<string, string>>): string[] {
  return Object.entries(group)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dimension, value]) => `${dimension}:${value}`);
}

function withGroup(params: URLSearchParams, group: Readonly<Record<string, string>>): URLSearchParams {
  for (const item of groupItems(group)) params.append('group', item);
  return params;
}

export function fetchSlaStatus(signal?: AbortSignal): Promise<SlaStatus> {
  return getJson('/api/v1/slas', slaStatusSchema, signal);
}

export function fetchSlaBreaches(r: BreachRequest, signal?: AbortSignal): Promise<SlaBreaches> {
  const params = withGroup(new URLSearchParams({ limit: String(r.limit), offset: String(r.offset) }), r.group);
  if (r.outcome !== undefined) params.set('outcome', r.outcome);
  return getJson(`/api/v1/slas/${encodeURIComponent(r.policy)}/breaches?${params}`, slaBreachesSchema, signal);
}

export function fetchSlaSeries(policy: string, group: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<SlaSeries> {
  const params = withGroup(new URLSearchParams({ buckets: '60' }), group);
  return getJson(`/api/v1/slas/${encodeURIComponent(policy)}/series?${params}`, slaSeriesSchema, signal);
}
