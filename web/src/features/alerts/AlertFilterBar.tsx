import type { AlertItem, AlertList } from '../../api/contracts';
import { formatCount } from '../../format/number';
import { FILTER_PARAMS, STATE_CHOICES, choiceCount, type AlertFilterParam, type AlertFilters, type StateChoice } from './alertQuery';
import { hrefWith, followInPlace } from './links';
import { filterOptions } from './shapeAlerts';

const LABELS: Readonly<Record<AlertFilterParam, string>> = { owner: 'Owner', severity: 'Severity', rule: 'Rule' };

/** The tabs (one link each, with how many alerts it holds) and the filters of the tab, all kept in the link. */
export function AlertFilterBar({
  choice,
  counts,
  alerts,
  filters,
  active,
  onFilter,
  onClear,
}: {
  choice: StateChoice;
  counts: AlertList['counts'] | undefined;
  alerts: readonly AlertItem[];
  filters: AlertFilters;
  active: boolean;
  onFilter: (param: AlertFilterParam, value: string) => void;
  onClear: () => void;
}) {
  return (
    <div className="alert-filterbar">
      <nav className="alert-tabs" aria-label="Alerts by state">
        <ul>
          {STATE_CHOICES.map((c) => {
            const updates = { state: c.value, page: '', alert: '' };
            return (
              <li key={c.value || 'open'}>
                <a href={hrefWith(updates)} onClick={followInPlace(updates)} aria-current={c.value === choice.value ? 'page' : undefined} data-testid={`alert-tab-${c.value || 'open'}`}>
                  {c.label}
                  <span className="alert-tab-count">{counts === undefined ? '' : formatCount(choiceCount(c, counts))}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <form className="work-filters" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        {FILTER_PARAMS.map((param) => (
          <div key={param} className="work-field">
            <label htmlFor={`alert-filter-${param}`}>{LABELS[param]}</label>
            <select id={`alert-filter-${param}`} value={filters[param]} onChange={(e) => onFilter(param, e.target.value)} data-active={filters[param] !== '' || undefined}>
              {filterOptions(param, alerts, filters[param]).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="work-field alert-filter-clear">
          <button type="button" className="action-button" onClick={onClear} disabled={!active}>
            Clear filters
          </button>
        </div>
      </form>
    </div>
  );
}
