import { getJson } from '../../api/client';
import { lineageResponseSchema, type LineageResponse } from '../../api/contracts';

/** The formats `GET /api/v1/lineage/export` writes. */
export type EvidenceFormat = 'csv' | 'json';

/** Stable TanStack Query key of one search: the key and how many hops of linked keys it follows. */
export function lineageQueryKey(key: string, depth: number) {
  return ['lineage', key, depth] as const;
}

/** `GET /api/v1/lineage`: every correlation linked to `key` within `depth` hops, as a graph, with what is missing. */
export function fetchLineage(key: string, depth: number, signal?: AbortSignal): Promise<LineageResponse> {
  return getJson(`/api/v1/lineage?${new URLSearchParams({ key, depth: String(depth) })}`, lineageResponseSchema, signal);
}

/**
 * The evidence file of a search (`GET /api/v1/lineage/export`): a plain link, so the browser downloads it with
 * the server's file name (`lineage-<key>-<UTC time>.csv`) and its own progress and save dialog.
 */
export function lineageExportHref(key: string, depth: number, format: EvidenceFormat): string {
  return `/api/v1/lineage/export?${new URLSearchParams({ key, depth: String(depth), format })}`;
}
