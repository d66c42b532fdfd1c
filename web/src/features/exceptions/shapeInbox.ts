import { AGE_BUCKETS, ERROR_CLASSES, EXCEPTION_KINDS, type ExceptionItem, type ExceptionList, type FacetValue } from '../../api/contracts';
import { formatDuration } from '../../format/duration';
import { formatCount } from '../../format/number';
import { DEFAULT_STATES, FACET_OF, type FilterParam, type InboxFilters } from './inboxQuery';

/** What each kind and state is called on screen. */
export const KIND_LABELS: Readonly<Record<ExceptionItem['kind'], string>> = {
  failed_step: 'Failed step',
  missing_step: 'Missing step',
  mismatch: 'Settlement mismatch',
};
export const STATE_LABELS: Readonly<Record<ExceptionItem['state'], string>> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  recovered: 'Recovered',
};

/** One row of the inbox table, ready to render. */
export type InboxRow = {
  id: string;
  kind: ExceptionItem['kind'];
  kindLabel: string;
  flow: string;
  step: string;
  correlationId: string;
  /** "middleware → erp", or the one system. */
  route: string;
  errorCode: string;
  /** "business", "technical", or '' (a missing step has none). */
  errorClass: string;
  errorMessage: string;
  /** "refund_id re_1 · order_id #1001". */
  keys: string;
  owner: string;
  assignee: string;
  age: string;
  bucketLabel: string;
  state: ExceptionItem['state'];
  stateLabel: string;
};

export function inboxRow(e: ExceptionItem): InboxRow {
  return {
    id: e.id,
    kind: e.kind,
    kindLabel: KIND_LABELS[e.kind],
    flow: e.flow,
    step: e.step,
    correlationId: e.correlation_id,
    route: e.target_system === null || e.target_system === e.system ? e.system || '–' : `${e.system || '?'} → ${e.target_system}`,
    errorCode: e.error.code ?? (e.kind === 'missing_step' ? 'not reached in time' : '–'),
    errorClass: e.error.class ?? '',
    errorMessage: e.error.message ?? '',
    keys: keysText(e.keys),
    owner: e.owner.name,
    assignee: e.assignee ?? '',
    age: formatDuration(e.age_ms),
    bucketLabel: bucketLabel(e.age_bucket),
    state: e.state,
    stateLabel: STATE_LABELS[e.state],
  };
}

/** Business keys in name order, the correlation id left out (it has its own line). */
export function keysText(keys: Readonly<Record<string, string>>): string {
  return Object.entries(keys)
    .filter(([name]) => name !== 'correlation_id')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name} ${value}`)
    .join(' · ');
}

export function bucketLabel(id: string): string {
  return AGE_BUCKETS.find((b) => b.id === id)?.label ?? id;
}

/** "1–50 of 132", "3 of 3", "none". */
export function pageSummary(list: Pick<ExceptionList, 'total' | 'offset' | 'exceptions'>): string {
  if (list.total === 0) return 'none';
  const first = list.offset + 1;
  const last = list.offset + list.exceptions.length;
  if (first === 1 && last === list.total) return `${formatCount(list.total)} of ${formatCount(list.total)}`;
  return `${formatCount(first)}–${formatCount(last)} of ${formatCount(list.total)}`;
}

export type FilterOption = { value: string; label: string };

/** The states offered: the default (what still needs someone), each state alone, everything. */
const STATE_CHOICES: readonly { value: string; label: string; states: readonly string[] }[] = [
  { value: '', label: 'Open and acknowledged', states: ['open', 'acknowledged'] },
  { value: 'open', label: 'Open', states: ['open'] },
  { value: 'acknowledged', label: 'Acknowledged', states: ['acknowledged'] },
  { value: 'resolved', label: 'Resolved', states: ['resolved'] },
  { value: 'recovered', label: 'Recovered (a later success)', states: ['recovered'] },
  { value: 'open,acknowledged,resolved,recovered', label: 'All states', states: ['open', 'acknowledged', 'resolved', 'recovered'] },
];

const ANY_LABEL: Readonly<Record<FilterParam, string>> = {
  owner: 'Every owner',
  flow: 'Every flow',
  system: 'Every system',
  bucket: 'Any age',
  error: 'Any error',
  class: 'Any class',
  state: 'Open and acknowledged',
  kind: 'Every kind',
};

/**
 * The options of one filter's dropdown with how many exceptions each would show ("Finance operations (12)"). The
 * value in the URL is always offered, even when nothing matches it now, so the control shows what is applied.
 */
export function filterOptions(param: FilterParam, facets: ExceptionList['facets'] | undefined, current: string): FilterOption[] {
  const values: readonly FacetValue[] = facets?.[FACET_OF[param]] ?? [];
  const counted = (label: string, count: number | undefined) => (count === undefined ? label : `${label} (${formatCount(count)})`);
  if (param === 'state') {
    const countOf = (states: readonly string[]) => (facets === undefined ? undefined : states.reduce((sum, s) => sum + (values.find((v) => v.value === s)?.count ?? 0), 0));
    const choices = STATE_CHOICES.map((c) => ({ value: c.value, label: counted(c.label, countOf(c.states)) }));
    const applied = current === DEFAULT_STATES ? '' : current;
    return choices.some((c) => c.value === applied) ? choices : [...choices, { value: current, label: current.split(',').join(', ') }];
  }
  // A fixed vocabulary (ages, kinds, classes) is offered whole, at zero too: the dropdown reads the same every time.
  const fixed = FIXED_VALUES[param];
  const listed = fixed === undefined ? values : fixed.map((value) => values.find((v) => v.value === value) ?? { value, label: value, count: 0 });
  const options = [{ value: '', label: ANY_LABEL[param] }, ...listed.map((v) => ({ value: v.value, label: counted(valueLabel(param, v), facets === undefined ? undefined : v.count) }))];
  if (current !== '' && !listed.some((v) => v.value === current)) options.push({ value: current, label: counted(valueLabel(param, { value: current, label: current, count: 0 }), 0) });
  return options;
}

const FIXED_VALUES: Partial<Record<FilterParam, readonly string[]>> = {
  bucket: AGE_BUCKETS.map((b) => b.id),
  kind: EXCEPTION_KINDS,
  class: ERROR_CLASSES,
};

function valueLabel(param: FilterParam, v: FacetValue): string {
  if (param === 'kind') return KIND_LABELS[v.value as ExceptionItem['kind']] ?? v.value;
  if (param === 'bucket') return bucketLabel(v.value);
  return v.label;
}

/** What an empty inbox says: nothing matches the filters (clear them), or truly nothing is open. */
export function emptyMessage(filters: InboxFilters, active: boolean): { title: string; detail: string; canClear: boolean } {
  if (active) {
    const onlyOpen = filters.state === '' || filters.state === DEFAULT_STATES;
    return { title: onlyOpen ? 'No open exceptions match these filters' : 'No exceptions match these filters', detail: 'Clear the filters to see every open exception.', canClear: true };
  }
  return {
    title: 'Nothing open',
    detail: 'Failed or dead-lettered steps with no later success, steps missing past an SLA deadline and settlements that do not reconcile show up here with their owner.',
    canClear: false,
  };
}
