import { describe, expect, it } from 'vitest';
import { ageBucket, agingSummary, exceptionId, workflowHistory, workflowState, type ActionRecord } from './exceptions.js';

const act = (action: string, at: number, extra: Partial<ActionRecord> = {}): ActionRecord => ({ action, at, actor: 'ana', assignee: '', note: '', ...extra });

describe('exceptions', () => {
  it('puts an age in its bucket', () => {
    expect([0, 14 * 60_000, 15 * 60_000, 3_599_999, 3_600_000, 5 * 3_600_000, 30 * 3_600_000].map(ageBucket)).toEqual(['under_15m', 'under_15m', '15m_1h', '15m_1h', '1h_4h', '4h_24h', 'over_24h']);
  });

  it('gives one correlation step one stable id', () => {
    expect(exceptionId('inventory_sync', 'pos-store-001-R1-1', 'erp.inventory.posted')).toMatch(/^[0-9a-f]{16}$/);
    expect(exceptionId('a', 'b', 'c')).toBe(exceptionId('a', 'b', 'c'));
    expect(exceptionId('a', 'b|c', 'd')).not.toBe(exceptionId('a', 'b', 'c|d'));
  });

  it('derives the workflow from the append-only actions', () => {
    const failure = { last_failed_at: 100, recovered_at: 0 };
    expect(workflowState([], failure)).toEqual({ state: 'open', assignee: null, acknowledged: null, resolved: null, comments: [] });
    const actions = [act('comment', 130, { note: 'ERP team paged' }), act('assign', 110, { assignee: 'bo' }), act('acknowledge', 120)];
    expect(workflowState(actions, failure)).toEqual({
      state: 'acknowledged',
      assignee: 'bo',
      acknowledged: { by: 'ana', at: 120 },
      resolved: null,
      comments: [{ by: 'ana', at: 130, note: 'ERP team paged' }],
    });
    expect(workflowState([...actions, act('resolve', 140, { note: 'posted by hand' })], failure).state).toBe('resolved');
    expect(workflowState([...actions, act('resolve', 140), act('reopen', 150)], failure).state).toBe('acknowledged');
  });

  it('reopens by itself when it fails again after a resolve, and recovers by itself on a later success', () => {
    expect(workflowState([act('resolve', 140)], { last_failed_at: 200, recovered_at: 0 }).state).toBe('open');
    expect(workflowState([act('acknowledge', 140)], { last_failed_at: 200, recovered_at: 0 }).state).toBe('open');
    expect(workflowState([], { last_failed_at: 200, recovered_at: 250 }).state).toBe('recovered');
  });

  it('keeps the whole history in the order it happened, with who, to whom and why', () => {
    const history = workflowHistory([act('resolve', 140, { actor: 'bo', note: 'posted by hand' }), act('assign', 110, { assignee: 'bo' }), act('acknowledge', 120, { actor: 'bo' })]);
    expect(history).toEqual([
      { action: 'assign', actor: 'ana', at: 110, assignee: 'bo', note: null },
      { action: 'acknowledge', actor: 'bo', at: 120, assignee: null, note: null },
      { action: 'resolve', actor: 'bo', at: 140, assignee: null, note: 'posted by hand' },
    ]);
  });

  it('summarises aging by owner, flow and system', () => {
    const summary = agingSummary([
      { owner: 'finance', flow: 'return_to_refund', system: 'erp', age_bucket: 'under_15m' },
      { owner: 'finance', flow: 'return_to_refund', system: 'erp', age_bucket: 'over_24h' },
      { owner: 'integration-support', flow: 'inventory_sync', system: 'middleware', age_bucket: 'under_15m' },
    ]);
    expect(summary.total).toBe(3);
    expect(summary.by_bucket).toEqual({ under_15m: 2, '15m_1h': 0, '1h_4h': 0, '4h_24h': 0, over_24h: 1 });
    expect(summary.by_owner.finance).toMatchObject({ under_15m: 1, over_24h: 1 });
    expect(summary.by_system.middleware).toMatchObject({ under_15m: 1 });
  });
});
