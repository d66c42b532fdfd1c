import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ALERTS_KEY } from '../../api/queryKeys';
import { usePermit } from '../../auth/useSession';

export type Feedback = { tone: 'error' | 'done'; text: string };

/**
 * Runs an alert action (acknowledge, resolve, mute, unmute) — recorded by the server as the signed-in person —
 * and keeps one line of feedback: what was done, or the server's reason nothing was. Settles once every alert
 * answer has been read again, so the row shows its new state as soon as the button is free. `what` names the
 * actions for the reason a role too low cannot take them ("acknowledge or resolve alerts").
 */
export function useAlertActions(what: string) {
  const client = useQueryClient();
  const permit = usePermit('operator', what);
  const [feedback, setFeedback] = useState<Feedback | undefined>();
  const mutation = useMutation({
    mutationFn: (send: () => Promise<unknown>) => send(),
    onSuccess: () => client.invalidateQueries({ queryKey: ALERTS_KEY }),
  });

  /** Say what is missing (and move focus there) instead of sending; false then. */
  function refuse(message: string, fieldId: string | undefined): false {
    setFeedback({ tone: 'error', text: message });
    if (fieldId !== undefined) document.getElementById(fieldId)?.focus();
    return false;
  }

  async function run(send: () => Promise<unknown>, done: string): Promise<boolean> {
    if (!permit.allowed) return refuse(permit.reason, undefined);
    setFeedback(undefined);
    try {
      await mutation.mutateAsync(send);
      setFeedback({ tone: 'done', text: done });
      return true;
    } catch (error) {
      setFeedback({ tone: 'error', text: `Nothing was recorded: ${error instanceof Error ? error.message : String(error)}` });
      return false;
    }
  }

  return { run, refuse, permit, pending: mutation.isPending, feedback };
}
