import { useState } from 'react';
import type { AlertItem } from '../../api/contracts';
import { formatClock } from '../../format/time';
import { PermissionNote } from '../../ui/PermissionNote';
import { ActionFeedback } from './ActionFeedback';
import { deleteMute, postAlertAction } from './api';
import { MuteForm } from './MuteForm';
import { availableActions } from './shapeAlertDetail';
import { useAlertActions } from './useAlertActions';

const NOTE_ID = 'alert-detail-note';

/**
 * What a person can do with one alert: acknowledge it (it is being looked at: reminders stop), resolve it with a
 * note (a fix under way, a known cause), end a mute holding it back, or mute it and others like it for a while.
 * Each is recorded as the signed-in person; a viewer sees the buttons disabled and why.
 */
export function AlertActions({ alert }: { alert: AlertItem }) {
  const [note, setNote] = useState('');
  const actions = useAlertActions('acknowledge, resolve or unmute alerts');
  const blocked = actions.pending || !actions.permit.allowed;
  const can = availableActions(alert.state);

  const acknowledge = async () => {
    if (await actions.run(() => postAlertAction(alert.id, 'acknowledge', { note: note.trim() }), `Acknowledged: ${alert.rule_name}`)) setNote('');
  };
  const resolve = async () => {
    if (note.trim() === '') {
      actions.refuse('Say in the note why it is resolved (what was fixed, or the known cause), then Resolve.', NOTE_ID);
      return;
    }
    if (await actions.run(() => postAlertAction(alert.id, 'resolve', { note: note.trim() }), `Resolved: ${alert.rule_name}`)) setNote('');
  };

  return (
    <>
      <section className="work-section" aria-labelledby="alert-actions-title">
        <h4 id="alert-actions-title">Act on it</h4>
        {!can.acknowledge && !can.resolve && <p className="muted">It is {alert.state === 'resolved' ? 'resolved' : 'closed'}; a new breach opens a new episode of it.</p>}
        {(can.acknowledge || can.resolve) && (
          <div className="work-note alert-note">
            <label htmlFor={NOTE_ID}>Note</label>
            <textarea id={NOTE_ID} rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What you found, what was fixed" maxLength={4096} disabled={!actions.permit.allowed} />
            <div className="work-action-row alert-action-row">
              {can.acknowledge && (
                <button type="button" className="action-button action-button-primary" disabled={blocked} title={actions.permit.reason} onClick={() => void acknowledge()}>
                  Acknowledge
                </button>
              )}
              {can.resolve && (
                <button type="button" className="action-button" disabled={blocked} title={actions.permit.reason} onClick={() => void resolve()}>
                  Resolve with this note
                </button>
              )}
            </div>
            <PermissionNote permit={actions.permit} />
          </div>
        )}
        {alert.muted_by.length > 0 && (
          <ul className="alert-mutes-over" data-testid="alert-muted-by">
            {alert.muted_by.map((m) => (
              <li key={m.id}>
                Muted by {m.by} until {formatClock(m.ends_at)}
                {m.reason === '' ? '' : ` — ${m.reason}`}{' '}
                <button
                  type="button"
                  className="action-button"
                  disabled={blocked}
                  title={actions.permit.reason}
                  onClick={() => void actions.run(() => deleteMute(m.id), `Unmuted: notifications of ${alert.rule_name} go out again`)}
                >
                  Unmute
                </button>
              </li>
            ))}
          </ul>
        )}
        <ActionFeedback feedback={actions.feedback} testId="alert-feedback" />
      </section>
      {(can.acknowledge || can.resolve) && <MuteForm alert={alert} />}
    </>
  );
}
