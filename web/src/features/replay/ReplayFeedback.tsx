import type { Feedback } from './useReplayQueries';

/** The one line an action says afterwards; always there, so the live region announces it. */
export function ReplayFeedback({ feedback, testId }: { feedback: Feedback | undefined; testId: string }) {
  return (
    <p className={feedback?.tone === 'error' ? 'replay-feedback replay-feedback-error' : 'replay-feedback'} role="status" data-testid={testId} data-tone={feedback?.tone ?? 'none'}>
      {feedback?.text ?? ''}
    </p>
  );
}
