import { useState } from 'react';
import { formatCount } from '../../format/number';
import { PermissionNote } from '../../ui/PermissionNote';
import { setUrlParams } from '../../url/useUrlParam';
import { postReplayJob, type Preview } from './api';
import { ReplayFeedback } from './ReplayFeedback';
import { useReplayAction } from './useReplayQueries';

const REASON_ID = 'replay-reason';

/**
 * Run what the dry run showed: the same selection (its range as previewed) becomes a job, with a reason for the
 * record. It is queued — or waits for a second operator when finance flows are in it — and opens below.
 */
export function RunForm({ preview, onCreated }: { preview: Preview; onCreated: () => void }) {
  const [reason, setReason] = useState('');
  const action = useReplayAction();
  const { answer } = preview;
  const nothing = answer.send === 0;

  const run = async (event: React.FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      action.refuse('Say why in the reason (what was fixed, so the events can go through now).', REASON_ID);
      return;
    }
    const job = await action.run(
      () => postReplayJob({ selection: preview.selection, reason: reason.trim() }),
      (j) => (j.state === 'awaiting_approval' ? `Job ${j.id} awaits a second operator's approval (${j.approval_flows.join(', ')}); it is below.` : `Job ${j.id} is ${j.state}; follow it below.`),
    );
    if (job === undefined) return;
    setReason('');
    setUrlParams({ job: job.id });
    onCreated();
  };

  return (
    <form className="replay-run" onSubmit={(e) => void run(e)} aria-label="Run the replay" data-testid="replay-run">
      <div className="work-field replay-field-wide">
        <label htmlFor={REASON_ID}>Reason</label>
        <input id={REASON_ID} type="text" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="The ERP is back after the outage" maxLength={2000} disabled={nothing || !action.permit.allowed} />
      </div>
      <button type="submit" className="action-button action-button-primary" disabled={nothing || action.pending || !action.permit.allowed} title={action.permit.reason}>
        {nothing ? 'Nothing to send' : `Run: send ${formatCount(answer.send)} ${answer.send === 1 ? 'event' : 'events'}`}
      </button>
      <PermissionNote permit={action.permit} className="replay-permission" />
      <ReplayFeedback feedback={action.feedback} testId="run-feedback" />
    </form>
  );
}
