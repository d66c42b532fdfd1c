/** A failed first load, said the same way everywhere: what could not load, why, and that it is retried. */
export function LoadFailed({ what, error, onRetry, className }: { what: string; error: Error; onRetry: () => void; className: string }) {
  return (
    <div className={className} role="alert">
      <p>
        Could not load {what}: {error.message}
      </p>
      <p>
        Retrying automatically.{' '}
        <button type="button" className="link-button" onClick={onRetry}>
          Retry now
        </button>
      </p>
    </div>
  );
}
