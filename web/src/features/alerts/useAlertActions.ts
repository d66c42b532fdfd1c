import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ALERTS_KEY } from '../../api/queryKeys';
import { useActor } from '../exceptions/actor';

export type Feedback = { tone: 'error' | 'done'; text: string };

/** The id of the Alerts screen's "Acting as" field, so an action missing the actor can send the reader there. */
export const ALERT_ACTOR_FIELD_ID = 'alert-actor';

/**
 * Runs an alert action (acknowledge, resolve, mute, unmute) as the remembered actor — the name the exceptions inbox
 * remembers too — and keeps one line of feedback: what was done, or the server's reason nothing was. Settles once
 * every alert answer has been read again, so the row shows its new state as soon as the button is free.
 */
export function useAlertActions() {
  const client = useQueryClient();
  const [actor] = useActor();
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

  async function run(send: (actor: string) => Promise<unknown>, done: string): Promise<boolean> {
    const me = actor.trim();
    if (me === '') return refuse('Type your name in “Acting as” first: every action records who took it.', ALERT_ACTOR_FIELD_ID);
    setFeedback(undefined);
    try {
      await mutation.mutateAsync(() => send(me));
      setFeedback({ tone: 'done', text: done });
      return true;
    } catch (error) {
      setFeedback({ tone: 'error', text: `Nothing was recorded: ${error instanceof Error ? error.message : String(error)}` });
      return false;
    }
  }

  return { actor: actor.trim(), run, refuse, pending: mutation.isPending, feedback };
}
