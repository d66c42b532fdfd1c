import { useState } from 'react';
import type { ExceptionDetail } from '../../api/contracts';
import { useCurrentSession } from '../../auth/useSession';
import { PermissionNote } from '../../ui/PermissionNote';
import { FeedbackLine } from './FeedbackLine';
import { availableActions, historyLines } from './shapeDetail';
import { useWorkflow } from './useWorkflow';
import type { WorkflowKind } from './workflowForm';

/**
 * What a person can do with one exception — assign it (to themselves in one click), acknowledge it, comment,
 * resolve it with a note, reopen a resolved one — and the append-only record of everything done so far. Each
 * action is recorded as the signed-in person; a viewer sees the buttons disabled and why.
 */
export function ExceptionWorkflow({ detail }: { detail: ExceptionDetail }) {
  const me = useCurrentSession()?.name ?? '';
  const [assignee, setAssignee] = useState('');
  const [note, setNote] = useState('');
  const workflow = useWorkflow({ assignee: 'exc-detail-assignee', note: 'exc-detail-note' });
  const can = availableActions(detail.state);
  const blocked = workflow.pending || !workflow.permit.allowed;
  const why = workflow.permit.reason;

  const act = async (kind: WorkflowKind, input: { assignee?: string; note?: string } = {}) => {
    if (await workflow.run([detail.id], kind, input)) {
      if (kind === 'assign') setAssignee('');
      if (kind === 'comment' || kind === 'resolve') setNote('');
    }
  };

  return (
    <>
      <section className="work-section" aria-labelledby="exc-actions-title">
        <h4 id="exc-actions-title">Act on it</h4>
        <form
          className="work-action-row exc-action-row"
          onSubmit={(e) => {
            e.preventDefault();
            void act('assign', { assignee });
          }}
        >
          <label htmlFor="exc-detail-assignee">Assign to</label>
          <input id="exc-detail-assignee" type="text" value={assignee} onChange={(e) => setAssignee(e.target.value)} placeholder={detail.assignee ?? 'Name'} maxLength={128} disabled={!workflow.permit.allowed} />
          <button type="submit" className="action-button" disabled={blocked} title={why}>
            Assign
          </button>
          {me !== '' && me !== detail.assignee && (
            <button type="button" className="link-button" disabled={blocked} title={why} onClick={() => void act('assign', { assignee: me })}>
              Assign to me
            </button>
          )}
        </form>
        <div className="work-action-row exc-action-row">
          {can.acknowledge && (
            <button type="button" className="action-button" disabled={blocked} title={why} onClick={() => void act('acknowledge')}>
              Acknowledge
            </button>
          )}
          {can.reopen && (
            <button type="button" className="action-button" disabled={blocked} title={why} onClick={() => void act('reopen')}>
              Reopen
            </button>
          )}
        </div>
        <div className="work-note">
          <label htmlFor="exc-detail-note">Note</label>
          <textarea id="exc-detail-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} placeholder="How it was fixed, or what you found" maxLength={4096} disabled={!workflow.permit.allowed} />
          <div className="work-action-row exc-action-row">
            <button type="button" className="action-button" disabled={blocked} title={why} onClick={() => void act('comment', { note })}>
              Comment
            </button>
            {can.resolve && (
              <button type="button" className="action-button action-button-primary" disabled={blocked} title={why} onClick={() => void act('resolve', { note })}>
                Resolve with this note
              </button>
            )}
          </div>
        </div>
        <PermissionNote permit={workflow.permit} />
        <FeedbackLine feedback={workflow.feedback} testId="detail-feedback" />
      </section>
      <History detail={detail} />
    </>
  );
}

function History({ detail }: { detail: ExceptionDetail }) {
  const lines = historyLines(detail.history);
  return (
    <section className="work-section" aria-labelledby="exc-history-title">
      <h4 id="exc-history-title">History</h4>
      {lines.length === 0 ? (
        <p className="muted">Nobody has acted on it yet. Assign it or acknowledge it so others know it is in hand.</p>
      ) : (
        <ol className="work-history" data-testid="exception-history">
          {lines.map((line) => (
            <li key={line.key} data-testid="history-entry">
              <span className="exc-history-what">
                <strong>{line.actor}</strong> {line.text}
              </span>
              <time className="work-history-when" dateTime={new Date(line.at).toISOString()}>
                {line.time}
              </time>
              {line.note !== null && <p className="work-history-note">{line.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
