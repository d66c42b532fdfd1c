import type { ReplayJob } from '../../api/contracts';
import { postJobAction } from './api';
import { approval, isOpenJob } from './shapeJobs';
import type { useReplayAction } from './useReplayQueries';

/**
 * Approve (four eyes: a different operator than the one who asked) and cancel (stops before the next item; what
 * was sent stays sent), shown while the job is open; why approving is (not) open to this person is its title, and
 * the card says it too. A viewer sees both disabled, with the reason as their title.
 */
export function JobActions({ job, action }: { job: ReplayJob; action: ReturnType<typeof useReplayAction> }) {
  const canApprove = approval(job, action.me);
  if (!isOpenJob(job.state)) return null;
  const { permit } = action;
  return (
    <span className="replay-job-actions">
      {canApprove.show && (
        <button
          type="button"
          className="action-button action-button-primary"
          disabled={!permit.allowed || !canApprove.allowed || action.pending}
          title={permit.reason ?? canApprove.why}
          onClick={() => void action.run(() => postJobAction(job.id, 'approve'), (j) => `Approved ${j.id}: it is ${j.state}.`)}
          data-testid="job-approve"
        >
          Approve
        </button>
      )}
      <button
        type="button"
        className="action-button"
        disabled={!permit.allowed || action.pending}
        title={permit.reason}
        onClick={() => void action.run(() => postJobAction(job.id, 'cancel'), (j) => `Cancelled ${j.id}: nothing more of it is sent.`)}
        data-testid="job-cancel"
      >
        Cancel
      </button>
    </span>
  );
}
