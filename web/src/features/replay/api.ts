import { getJson, postJson } from '../../api/client';
import { dryRunSchema, replayJobDetailSchema, replayJobListSchema, replayJobSchema, type DryRun, type ReplayJob, type ReplayJobDetail, type ReplayJobList, type ReplaySelection } from '../../api/contracts';

/**
 * A dry run's answer with the selection exactly as it was asked (a relative range resolved to its instants), so
 * the job that runs it sends what was previewed, not what the range holds a minute later.
 */
export type Preview = { selection: ReplaySelection; answer: DryRun };

/** Outside the replays key: a dry run is asked again only when a person asks (or the selection changes). */
export function dryRunKey(selectionKey: string, offset: number) {
  return ['replay-dry-run', selectionKey, offset] as const;
}

/** `POST /api/v1/replays/dry-run`: what the selection would send and skip, and why; nothing is sent. */
export async function postDryRun(selection: ReplaySelection, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<Preview> {
  const answer = await postJson('/api/v1/replays/dry-run', { selection, limit: page.limit, offset: page.offset }, dryRunSchema, signal);
  return { selection, answer };
}

/** `POST /api/v1/replays`: a job for the selection, queued or awaiting a second operator's approval. */
export function postReplayJob(request: { selection: ReplaySelection; reason: string }): Promise<ReplayJob> {
  return postJson('/api/v1/replays', request, replayJobSchema);
}

/** `GET /api/v1/replays`: queue and history, newest first. */
export function fetchReplayJobs(search: URLSearchParams, signal?: AbortSignal): Promise<ReplayJobList> {
  return getJson(`/api/v1/replays?${search}`, replayJobListSchema, signal);
}

/** `GET /api/v1/replays/{id}`: the job and a page of its items with their outcomes. */
export function fetchReplayJob(id: string, page: { limit: number; offset: number }, signal?: AbortSignal): Promise<ReplayJobDetail> {
  return getJson(`/api/v1/replays/${encodeURIComponent(id)}?${new URLSearchParams({ limit: String(page.limit), offset: String(page.offset) })}`, replayJobDetailSchema, signal);
}

export type JobAction = 'approve' | 'cancel';

/** `POST /api/v1/replays/{id}/approve|cancel`, as the signed-in person (an approval must be by another than who asked). */
export function postJobAction(id: string, action: JobAction, body: { note?: string } = {}): Promise<ReplayJob> {
  return postJson(`/api/v1/replays/${encodeURIComponent(id)}/${action}`, body, replayJobSchema);
}

export type Decision = { event_id: string; target: string; outcome: 'applied' | 'not_applied'; note: string };

/** `POST /api/v1/replays/{id}/decide`: an operator settles an item whose outcome no lookup could tell. */
export function postDecision(id: string, decision: Decision): Promise<ReplayJob> {
  return postJson(`/api/v1/replays/${encodeURIComponent(id)}/decide`, decision, replayJobSchema);
}
