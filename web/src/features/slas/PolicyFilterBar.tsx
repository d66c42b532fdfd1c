import { useId } from 'react';
import type { PolicyFilters } from './shapeSlas';

type Props = {
  filters: PolicyFilters;
  options: { owners: string[]; flows: string[]; severities: string[] };
  onChange: (updates: Partial<Record<'owner' | 'flow' | 'severity' | 'breaching', string>>) => void;
};

/** Owner, flow, severity and "only breaching", bound to the URL (`owner`, `flow`, `severity`, `breaching`). */
export function PolicyFilterBar({ filters, options, onChange }: Props) {
  const id = useId();
  const active = filters.owner !== '' || filters.flow !== '' || filters.severity !== '' || filters.breachingOnly;
  const select = (name: 'owner' | 'flow' | 'severity', label: string, values: string[], all: string) => (
    <div className="report-filter">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select id={`${id}-${name}`} value={filters[name]} onChange={(e) => onChange({ [name]: e.target.value })} data-testid={`sla-filter-${name}`}>
        <option value="">{all}</option>
        {/* A value from a pasted link that no policy has any more still shows, so the filter can be seen and cleared. */}
        {[...values, ...(filters[name] !== '' && !values.includes(filters[name]) ? [filters[name]] : [])].map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form className="report-filters" aria-label="Filter policies" onSubmit={(e) => e.preventDefault()}>
      {select('owner', 'Owner', options.owners, 'All owners')}
      {select('flow', 'Flow', options.flows, 'All flows')}
      {select('severity', 'Severity', options.severities, 'All severities')}
      <div className="report-filter sla-filter-check">
        <input id={`${id}-breaching`} type="checkbox" checked={filters.breachingOnly} onChange={(e) => onChange({ breaching: e.target.checked ? '1' : '' })} data-testid="sla-filter-breaching" />
        <label htmlFor={`${id}-breaching`}>Only breaching</label>
      </div>
      <div className="report-filter">
        <button type="button" className="report-button" disabled={!active} onClick={() => onChange({ owner: '', flow: '', severity: '', breaching: '' })}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
