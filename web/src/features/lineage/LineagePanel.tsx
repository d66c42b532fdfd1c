import { useEffect } from 'react';
import { ApiRequestError } from '../../api/client';
import { useUrlParam } from '../../url/useUrlParam';
import { LineageSearch } from './LineageSearch';
import { LineageTimeline } from './LineageTimeline';
import { useLineageQuery } from './useLineageQuery';

/** Search a key, see where it went. The key lives in `?key=` so the view is a link you can paste. */
export function LineagePanel() {
  const [key, setKey] = useUrlParam('key');
  const query = useLineageQuery(key);

  useEffect(() => {
    document.title = key === '' ? 'Flowlens' : `${key} · Lineage · Flowlens`;
  }, [key]);

  const search = (next: string) => {
    if (next === key) void query.refetch();
    else setKey(next);
  };

  return (
    <section className="panel" aria-labelledby="lineage-title">
      <header className="panel-header">
        <h2 id="lineage-title">Lineage</h2>
      </header>
      <LineageSearch key={key} initialValue={key} onSearch={search} />

      <div className="lineage-body" aria-live="polite" aria-busy={query.isFetching}>
        {key === '' && (
          <p className="muted">
            Search a business key to see every step it went through, in every flow it reached, in time order.
          </p>
        )}
        {key !== '' && query.isPending && (
          <p className="state-message" role="status">
            Searching for <code>{key}</code>…
            {query.failureCount > 0 && ` Retrying after: ${query.failureReason?.message ?? 'no answer'}`}
          </p>
        )}
        {query.isError && <LineageError keyValue={key} error={query.error} onRetry={() => void query.refetch()} />}
        {query.isSuccess && <LineageTimeline lineage={query.data} onSelectKey={search} />}
      </div>
    </section>
  );
}

function LineageError({ keyValue, error, onRetry }: { keyValue: string; error: Error; onRetry: () => void }) {
  if (error instanceof ApiRequestError && error.status === 404) {
    return (
      <div className="state-message" data-testid="lineage-not-found">
        <p>
          No events found for key <code>{keyValue}</code>. Check the value, or wait a few seconds if it was just sent.
        </p>
        <button type="button" className="link-button" onClick={onRetry}>
          Search again
        </button>
      </div>
    );
  }
  return (
    <div className="state-message state-message-error" role="alert">
      <p>
        Could not load the lineage for <code>{keyValue}</code>: {error.message}
      </p>
      <button type="button" className="link-button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
