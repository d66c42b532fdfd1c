import type { Feedback } from './useAlertActions';

/**
 * The one line an action says afterwards: what was done, or why nothing was recorded. Always there (a live region
 * created with its text is not announced), styled as an error when it is one.
 */
export function ActionFeedback({ feedback, testId }: { feedback: Feedback | undefined; testId: string }) {
  return (
    <p className={feedback?.tone === 'error' ? 'alert-feedback alert-feedback-error' : 'alert-feedback'} role="status" data-testid={testId} data-tone={feedback?.tone ?? 'none'}>
      {feedback?.text ?? ''}
    </p>
  );
}
