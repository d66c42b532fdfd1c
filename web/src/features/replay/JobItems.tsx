import { useState } from 'react';
import type { ReplayJobDetail } from '../../api/contracts';
import { postDecision } from './api';
import { itemLine, type ItemLine } from './shapeJobs';
import type { useReplayAction } from './useReplayQueries';

type Action = ReturnType<typeof useReplayAction>;

/** A page of the job's items in the order sent: the event, its target, its outcome and what the target said. */
export function JobItems({ job, action }: { job: ReplayJobDetail; action: Action }) {
  if (job.items.length === 0) return <p className="muted">No items on this page.</p>;
  return (
    <div className="table-scroll">
      <table className="work-table replay-item-table" data-testid="job-items">
        <caption className="visually-hidden">Items of job {job.id}, in the order sent</caption>
        <colgroup>
          <col className="replay-col-pos" />
          <col className="replay-col-event" />
          <col className="replay-col-state" />
          <col className="replay-col-outcome" />
          <col className="replay-col-detail" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Event</th>
            <th scope="col">Outcome</th>
            <th scope="col">Answer</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {job.items.map((item) => {
            const line = itemLine(item);
            return <ItemRow key={line.key} jobId={job.id} line={line} action={action} />;
          })}
        </tbody>
      </table>
    </div>
  );
}

function ItemRow({ jobId, line, action }: { jobId: string; line: ItemLine; action: Action }) {
  return (
    <tr data-testid="job-item" data-state={line.state} data-event={line.eventId}>
      <td>{line.position + 1}</td>
      <td>
        <span className="replay-item-step">{line.step}</span>
        <span className="cell-sub" title={`${line.flow} · ${line.correlationId} · ${line.eventId}`}>
          <code>{line.correlationId}</code> → {line.target}
        </span>
      </td>
      <td>
        <span className={`work-badge replay-tone-${line.tone}`} data-testid="job-item-state">
          {line.stateLabel}
        </span>
        {line.recorded && <span className="cell-sub">written back</span>}
      </td>
      <td className="cell-cut" title={line.outcome}>
        {line.outcome || <span className="muted">–</span>}
      </td>
      <td>
        <span className="replay-detail" title={line.detail}>
          {line.detail}
        </span>
        {line.needsDecision && <Decide jobId={jobId} line={line} action={action} />}
      </td>
    </tr>
  );
}

/** The operator's call on an item whose outcome is unknown: applied, or not (then a later job may send it). */
function Decide({ jobId, line, action }: { jobId: string; line: ItemLine; action: Action }) {
  const [note, setNote] = useState('');
  const id = `replay-decide-${line.position}`;
  const decide = (outcome: 'applied' | 'not_applied') => {
    if (note.trim() === '') {
      action.refuse('Say in the note what you checked in the target (a posting id, a screen), then decide.', id);
      return;
    }
    void action.run(
      () => postDecision(jobId, { event_id: line.eventId, target: line.target, outcome, note: note.trim() }),
      () => `Recorded: ${line.step} of ${line.correlationId} ${outcome === 'applied' ? 'was applied' : 'was not applied'}.`,
    );
  };
  return (
    <div className="replay-decide" data-testid="job-item-decide">
      <label htmlFor={id}>What the target shows</label>
      <input id={id} type="text" value={note} onChange={(e) => setNote(e.target.value)} placeholder="Posting 4711 is in the ERP" maxLength={2000} disabled={!action.permit.allowed} />
      <button type="button" className="action-button" disabled={action.pending || !action.permit.allowed} title={action.permit.reason} onClick={() => decide('applied')}>
        It was applied
      </button>
      <button type="button" className="action-button" disabled={action.pending || !action.permit.allowed} title={action.permit.reason} onClick={() => decide('not_applied')}>
        It was not applied
      </button>
    </div>
  );
}
