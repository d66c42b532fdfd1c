import { useState } from 'react';
import { ApiRequestError } from '../../api/client';
import type { ReplayJobDetail } from '../../api/contracts';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatCount } from '../../format/number';
import { LoadFailed } from '../../ui/LoadFailed';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { JobActions } from './JobActions';
import { JobItems } from './JobItems';
import { JobProgressBar } from './JobProgressBar';
import { ReplayFeedback } from './ReplayFeedback';
import { JOB_STATE_LABELS, approval, jobHistory, jobRow } from './shapeJobs';
import { useReplayAction, useReplayJob } from './useReplayQueries';
import './replay.css';

/**
 * The job opened from the list (`?job=`): what it replays and why, who asked and approved, its lifecycle, its
 * progress, and every item with its outcome — the ones no lookup could settle with the operator's decide action.
 */
export function ReplayJobPanel({ panel }: PanelProps<'replayJob'>) {
  const [id] = useUrlParam('job');
  if (id === '') {
    return (
      <p className="state-message" data-testid="job-pick">
        Open a job in the list above to see its items and what the target answered for each.
      </p>
    );
  }
  return <JobDetail key={id} id={id} pageSize={panel.options.pageSize} />;
}

function JobDetail({ id, pageSize }: { id: string; pageSize: number }) {
  const [page, setPage] = useState(1);
  const query = useReplayJob(id, { limit: pageSize, offset: (page - 1) * pageSize });
  const action = useReplayAction();
  const job = query.data;
  if (job === undefined) {
    if (!query.isError) {
      return (
        <p className="state-message" role="status">
          Loading job {id}…
        </p>
      );
    }
    return query.error instanceof ApiRequestError && (query.error.status === 404 || query.error.status === 400) ? (
      <div className="state-message" data-testid="job-not-found">
        <p>{query.error.message}. Check the job id in the link, or open one in the list above.</p>
        <button type="button" className="link-button" onClick={() => setUrlParams({ job: '' })}>
          Close
        </button>
      </div>
    ) : (
      <LoadFailed what={`replay job ${id}`} error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
    );
  }
  const row = jobRow(job);
  const pages = Math.max(1, Math.ceil(job.item_count / pageSize));
  return (
    <div className="work-screen" data-testid="replay-job-detail" data-state={job.state}>
      <div className="replay-job-head">
        <h3 id="replay-job-title" tabIndex={-1}>
          Job <code>{job.id}</code>
        </h3>
        <span className={`work-badge replay-job-state-${job.state}`} data-testid="job-detail-state">
          {JOB_STATE_LABELS[job.state]}
        </span>
        <JobActions job={job} action={action} />
        <button type="button" className="action-button replay-close" onClick={() => setUrlParams({ job: '' })}>
          Close
        </button>
      </div>
      <dl className="work-facts replay-facts">
        <div className="work-fact">
          <dt>Replays</dt>
          <dd>{row.selection}</dd>
        </div>
        <div className="work-fact">
          <dt>Reason</dt>
          <dd>{job.reason}</dd>
        </div>
        <div className="work-fact">
          <dt>Asked for</dt>
          <dd>
            by {job.requested_by}, {row.created}
            {job.approval_flows.length > 0 && ` · four eyes for ${job.approval_flows.join(', ')}: ${job.approved_by === null ? 'not approved yet' : `approved by ${job.approved_by}`}`}
          </dd>
        </div>
      </dl>
      <JobProgressBar job={job} />
      <p className="replay-job-now">{job.state === 'awaiting_approval' ? approval(job, action.me).why : row.current}</p>
      {job.needs_decision > 0 && (
        <p className="inline-notice" role="status" data-testid="job-needs-decision">
          {formatCount(job.needs_decision)} {job.needs_decision === 1 ? 'item' : 'items'}: the target&apos;s answer was lost and its lookup could not tell whether it
          applied them. Check in the target, then say below whether each was applied; nothing is sent again for them.
        </p>
      )}
      <ReplayFeedback feedback={action.feedback} testId="job-feedback" />
      <History job={job} />
      <JobItems job={job} action={action} />
      {pages > 1 && (
        <nav className="work-pager replay-pager" aria-label="Pages of the job's items">
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
    </div>
  );
}

function History({ job }: { job: ReplayJobDetail }) {
  return (
    <ol className="replay-history" aria-label="The job's lifecycle" data-testid="job-history">
      {jobHistory(job).map((line) => (
        <li key={line.key}>
          <time>{line.time}</time> {line.text}
          {line.note !== null && <span className="muted"> — {line.note}</span>}
        </li>
      ))}
    </ol>
  );
}
