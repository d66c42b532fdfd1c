import { useState } from 'react';
import { AUDIT_RESULT_NAMES, ROUTE_RULES } from '../../api/contracts';
import { auditActionGroups, type AuditFilters, type AuditResult } from './auditQuery';

type Props = {
  filters: AuditFilters;
  /** Actors in the rows loaded so far, offered as the actor field types. */
  actors: readonly string[];
  active: boolean;
  onApply: (next: AuditFilters) => void;
  onClear: () => void;
};

const RESULT_LABELS: Readonly<Record<AuditResult, string>> = { ok: 'OK', denied: 'Denied', failed: 'Failed' };

/**
 * The trail's filters: actor and target (exact, applied with Enter or Apply), action (the policy's names) and
 * result (any of ok, denied, failed), applied as picked. The parent keys this on the link, so Back shows the
 * filters it returns to.
 */
export function AuditFilterBar({ filters, actors, active, onApply, onClear }: Props) {
  const [actor, setActor] = useState(filters.actor);
  const [target, setTarget] = useState(filters.target);
  const typed = { ...filters, actor, target };
  const toggle = (result: AuditResult, on: boolean) =>
    onApply({ ...typed, results: on ? [...filters.results, result] : filters.results.filter((r) => r !== result) });

  return (
    <form
      className="audit-filters"
      aria-label="Filter the audit trail"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(typed);
      }}
    >
      <div className="work-field">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" type="text" list="audit-actors" value={actor} onChange={(e) => setActor(e.target.value)} placeholder="Any (exact name)" maxLength={128} />
        <datalist id="audit-actors">
          {actors.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      <div className="work-field">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" value={filters.action} data-active={filters.action === '' ? undefined : ''} onChange={(e) => onApply({ ...typed, action: e.target.value })}>
          <option value="">Every action</option>
          {auditActionGroups(ROUTE_RULES, filters.action).map((g) => (
            <optgroup key={g.group} label={g.group}>
              {g.actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="work-field">
        <label htmlFor="audit-target">Target</label>
        <input id="audit-target" type="text" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="Any (alert, exception or job id)" maxLength={512} />
      </div>
      <div className="work-field" role="group" aria-labelledby="audit-result-label">
        <span id="audit-result-label" className="audit-filter-label">
          Result
        </span>
        <div className="audit-results">
          {AUDIT_RESULT_NAMES.map((r) => (
            <label key={r} className="audit-result-choice">
              <input type="checkbox" checked={filters.results.includes(r)} onChange={(e) => toggle(r, e.target.checked)} />
              {RESULT_LABELS[r]}
            </label>
          ))}
        </div>
      </div>
      <div className="audit-filter-actions">
        <button type="submit" className="action-button">
          Apply
        </button>
        {active && (
          <button type="button" className="link-button" onClick={onClear}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
