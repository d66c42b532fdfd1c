import { createHash } from 'node:crypto';
import { AGE_BUCKETS, type AgeBucket } from './ageBuckets.js';

export { AGE_BUCKETS, ageBucket, type AgeBucket } from './ageBuckets.js';

/**
 * The stable id of the exception of one correlation's step (the same as EXCEPTION_ID_SQL computes): each part
 * prefixed with its byte length, so no choice of separator characters in the ids can make two of them collide.
 */
export function exceptionId(flow: string, correlationId: string, step: string): string {
  const part = (text: string) => `${Buffer.byteLength(text)}:${text}`;
  return createHash('sha1').update(`${part(flow)}${part(correlationId)}${part(step)}`).digest('hex').slice(0, 16);
}

export const WORKFLOW_ACTIONS = ['assign', 'acknowledge', 'comment', 'resolve', 'reopen'] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];
export type ActionRecord = { action: string; actor: string; assignee: string; note: string; at: number };

export type ExceptionState = 'open' | 'acknowledged' | 'resolved' | 'recovered';
export type Workflow = {
  state: ExceptionState;
  assignee: string | null;
  acknowledged: { by: string; at: number } | null;
  resolved: { by: string; at: number; note: string } | null;
  comments: { by: string; at: number; note: string }[];
};

/**
 * The current workflow state of an exception from its append-only actions (in time order) and its failures:
 * a later success recovers it by itself; a manual resolve holds until a new failure comes after it; `reopen`
 * undoes a resolve.
 */
export function workflowState(actions: readonly ActionRecord[], failure: { last_failed_at: number; recovered_at: number }): Workflow {
  const flow: Workflow = { state: 'open', assignee: null, acknowledged: null, resolved: null, comments: [] };
  for (const a of [...actions].sort((x, y) => x.at - y.at)) {
    if (a.action === 'assign') flow.assignee = a.assignee;
    else if (a.action === 'acknowledge') flow.acknowledged = { by: a.actor, at: a.at };
    else if (a.action === 'comment') flow.comments.push({ by: a.actor, at: a.at, note: a.note });
    else if (a.action === 'resolve') flow.resolved = { by: a.actor, at: a.at, note: a.note };
    else if (a.action === 'reopen') flow.resolved = null;
  }
  if (failure.recovered_at > 0) flow.state = 'recovered';
  else if (flow.resolved && flow.resolved.at >= failure.last_failed_at) flow.state = 'resolved';
  else if (flow.acknowledged && flow.acknowledged.at >= failure.last_failed_at) flow.state = 'acknowledged';
  return flow;
}

/** One entry of an exception's workflow history, as people read it: who did what, when, to whom, and why. */
export type HistoryEntry = { action: string; actor: string; at: number; assignee: string | null; note: string | null };

/** The append-only actions in the order they happened (the record never changes; the state is derived from it). */
export function workflowHistory(actions: readonly ActionRecord[]): HistoryEntry[] {
  return [...actions]
    .sort((x, y) => x.at - y.at)
    .map((a) => ({ action: a.action, actor: a.actor, at: a.at, assignee: a.action === 'assign' ? a.assignee : null, note: a.note === '' ? null : a.note }));
}

export type AgingSummary = {
  total: number;
  by_bucket: Record<AgeBucket, number>;
  by_owner: Record<string, Record<AgeBucket, number>>;
  by_flow: Record<string, Record<AgeBucket, number>>;
  by_system: Record<string, Record<AgeBucket, number>>;
};

const emptyBuckets = (): Record<AgeBucket, number> => Object.fromEntries(AGE_BUCKETS.map((b) => [b.id, 0])) as Record<AgeBucket, number>;

/** Open (and acknowledged) exceptions counted by age bucket, overall and per owner, flow and system. */
export function agingSummary(exceptions: readonly { owner: string; flow: string; system: string; age_bucket: AgeBucket }[]): AgingSummary {
  const summary: AgingSummary = { total: exceptions.length, by_bucket: emptyBuckets(), by_owner: {}, by_flow: {}, by_system: {} };
  for (const e of exceptions) {
    summary.by_bucket[e.age_bucket]++;
    (summary.by_owner[e.owner] ??= emptyBuckets())[e.age_bucket]++;
    (summary.by_flow[e.flow] ??= emptyBuckets())[e.age_bucket]++;
    (summary.by_system[e.system] ??= emptyBuckets())[e.age_bucket]++;
  }
  return summary;
}
