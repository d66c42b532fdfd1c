import { useState } from 'react';
import { usePermit } from '../../auth/useSession';
import { doneMessage, workflowRequest, type WorkflowKind } from './workflowForm';
import { useExceptionAction } from './useExceptionQueries';

export type Feedback = { tone: 'error' | 'done'; text: string };

/** What an operator may do to exceptions and a viewer may not, for the reason shown beside the buttons. */
const WORKFLOW_ACTIONS = 'assign, acknowledge, comment on or resolve exceptions';

/**
 * Runs workflow actions from a form: checks what is missing before sending (and moves focus there), sends them —
 * the server records the signed-in person — and keeps one line of feedback: what was done, or the server's
 * reason nothing was. `permit` says whether this person's role may act at all.
 */
export function useWorkflow(fieldIds: { assignee?: string; note?: string } = {}) {
  const mutation = useExceptionAction();
  const permit = usePermit('operator', WORKFLOW_ACTIONS);
  const [feedback, setFeedback] = useState<Feedback | undefined>();

  async function run(ids: readonly string[], kind: WorkflowKind, input: { assignee?: string; note?: string } = {}): Promise<boolean> {
    if (!permit.allowed) {
      setFeedback({ tone: 'error', text: permit.reason });
      return false;
    }
    const built = workflowRequest(kind, input);
    if ('problem' in built) {
      setFeedback({ tone: 'error', text: built.problem.message });
      const id = fieldIds[built.problem.field];
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

  return { run, permit, pending: mutation.isPending, feedback, clearFeedback: () => setFeedback(undefined) };
}
