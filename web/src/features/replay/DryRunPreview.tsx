import { useState } from 'react';
import { ApiRequestError } from '../../api/client';
import type { ReplaySelection } from '../../api/contracts';
import { formatClock } from '../../format/time';
import { LoadFailed } from '../../ui/LoadFailed';
import { PreviewItems } from './PreviewItems';
import { RunForm } from './RunForm';
import { describeSelection } from './selection';
import { dryRunSummary, itemsRange } from './shapeDryRun';
import { useDryRun } from './useReplayQueries';

/**
 * The dry run of one selection: what a job would send and skip (and why), a page of items at a time, each with the
 * exact request it would make; then the form that runs it. Nothing is sent until Run.
 */
export function DryRunPreview({ selection, pageSize, onAgain }: { selection: ReplaySelection; pageSize: number; onAgain: () => void }) {
  const [page, setPage] = useState(1);
  const query = useDryRun(selection, { limit: pageSize, offset: (page - 1) * pageSize });
  const preview = query.data;

  if (preview === undefined) {
    if (query.isError) return <DryRunFailed error={query.error} onRetry={() => void query.refetch()} />;
    return (
      <p className="state-message" role="status" data-testid="dry-run-loading">
        Dry run of {describeSelection(selection)}…
      </p>
    );
  }
  const { answer } = preview;
  const summary = dryRunSummary(answer);
  const pages = Math.max(1, Math.ceil(answer.total / pageSize));
  return (
    <section className="replay-preview" aria-labelledby="replay-preview-title" data-testid="dry-run" data-total={answer.total} data-send={answer.send}>
      <div className="replay-preview-head">
        <h3 id="replay-preview-title">Dry run</h3>
        <p className="muted">
          {describeSelection(preview.selection)} · as of {formatClock(answer.at)} ·{' '}
          <button type="button" className="link-button" onClick={onAgain} disabled={query.isFetching}>
            Dry run again
          </button>
        </p>
      </div>
      <p className="replay-headline" data-testid="dry-run-headline">
        {summary.headline}
      </p>
      {summary.skipped.length > 0 && (
        <ul className="replay-skips" data-testid="dry-run-skips">
          {summary.skipped.map((s) => (
            <li key={s.reason}>
              <span className="work-badge replay-tone-muted">skip</span> {s.count} {s.label}
            </li>
          ))}
        </ul>
      )}
      {summary.noTarget !== undefined && (
        <p className="inline-notice" role="status" data-testid="dry-run-no-target">
          {summary.noTarget}
        </p>
      )}
      {summary.approval !== undefined && (
        <p className="inline-notice" role="status" data-testid="dry-run-approval">
          {summary.approval}
        </p>
      )}
      {query.isError && (
        <p className="inline-notice" role="status">
          The last dry run failed: {query.error.message}
        </p>
      )}
      {answer.total > 0 && (
        <>
          <p className="panel-summary">Events {itemsRange(answer)}, in the order a job sends them</p>
          <PreviewItems items={answer.items} />
          {pages > 1 && (
            <nav className="work-pager replay-pager" aria-label="Pages of the dry run">
              <button type="button" className="action-button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </button>
              <span>
                Page {page} of {pages}
              </span>
              <button type="button" className="action-button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                Next
              </button>
            </nav>
          )}
        </>
      )}
      <RunForm preview={preview} onCreated={onAgain} />
    </section>
  );
}

function DryRunFailed({ error, onRetry }: { error: Error; onRetry: () => void }) {
  if (error instanceof ApiRequestError && (error.status === 400 || error.status === 404)) {
    return (
      <div className="state-message state-message-error" role="alert" data-testid="dry-run-error">
        <p>Nothing to preview: {error.message}</p>
        <p>Check the id or the filter above, or widen the time range.</p>
      </div>
    );
  }
  return <LoadFailed what="the dry run" error={error} onRetry={onRetry} className="state-message state-message-error" />;
}
