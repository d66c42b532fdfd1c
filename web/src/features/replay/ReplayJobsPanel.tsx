import { useState } from 'react';
import type { ReplayJob } from '../../api/contracts';
import type { PanelProps } from '../../dashboards/panelProps';
import { formatCount } from '../../format/number';
import { LoadFailed } from '../../ui/LoadFailed';
import { PermissionNote } from '../../ui/PermissionNote';
import { setUrlParams, useUrlParam } from '../../url/useUrlParam';
import { JobActions } from './JobActions';
import { JobProgressBar } from './JobProgressBar';
import { ReplayFeedback } from './ReplayFeedback';
import { approval, isOpenJob, jobRow } from './shapeJobs';
import { useReplayAction, useReplayJobs } from './useReplayQueries';
import './replay.css';

/**
 * Queue and history of replay jobs, newest first: what each replays and why, who asked and who approved, its
 * state, and its items by state (live while it runs). Approve, cancel, or open one below (`?job=`).
 */
export function ReplayJobsPanel({ panel }: PanelProps<'replayJobs'>) {
  const { pageSize } = panel.options;
  const [page, setPage] = useState(1);
  const [openId] = useUrlParam('job');
  const query = useReplayJobs({ limit: pageSize, offset: (page - 1) * pageSize });
  const action = useReplayAction();
  const list = query.data;

  if (list === undefined) {
    return query.isError ? (
      <LoadFailed what="the replay jobs" error={query.error} onRetry={() => void query.refetch()} className="state-message state-message-error" />
    ) : (
      <p className="state-message" role="status">
        Loading replay jobs…
      </p>
    );
  }
  const pages = Math.max(1, Math.ceil(list.total / pageSize));
  return (
    <div className="replay-jobs" data-testid="replay-jobs" aria-busy={query.isFetching}>
      <p className="panel-summary">
        {list.total === 0 ? 'No jobs yet' : `${formatCount(list.total)} ${list.total === 1 ? 'job' : 'jobs'}`}
        {query.isError ? ` · the last refresh failed: ${query.error.message}` : ''}
      </p>
      {list.jobs.length === 0 ? (
        <div className="state-message" data-testid="jobs-empty">
          <p>
            <strong>No replay has been run here yet</strong>
          </p>
          <p>Select failed events above, check the dry run, and Run: the job shows here with its progress, then stays as history.</p>
        </div>
      ) : (
        <ul className="replay-job-list">
          {list.jobs.map((job) => (
            <JobCard key={job.id} job={job} open={job.id === openId} action={action} />
          ))}
        </ul>
      )}
      {list.jobs.some((j) => isOpenJob(j.state)) && <PermissionNote permit={action.permit} />}
      <ReplayFeedback feedback={action.feedback} testId="jobs-feedback" />
      {pages > 1 && (
        <nav className="work-pager replay-pager" aria-label="Pages of replay jobs">
          <button type="button" className="action-button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" className="action-button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Older
          </button>
        </nav>
      )}
    </div>
  );
}

function JobCard({ job, open, action }: { job: ReplayJob; open: boolean; action: ReturnType<typeof useReplayAction> }) {
  const row = jobRow(job);
  return (
    <li className={open ? 'replay-job replay-job-open' : 'replay-job'} data-testid="replay-job" data-id={job.id} data-state={job.state}>
      <div className="replay-job-head">
        <span className={`work-badge replay-job-state-${job.state}`} data-testid="job-state">
          {row.stateLabel}
        </span>
        <a
          className="replay-job-link"
          href={`?${new URLSearchParams({ view: 'replay', job: job.id })}`}
          onClick={(e) => {
            if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
            e.preventDefault();
            setUrlParams({ job: job.id });
            requestAnimationFrame(() => document.getElementById('replay-job-title')?.focus());
          }}
          aria-current={open ? 'true' : undefined}
        >
          {job.id}
        </a>
        <span className="muted replay-job-meta">
          {row.requestedBy} · {row.created}
          {row.who === '' ? '' : ` · ${row.who}`}
        </span>
        <JobActions job={job} action={action} />
      </div>
      <p className="replay-job-what">
        {row.selection} — <span className="replay-job-reason">{row.reason}</span>
      </p>
      <JobProgressBar job={job} />
      {/* Always there, one line high: the current item coming and going never moves the list. */}
      <p className="replay-job-now">
        {job.state === 'awaiting_approval' ? approval(job, action.me).why : row.current}
        {row.needsDecision > 0 && <strong className="replay-decide-note"> {row.needsDecision} need a decision: open the job.</strong>}
      </p>
    </li>
  );
}
