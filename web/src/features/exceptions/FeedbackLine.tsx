import type { Feedback } from './useWorkflow';

/**
 * The one line a form says after an action: what was done, or why nothing was recorded. One live region that is
 * always there (a region created with its text is not announced), styled as an error when it is one.
 */
export function FeedbackLine({ feedback, testId }: { feedback: Feedback | undefined; testId: string }) {
  return (
    <p className={feedback?.tone === 'error' ? 'exc-feedback exc-feedback-error' : 'exc-feedback'} role="status" data-testid={testId} data-tone={feedback?.tone ?? 'none'}>
      {feedback?.text ?? ''}
    </p>
  );
}
