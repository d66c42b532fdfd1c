import type { ExceptionList } from '../../api/contracts';
import { DEFAULT_STATES, FILTER_PARAMS, type FilterParam, type InboxFilters as Filters } from './inboxQuery';
import { filterOptions } from './shapeInbox';

const LABELS: Readonly<Record<FilterParam, string>> = {
  owner: 'Owner',
  flow: 'Flow',
  system: 'System',
  bucket: 'Age',
  error: 'Error',
  class: 'Class',
  state: 'State',
  kind: 'Kind',
};

type Props = {
  filters: Filters;
  /** Counts per value from the latest answer (undefined while the first one loads). */
  facets: ExceptionList['facets'] | undefined;
  active: boolean;
  onChange: (param: FilterParam, value: string) => void;
  onClear: () => void;
};

/** One dropdown per filter, each value with how many it would show; bound to the URL by the inbox. */
export function InboxFilters({ filters, facets, active, onChange, onClear }: Props) {
  return (
    <form className="work-filters exc-filters" aria-label="Filter exceptions" onSubmit={(e) => e.preventDefault()}>
      {FILTER_PARAMS.map((param) => {
        const current = param === 'state' && filters.state === DEFAULT_STATES ? '' : filters[param];
        return (
          <div key={param} className="work-field">
            <label htmlFor={`exc-filter-${param}`}>{LABELS[param]}</label>
            <select id={`exc-filter-${param}`} name={param} value={current} onChange={(e) => onChange(param, e.target.value)} data-active={current !== '' || undefined}>
              {filterOptions(param, facets, filters[param]).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      <div className="work-field exc-filter-clear">
        <button type="button" className="action-button" onClick={onClear} disabled={!active}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
