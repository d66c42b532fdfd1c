import { describe, expect, it } from 'vitest';
import type { ExceptionItem, ExceptionList } from '../../api/contracts';
import { emptyMessage, filterOptions, inboxRow, keysText, pageSummary } from './shapeInbox';

const item = (over: Partial<ExceptionItem> = {}): ExceptionItem => ({
  id: '0123456789abcdef',
  kind: 'failed_step',
  flow: 'return_to_refund',
  correlation_id: 'rtr-re_1',
  step: 'erp.credit_memo.posted',
  state: 'open',
  owner: { id: 'finance', name: 'Finance operations' },
  age_ms: 5_400_000,
  age_bucket: '1h_4h',
  first_failed_at: 1_000,
  last_failed_at: 2_000,
  recovered_at: null,
  attempts: 3,
  last_status: 'dead_lettered',
  system: 'middleware',
  target_system: 'erp',
  channel: null,
  error: { code: 'GL_ACCOUNT_LOCKED', class: 'business', message: 'posting period closed' },
  replay_target: null,
  keys: { refund_id: 're_1', order_id: '#1001', correlation_id: 'rtr-re_1' },
  assignee: null,
  acknowledged: null,
  resolved: null,
  comments: [],
  ...over,
});
const none = { owner: '', flow: '', system: '', bucket: '', error: '', class: '', state: '', kind: '' };

describe('inbox rows', () => {
  it('shows what failed, where, why, for which keys, whose it is and how long it has waited', () => {
    expect(inboxRow(item())).toEqual({
      id: '0123456789abcdef',
      kind: 'failed_step',
      kindLabel: 'Failed step',
      flow: 'return_to_refund',
      step: 'erp.credit_memo.posted',
      correlationId: 'rtr-re_1',
      route: 'middleware → erp',
      errorCode: 'GL_ACCOUNT_LOCKED',
      errorClass: 'business',
      errorMessage: 'posting period closed',
      keys: 'order_id #1001 · refund_id re_1',
      owner: 'Finance operations',
      assignee: '',
      age: '1 h 30 min',
      bucketLabel: '1 – 4 h',
      state: 'open',
      stateLabel: 'Open',
    });
  });

  it('says a missing step was not reached in time, and names the one system when there is no target', () => {
    const row = inboxRow(item({ kind: 'missing_step', error: { code: null, class: null, message: null }, target_system: null, system: 'erp', assignee: 'bo', state: 'acknowledged' }));
    expect(row).toMatchObject({ kindLabel: 'Missing step', errorCode: 'not reached in time', errorClass: '', route: 'erp', assignee: 'bo', stateLabel: 'Acknowledged' });
    expect(keysText({})).toBe('');
  });

  it('summarises the page', () => {
    const list = (total: number, offset: number, n: number) => ({ total, offset, exceptions: Array.from({ length: n }, () => item()) });
    expect(pageSummary(list(132, 50, 50))).toBe('51–100 of 132');
    expect(pageSummary(list(3, 0, 3))).toBe('3 of 3');
    expect(pageSummary(list(0, 0, 0))).toBe('none');
  });
});

describe('filter dropdowns', () => {
  const facets: ExceptionList['facets'] = {
    owner: [{ value: 'finance', label: 'Finance operations', count: 12 }],
    state: [
      { value: 'open', label: 'open', count: 5 },
      { value: 'acknowledged', label: 'acknowledged', count: 2 },
      { value: 'resolved', label: 'resolved', count: 40 },
    ],
    kind: [{ value: 'missing_step', label: 'missing_step', count: 4 }],
    bucket: [{ value: 'over_24h', label: '> 24 h', count: 1 }],
    flow: [],
    system: [],
    error_code: [],
    error_class: [],
  };

  it('offers each value with what choosing it would show, and keeps the applied one even at zero', () => {
    expect(filterOptions('owner', facets, '')).toEqual([
      { value: '', label: 'Every owner' },
      { value: 'finance', label: 'Finance operations (12)' },
    ]);
    expect(filterOptions('owner', facets, 'store-ops').at(-1)).toEqual({ value: 'store-ops', label: 'store-ops (0)' });
    // Ages, kinds and classes are offered whole, so the dropdown reads the same however few match.
    expect(filterOptions('kind', facets, '').map((o) => o.label)).toEqual(['Every kind', 'Failed step (0)', 'Missing step (4)', 'Settlement mismatch (0)']);
    expect(filterOptions('bucket', facets, '').map((o) => o.label)).toEqual(['Any age', '< 15 min (0)', '15 min – 1 h (0)', '1 – 4 h (0)', '4 – 24 h (0)', '> 24 h (1)']);
    expect(filterOptions('flow', undefined, '')).toEqual([{ value: '', label: 'Every flow' }]);
  });

  it('offers the workflow states, the default being what still needs someone', () => {
    expect(filterOptions('state', facets, '').map((o) => o.label)).toEqual([
      'Open and acknowledged (7)',
      'Open (5)',
      'Acknowledged (2)',
      'Resolved (40)',
      'Recovered (a later success) (0)',
      'All states (47)',
    ]);
  });
});

describe('an empty inbox', () => {
  it('tells filters that match nothing from nothing being open', () => {
    expect(emptyMessage({ ...none, owner: 'finance' }, true)).toMatchObject({ title: 'No open exceptions match these filters', canClear: true });
    expect(emptyMessage({ ...none, state: 'resolved' }, true).title).toBe('No exceptions match these filters');
    expect(emptyMessage(none, false)).toMatchObject({ title: 'Nothing open', canClear: false });
  });
});
