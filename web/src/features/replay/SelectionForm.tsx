import { useState } from 'react';
import { formProblem, type SelectKind, type SelectionForm as Form } from './selection';

const KIND_LABELS: Readonly<Record<SelectKind, string>> = {
  event: 'One event',
  exception: 'An exception',
  filter: 'Every failed event matching a filter',
};

const FIELD_HINTS = {
  flow: 'order_to_cash',
  step: 'erp.invoice.posted',
  system: 'erp',
  error: 'HTTP_503',
} as const;

/**
 * What to replay: one event by id, the failed step of an exception, or a bulk filter (flow, step, system — sender
 * or target — and error code) over the screen's time range. "Dry run" puts it in the link and previews it.
 */
export function SelectionForm({ initial, rangeLabel, onSubmit }: { initial: Form; rangeLabel: string; onSubmit: (form: Form) => void }) {
  const [form, setForm] = useState<Form>(initial);
  const [problem, setProblem] = useState('');
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const p = formProblem(form);
    setProblem(p?.message ?? '');
    if (p !== undefined) {
      document.getElementById(`replay-${p.field}`)?.focus();
      return;
    }
    onSubmit(form);
  };

  return (
    <form className="replay-select" onSubmit={submit} aria-label="What to replay" data-testid="replay-selection-form">
      <fieldset className="replay-kinds">
        <legend>Replay</legend>
        {(Object.keys(KIND_LABELS) as SelectKind[]).map((kind) => (
          <label key={kind} className="replay-radio">
            <input type="radio" name="replay-kind" value={kind} checked={form.kind === kind} onChange={() => set({ kind })} />
            {KIND_LABELS[kind]}
          </label>
        ))}
      </fieldset>
      <div className="work-filters">
        {form.kind === 'event' && (
          <div className="work-field replay-field-wide">
            <label htmlFor="replay-event">Event id</label>
            <input id="replay-event" type="text" value={form.event} onChange={(e) => set({ event: e.target.value })} placeholder="evt-…" maxLength={128} spellCheck={false} />
          </div>
        )}
        {form.kind === 'exception' && (
          <div className="work-field replay-field-wide">
            <label htmlFor="replay-exception">Exception id</label>
            <input id="replay-exception" type="text" value={form.exception} onChange={(e) => set({ exception: e.target.value })} placeholder="16 hex characters" maxLength={16} spellCheck={false} />
          </div>
        )}
        {form.kind === 'filter' &&
          (['flow', 'step', 'system', 'error'] as const).map((field) => (
            <div key={field} className="work-field">
              <label htmlFor={`replay-${field}`}>{field === 'error' ? 'Error code' : field.charAt(0).toUpperCase() + field.slice(1)}</label>
              <input id={`replay-${field}`} type="text" value={form[field]} onChange={(e) => set({ [field]: e.target.value })} placeholder={`any, e.g. ${FIELD_HINTS[field]}`} maxLength={256} spellCheck={false} />
            </div>
          ))}
        <div className="work-field replay-field-submit">
          <button type="submit" className="action-button action-button-primary">
            Dry run
          </button>
        </div>
      </div>
      <p className="field-hint">
        {form.kind === 'filter'
          ? `Failed and dead-lettered events of the ${rangeLabel.toLowerCase()} (the time range above), one per exception; empty fields match anything. A dry run sends nothing.`
          : 'Only failed or dead-lettered events can be replayed, to the replay target they name. A dry run sends nothing.'}
      </p>
      {problem !== '' && (
        <p className="field-hint field-hint-warning" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
