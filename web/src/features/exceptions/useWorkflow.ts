import { useState } from 'react';
import { useActor } from './actor';
import { ACTOR_FIELD_ID, doneMessage, workflowRequest, type WorkflowKind } from './workflowForm';
import { useExceptionAction } from './useExceptionQueries';

export type Feedback = { tone: 'error' | 'done'; text: string };

/**
 * Runs workflow actions from a form: checks what is missing before sending (and moves focus there), sends as the
 * remembered actor, and keeps one line of feedback — what was done, or the server's reason nothing was.
 */
export function useWorkflow(fieldIds: { assignee?: string; note?: string } = {}) {
  const mutation = useExceptionAction();
  const [actor] = useActor();
  const [feedback, setFeedback] = useState<Feedback | undefined>();

  async function run(ids: readonly string[], kind: WorkflowKind, input: { assignee?: string; note?: string } = {}): Promise<boolean> {
    const built = workflowRequest(kind, { actor, ...input });
    if ('problem' in built) {
      setFeedback({ tone: 'error', text: built.problem.message });
      const id = built.problem.field === 'actor' ? ACTOR_FIELD_ID : fieldIds[built.problem.field];
      if (id !== undefined) document.getElementById(id)?.focus();
      return false;
    }
    setFeedback(undefined);
    try {
      await mutation.mutateAsync({ ids, request: built.request });
      setFeedback({ tone: 'done', text: doneMessage(built.request, ids.length) });
      return true;
    } catch (error) {
      setFeedback({ tone: 'error', text: `Nothing was recorded: ${error instanceof Error ? error.message : String(error)}` });
      return false;
    }
  }

  return { run, pending: mutation.isPending, feedback, clearFeedback: () => setFeedback(undefined) };
}
