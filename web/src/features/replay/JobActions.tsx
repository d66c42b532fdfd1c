import type { ReplayJob } from '../../api/contracts';
import { postJobAction } from './api';
import { approval, isOpenJob } from './shapeJobs';
import type { useReplayAction } from './useReplayQueries';

/**
 * Approve (four eyes: a different operator than the one who asked) and cancel (stops before the next item; what
 * was sent stays sent), shown while the job is open; why approving is (not) open to this person is its title, and
 * the card says it too.
 */
export function JobActions({ job, action }: { job: ReplayJob; action: ReturnType<typeof useReplayAction> }) {
  const canApprove = approval(job, action.actor);
  if (!isOpenJob(job.state)) return null;
  return (
    <span className="replay-job-actions">
      {canApprove.show && (
        <button
          type="button"
          className="replay-button replay-button-primary"
          disabled={!canApprove.allowed || action.pending}
          title={canApprove.why}
          onClick={() => void action.run((actor) => postJobAction(job.id, 'approve', { actor }), (j) => `Approved ${j.id}: it is ${j.state}.`)}
          data-testid="job-approve"
        >
          Approve
        </button>
      )}
      <button
        type="button"
        className="replay-button"
        disabled={action.pending}
        onClick={() => void action.run((actor) => postJobAction(job.id, 'cancel', { actor }), (j) => `Cancelled ${j.id}: nothing more of it is sent.`)}
        data-testid="job-cancel"
      >
        Cancel
      </button>
    </span>
  );
}
