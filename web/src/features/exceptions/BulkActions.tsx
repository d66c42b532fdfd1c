import { useState } from 'react';
import { PermissionNote } from '../../ui/PermissionNote';
import { FeedbackLine } from './FeedbackLine';
import { useWorkflow } from './useWorkflow';
import type { WorkflowKind } from './workflowForm';

/**
 * Acting on the selected rows at once (all or nothing): assign, acknowledge, comment, resolve. Always on screen,
 * its buttons waiting for a selection, so selecting a row never moves the table.
 */
export function BulkActions({ ids, onDone }: { ids: readonly string[]; onDone: () => void }) {
  const [assignee, setAssignee] = useState('');
  const [note, setNote] = useState('');
  const workflow = useWorkflow({ assignee: 'exc-bulk-assignee', note: 'exc-bulk-note' });
  const none = ids.length === 0 || !workflow.permit.allowed;
  const disabled = none || workflow.pending;
  const why = workflow.permit.reason;

  const act = async (kind: WorkflowKind) => {
    if (await workflow.run(ids, kind, { assignee, note })) {
      if (kind === 'assign') setAssignee('');
      if (kind === 'comment' || kind === 'resolve') setNote('');
      onDone();
    }
  };

  return (
    <form className="exc-bulk" aria-label="Act on the selected exceptions" onSubmit={(e) => e.preventDefault()} data-testid="bulk-actions">
      <p className="exc-bulk-count" aria-live="polite" data-testid="bulk-count">
        {ids.length === 0 ? 'Select exceptions to act on several at once' : `${ids.length} selected`}
      </p>
      <div className="exc-bulk-group">
        <label htmlFor="exc-bulk-assignee">Assign to</label>
        <input id="exc-bulk-assignee" type="text" value={assignee} onChange={(e) => setAssignee(e.target.value)} placeholder="Name" maxLength={128} disabled={none} />
        <button type="button" className="action-button" disabled={disabled} title={why} onClick={() => void act('assign')}>
          Assign
        </button>
      </div>
      <div className="exc-bulk-group">
        <button type="button" className="action-button" disabled={disabled} title={why} onClick={() => void act('acknowledge')}>
          Acknowledge
        </button>
      </div>
      <div className="exc-bulk-group exc-bulk-note">
        <label htmlFor="exc-bulk-note">Note</label>
        <input id="exc-bulk-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} placeholder="How it was fixed, or a comment" maxLength={4096} disabled={none} />
        <button type="button" className="action-button" disabled={disabled} title={why} onClick={() => void act('comment')}>
          Comment
        </button>
        <button type="button" className="action-button action-button-primary" disabled={disabled} title={why} onClick={() => void act('resolve')}>
          Resolve
        </button>
      </div>
      <PermissionNote permit={workflow.permit} className="exc-bulk-permission" />
      <FeedbackLine feedback={workflow.feedback} testId="bulk-feedback" />
    </form>
  );
}
