import { getJson, postJson } from '../../api/client';
import { fetchLineage } from '../lineage/api';
import {
  exceptionActionResultSchema,
  exceptionAgingSchema,
  exceptionDetailSchema,
  exceptionListSchema,
  type ExceptionActionResult,
  type ExceptionAging,
  type ExceptionDetail,
  type ExceptionList,
  type LineageResponse,
} from '../../api/contracts';

/** Every exception answer sits under this key, so one invalidation after an action refreshes list, aging and detail. */
export const EXCEPTIONS_KEY = ['exceptions'] as const;

export function exceptionListKey(search: string) {
  return [...EXCEPTIONS_KEY, 'list', search] as const;
}

export function exceptionAgingKey(rangeKey: string) {
  return [...EXCEPTIONS_KEY, 'aging', rangeKey] as const;
}

export function exceptionDetailKey(id: string) {
  return [...EXCEPTIONS_KEY, 'detail', id] as const;
}

/** Lineage does not change with a workflow action, so it lives outside the exceptions key. */
export function exceptionLineageKey(correlationId: string) {
  return ['exception-lineage', correlationId] as const;
}

/** `GET /api/v1/exceptions?…`: one page of the inbox, with the counts its dropdowns show. */
export function fetchExceptionList(search: URLSearchParams, signal?: AbortSignal): Promise<ExceptionList> {
  return getJson(`/api/v1/exceptions?${search}`, exceptionListSchema, signal);
}

/** `GET /api/v1/exceptions/aging`: open exceptions per age bucket, by owner, flow and system. */
export function fetchExceptionAging(range: Record<string, string>, signal?: AbortSignal): Promise<ExceptionAging> {
  return getJson(`/api/v1/exceptions/aging?${new URLSearchParams(range)}`, exceptionAgingSchema, signal);
}

/** `GET /api/v1/exceptions/{id}`: one exception with its whole workflow history. */
export function fetchExceptionDetail(id: string, lookbackSeconds: number, signal?: AbortSignal): Promise<ExceptionDetail> {
  return getJson(`/api/v1/exceptions/${encodeURIComponent(id)}?${new URLSearchParams({ lookback: String(lookbackSeconds) })}`, exceptionDetailSchema, signal);
}

/** The exception's chain and the transactions one hop away (its order, its refund), as the pane shows them. */
export function fetchExceptionLineage(correlationId: string, signal?: AbortSignal): Promise<LineageResponse> {
  return fetchLineage(correlationId, EXCEPTION_LINEAGE_DEPTH, signal);
}

const EXCEPTION_LINEAGE_DEPTH = 1;

export type WorkflowRequest =
  | { action: 'assign'; assignee: string }
  | { action: 'acknowledge' | 'reopen' }
  | { action: 'comment' | 'resolve'; note: string };

/**
 * `POST /api/v1/exceptions/{id}/actions`, or `POST /api/v1/exceptions/actions` for several (all or nothing).
 * The server records the signed-in person as who acted.
 */
export function postExceptionAction(ids: readonly string[], request: WorkflowRequest): Promise<ExceptionActionResult> {
  if (ids.length === 1) return postJson(`/api/v1/exceptions/${encodeURIComponent(ids[0]!)}/actions`, request, exceptionActionResultSchema);
  return postJson('/api/v1/exceptions/actions', { ...request, ids }, exceptionActionResultSchema);
}
