import { describe, expect, it } from 'vitest';
import { exceptionFacets, matchesFilter, sortExceptions, type FilterableException } from './exceptionFilter.js';

const finance = { id: 'finance', name: 'Finance operations' };
const support = { id: 'integration-support', name: 'Integration support' };

const exception = (id: string, over: Partial<FilterableException> = {}): FilterableException & { id: string } => ({
  id,
  state: 'open',
  kind: 'failed_step',
  owner: finance,
  flow: 'return_to_refund',
  system: 'middleware',
  age_bucket: 'under_15m',
  error: { code: 'GL_ACCOUNT_LOCKED', class: 'business' },
  first_failed_at: 1_000,
  ...over,
});

const items = [
  exception('a'),
  exception('b', { owner: support, error: { code: 'HTTP_503', class: 'technical' }, age_bucket: '1h_4h', first_failed_at: 500 }),
  exception('c', { owner: support, flow: 'inventory_sync', error: { code: 'HTTP_503', class: 'technical' }, first_failed_at: 2_000 }),
  exception('d', { state: 'resolved', first_failed_at: 1_500 }),
  exception('e', { kind: 'missing_step', error: { code: 'SLA_DEADLINE_MISSED', class: null }, system: 'erp', first_failed_at: 3_000 }),
];
const openOnly = { states: ['open', 'acknowledged'] };

describe('exception filters', () => {
  it('matches every condition at once, and an absolute range on when it first failed', () => {
    const ids = (f: Parameters<typeof matchesFilter>[1]) => items.filter((e) => matchesFilter(e, f)).map((e) => (e as { id: string }).id);
    expect(ids(openOnly)).toEqual(['a', 'b', 'c', 'e']);
    expect(ids({ ...openOnly, owner: 'integration-support', flow: 'inventory_sync' })).toEqual(['c']);
    expect(ids({ ...openOnly, errorClass: 'technical', bucket: '1h_4h' })).toEqual(['b']);
    expect(ids({ ...openOnly, kinds: ['missing_step'] })).toEqual(['e']);
    expect(ids({ states: ['resolved'], errorCode: 'GL_ACCOUNT_LOCKED' })).toEqual(['d']);
    expect(ids({ ...openOnly, failedFrom: 1_000, failedTo: 3_000 })).toEqual(['a', 'c']);
  });

  it('counts each value of a filter under every other filter, so a dropdown says what choosing it would show', () => {
    const facets = exceptionFacets(items, { ...openOnly, owner: 'integration-support' });
    // Owners are counted as if no owner were chosen (finance has a and e open), with their names.
    expect(facets.owner).toEqual([
      { value: 'finance', label: 'Finance operations', count: 2 },
      { value: 'integration-support', label: 'Integration support', count: 2 },
    ]);
    // Everything else counts only integration support's.
    expect(facets.flow).toEqual([
      { value: 'inventory_sync', label: 'inventory_sync', count: 1 },
      { value: 'return_to_refund', label: 'return_to_refund', count: 1 },
    ]);
    expect(facets.error_code).toEqual([{ value: 'HTTP_503', label: 'HTTP_503', count: 2 }]);
    // States count the resolved one too, in the workflow's order; buckets in age order, with their labels.
    expect(facets.state).toEqual([{ value: 'open', label: 'open', count: 2 }]);
    expect(exceptionFacets(items, openOnly).state).toEqual([
      { value: 'open', label: 'open', count: 4 },
      { value: 'resolved', label: 'resolved', count: 1 },
    ]);
    expect(exceptionFacets(items, openOnly).bucket.map((b) => b.label)).toEqual(['< 15 min', '1 – 4 h']);
  });

  it('leaves out values an exception does not have (a missing step has no error class)', () => {
    const facets = exceptionFacets(items, { ...openOnly, kinds: ['missing_step'] });
    expect(facets.error_class).toEqual([]);
    expect(facets.kind).toEqual([
      { value: 'failed_step', label: 'failed_step', count: 3 },
      { value: 'missing_step', label: 'missing_step', count: 1 },
    ]);
  });

  it('sorts oldest or newest first, ties by id', () => {
    const tied = [...items, exception('0', { first_failed_at: 1_000 })];
    expect(sortExceptions(tied, 'oldest').map((e) => e.id)).toEqual(['b', '0', 'a', 'd', 'c', 'e']);
    expect(sortExceptions(tied, 'newest').map((e) => e.id)).toEqual(['e', 'c', 'd', '0', 'a', 'b']);
  });
});
