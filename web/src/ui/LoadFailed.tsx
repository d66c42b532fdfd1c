import { isRetryable } from '../api/client';

/**
 * A failed first load, said the same way everywhere: what could not load, why, and what happens next — retried
 * by itself when a retry can help (the server unreachable or failing), else what to change (a 4xx names the
 * parameter or the missing thing).
 */
export function LoadFailed({ what, error, onRetry, className }: { what: string; error: Error; onRetry: () => void; className: string }) {
  const retried = isRetryable(error);
  return (
    <div className={className} role="alert">
      <p>
        Could not load {what}: {error.message}
      </p>
      <p>
        {retried ? 'Retrying automatically. ' : 'Asking again will not change this: check the link, the filters or the time range. '}
        <button type="button" className="link-button" onClick={onRetry}>
          {retried ? 'Retry now' : 'Ask again'}
        </button>
      </p>
    </div>
  );
}
