import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isRetryable } from '../../api/client';
import type { ReplaySelection } from '../../api/contracts';
import { REPLAYS_KEY, replayJobKey, replayJobListKey } from '../../api/queryKeys';
import { useCurrentSession, usePermit } from '../../auth/useSession';
import { dryRunKey, fetchReplayJob, fetchReplayJobs, postDryRun } from './api';
import { isOpenJob } from './shapeJobs';

const retry = (failures: number, error: Error) => isRetryable(error) && failures < 3;

/**
 * The dry run of one resolved selection, page by page. Asked once, when the selection is first shown, and again
 * only when a person asks: it is a preview of what a job would send, not a live figure. The last answer stays on
 * screen while the next page, or the same selection asked again, loads.
 */
export function useDryRun(selection: ReplaySelection, page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: dryRunKey(JSON.stringify(selection), page.offset),
    queryFn: ({ signal }) => postDryRun(selection, page, signal),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
    retry,
  });
}

/** While a job is open its counts move (the `replay_progress` push writes them in); this poll covers a missed push. */
const OPEN_POLL_MS = 3_000;
const IDLE_POLL_MS = 15_000;

/** A page of jobs, newest first; asked more often while one of them is open. */
export function useReplayJobs(page: { limit: number; offset: number }) {
  const search = new URLSearchParams({ limit: String(page.limit), offset: String(page.offset) });
  return useQuery({
    queryKey: replayJobListKey(search.toString()),
    queryFn: ({ signal }) => fetchReplayJobs(search, signal),
    refetchInterval: (query) => (query.state.data?.jobs.some((j) => isOpenJob(j.state)) ? OPEN_POLL_MS : IDLE_POLL_MS),
    placeholderData: keepPreviousData,
    retry,
  });
}

/** The job opened below (`?job=`), its items a page at a time; asked again while it is open, never once it ended. */
export function useReplayJob(id: string, page: { limit: number; offset: number }) {
  return useQuery({
    queryKey: replayJobKey(id, page.offset),
    queryFn: ({ signal }) => fetchReplayJob(id, page, signal),
    enabled: id !== '',
    refetchInterval: (query) => (query.state.data !== undefined && !isOpenJob(query.state.data.state) ? false : OPEN_POLL_MS),
    placeholderData: keepPreviousData,
    retry,
  });
}

export type Feedback = { tone: 'error' | 'done'; text: string };

/** What an operator may do on the Replay screen and a viewer may not, for the reason shown beside the buttons. */
export const REPLAY_ACTIONS = 'dry-run, run, approve or cancel replays';

/** Whether this person's role may use the Replay screen's actions, and why not. */
export function useReplayPermit() {
  return usePermit('operator', REPLAY_ACTIONS);
}

/**
 * Runs a replay action (run, approve, cancel, decide) — the server records the signed-in person, `me` — and
 * keeps one line of feedback. Settles once the jobs have been read again.
 */
export function useReplayAction() {
  const client = useQueryClient();
  const me = useCurrentSession()?.name ?? '';
  const permit = useReplayPermit();
  const [feedback, setFeedback] = useState<Feedback | undefined>();
  const mutation = useMutation({
    mutationFn: (send: () => Promise<unknown>) => send(),
    onSuccess: () => client.invalidateQueries({ queryKey: REPLAYS_KEY }),
  });

  function refuse(message: string, fieldId: string | undefined): false {
    setFeedback({ tone: 'error', text: message });
    if (fieldId !== undefined) document.getElementById(fieldId)?.focus();
    return false;
  }

  /** Send it; `done` says what happened from the answer. Resolves to the answer, or undefined when nothing was done. */
  async function run<T>(send: () => Promise<T>, done: (answer: T) => string): Promise<T | undefined> {
    if (!permit.allowed) {
      refuse(permit.reason, undefined);
      return undefined;
    }
    setFeedback(undefined);
    try {
      const answer = (await mutation.mutateAsync(send)) as T;
      setFeedback({ tone: 'done', text: done(answer) });
      return answer;
    } catch (error) {
      setFeedback({ tone: 'error', text: `Nothing was done: ${error instanceof Error ? error.message : String(error)}` });
      return undefined;
    }
  }

  return { me, permit, run, refuse, pending: mutation.isPending, feedback };
}
