import { EXCEPTION_FACETS, EXCEPTION_KINDS, EXCEPTION_STATES, type ExceptionFacet, type ExceptionSort, type FacetValue } from '../contracts/exceptionApi.js';
import { AGE_BUCKETS } from './ageBuckets.js';

/**
 * Filtering, counting and ordering the exceptions of one answer (the inbox's filters and the counts its
 * dropdowns show). Pure: the exceptions are already in memory, shared by every caller (sharedResult), so these
 * run per request over plain values.
 */

/** What a filter looks at in an exception (the shape of `ExceptionItem`, kept structural so this stays pure). */
export type FilterableException = {
  state: string;
  kind: string;
  owner: { id: string; name: string };
  flow: string;
  system: string;
  age_bucket: string;
  error: { code: string | null; class: string | null };
  first_failed_at: number;
};

/** Every condition is optional except the states; a list matches any of its values. */
export type ExceptionFilter = {
  states: readonly string[];
  kinds?: readonly string[];
  owner?: string;
  flow?: string;
  system?: string;
  bucket?: string;
  errorCode?: string;
  errorClass?: string;
  /** First failed in [failedFrom, failedTo): an absolute time range. */
  failedFrom?: number;
  failedTo?: number;
};

/** The filters a dropdown offers (contracts/exceptionApi.ts); each counts its values. */
const FACETS = EXCEPTION_FACETS;
type Facet = ExceptionFacet;

/** The value an exception has for a facet ('' when it has none, e.g. a missing step has no error class). */
function valueOf(e: FilterableException, facet: Facet): string {
  switch (facet) {
    case 'state':
      return e.state;
    case 'kind':
      return e.kind;
    case 'owner':
      return e.owner.id;
    case 'flow':
      return e.flow;
    case 'system':
      return e.system;
    case 'bucket':
      return e.age_bucket;
    case 'error_code':
      return e.error.code ?? '';
    case 'error_class':
      return e.error.class ?? '';
  }
}

/** Whether an exception passes the filter's condition on one facet (true when the filter has none there). */
function passes(e: FilterableException, f: ExceptionFilter, facet: Facet): boolean {
  const value = valueOf(e, facet);
  switch (facet) {
    case 'state':
      return f.states.includes(value);
    case 'kind':
      return f.kinds === undefined || f.kinds.includes(value);
    case 'owner':
      return f.owner === undefined || value === f.owner;
    case 'flow':
      return f.flow === undefined || value === f.flow;
    case 'system':
      return f.system === undefined || value === f.system;
    case 'bucket':
      return f.bucket === undefined || value === f.bucket;
    case 'error_code':
      return f.errorCode === undefined || value === f.errorCode;
    case 'error_class':
      return f.errorClass === undefined || value === f.errorClass;
  }
}

function inWindow(e: FilterableException, f: ExceptionFilter): boolean {
  return (f.failedFrom === undefined || e.first_failed_at >= f.failedFrom) && (f.failedTo === undefined || e.first_failed_at < f.failedTo);
}

export function matchesFilter(e: FilterableException, f: ExceptionFilter): boolean {
  return inWindow(e, f) && FACETS.every((facet) => passes(e, f, facet));
}

/**
 * How many exceptions each value of each facet would show, the way faceted search counts: a facet's counts
 * apply every other condition but its own, so choosing another owner shows how many that owner has under the
 * same flow, bucket, error… One pass: an exception failing no condition counts in every facet, one failing a
 * single condition counts only in that facet.
 */
export function exceptionFacets(items: readonly FilterableException[], f: ExceptionFilter): Record<Facet, FacetValue[]> {
  const counts = Object.fromEntries(FACETS.map((facet) => [facet, new Map<string, { label: string; count: number }>()])) as Record<Facet, Map<string, { label: string; count: number }>>;
  const count = (e: FilterableException, facet: Facet) => {
    const value = valueOf(e, facet);
    if (value === '') return;
    const entry = counts[facet].get(value) ?? { label: labelOf(e, facet, value), count: 0 };
    entry.count++;
    counts[facet].set(value, entry);
  };
  for (const e of items) {
    if (!inWindow(e, f)) continue;
    const failing = FACETS.filter((facet) => !passes(e, f, facet));
    if (failing.length === 0) for (const facet of FACETS) count(e, facet);
    else if (failing.length === 1) count(e, failing[0]!);
  }
  return Object.fromEntries(FACETS.map((facet) => [facet, ordered(facet, counts[facet])])) as Record<Facet, FacetValue[]>;
}

function labelOf(e: FilterableException, facet: Facet, value: string): string {
  if (facet === 'owner') return e.owner.name;
  if (facet === 'bucket') return AGE_BUCKETS.find((b) => b.id === value)?.label ?? value;
  return value;
}

/** Buckets and states in their natural order; everything else most first, then by name. */
const NATURAL_ORDER: Partial<Record<Facet, readonly string[]>> = {
  bucket: AGE_BUCKETS.map((b) => b.id),
  state: EXCEPTION_STATES,
  kind: EXCEPTION_KINDS,
};

function ordered(facet: Facet, values: Map<string, { label: string; count: number }>): FacetValue[] {
  const list = [...values].map(([value, { label, count }]) => ({ value, label, count }));
  const natural = NATURAL_ORDER[facet];
  if (natural !== undefined) return list.sort((a, b) => natural.indexOf(a.value) - natural.indexOf(b.value));
  return list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Oldest first (the longest waiting on top, the inbox's default) or newest first; ties in a stable order. */
export function sortExceptions<T extends FilterableException & { id: string }>(items: readonly T[], sort: ExceptionSort): T[] {
  const sign = sort === 'oldest' ? 1 : -1;
  return [...items].sort((a, b) => sign * (a.first_failed_at - b.first_failed_at) || a.id.localeCompare(b.id));
}
