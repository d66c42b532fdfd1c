import { useState } from 'react';
import type { AlertItem } from '../../api/contracts';
import { formatClock } from '../../format/time';
import { PermissionNote } from '../../ui/PermissionNote';
import { ActionFeedback } from './ActionFeedback';
import { postMute } from './api';
import { MUTE_DURATIONS, muteRequest, muteScopes, type MuteForm as Form, type MuteScope } from './muteForm';
import { useAlertActions } from './useAlertActions';

const FIELD_IDS = { reason: 'alert-mute-reason', until: 'alert-mute-until' } as const;

/**
 * Mute from an open alert: what (this alert, or every alert of its policy, rule or owner), until when, and why.
 * Notifications of matching alerts are held back until then; the alerts still show, marked muted.
 */
export function MuteForm({ alert }: { alert: AlertItem }) {
  const actions = useAlertActions('mute alerts');
  const [form, setForm] = useState<Form>({ scope: 'alert', duration: '1h', until: '', reason: '' });
  const scopes = muteScopes(alert);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const built = muteRequest(form, alert, Date.now());
    if ('problem' in built) {
      actions.refuse(built.problem.message, FIELD_IDS[built.problem.field]);
      return;
    }
    const scope = scopes.find((s) => s.value === form.scope)!;
    const done = `Muted ${scope.label.charAt(0).toLowerCase()}${scope.label.slice(1)} until ${formatClock(built.request.ends_at)}`;
    if (await actions.run(() => postMute(built.request), done)) setForm((f) => ({ ...f, reason: '' }));
  };

  return (
    <section className="work-section" aria-labelledby="alert-mute-title">
      <h4 id="alert-mute-title">Mute</h4>
      <form className="alert-mute-form" onSubmit={(e) => void submit(e)} data-testid="mute-form">
        <fieldset className="alert-mute-scope">
          <legend>What to mute</legend>
          {scopes.map((s) => (
            <label key={s.value} className="alert-radio">
              <input type="radio" name="alert-mute-scope" value={s.value} checked={form.scope === s.value} onChange={() => setForm({ ...form, scope: s.value as MuteScope })} />
              {s.label}
            </label>
          ))}
        </fieldset>
        <div className="work-action-row alert-action-row">
          <label htmlFor="alert-mute-duration">For</label>
          <select id="alert-mute-duration" value={form.duration} onChange={(e) => setForm({ ...form, duration: e.target.value })}>
            {MUTE_DURATIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
          {form.duration === 'until' && (
            <input id={FIELD_IDS.until} type="datetime-local" aria-label="Mute until" value={form.until} onChange={(e) => setForm({ ...form, until: e.target.value })} />
          )}
        </div>
        <div className="work-note alert-note">
          <label htmlFor={FIELD_IDS.reason}>Reason</label>
          <input id={FIELD_IDS.reason} type="text" value={form.reason} onChange={(e) => setForm({ ...form, reason: e.target.value })} placeholder="Planned ERP maintenance until 16:00" maxLength={1024} />
        </div>
        <div className="work-action-row alert-action-row">
          <button type="submit" className="action-button" disabled={actions.pending || !actions.permit.allowed} title={actions.permit.reason}>
            Mute
          </button>
        </div>
        <PermissionNote permit={actions.permit} />
        <ActionFeedback feedback={actions.feedback} testId="mute-feedback" />
      </form>
    </section>
  );
}
