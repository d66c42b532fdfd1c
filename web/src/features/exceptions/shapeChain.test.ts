import { describe, expect, it } from 'vitest';
import type { LineageResponse, LineageStep } from '../../api/contracts';
import { shapeChain } from './shapeChain';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
const at = (s: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, s)).toISOString();
const step = (id: string, system: string, first: number, over: Partial<LineageStep> = {}): LineageStep => ({
  id,
  step: id,
  channel: null,
  system,
  status: 'ok',
  first_at: at(first),
  ok_at: at(first),
  last_at: at(first),
  occurrences: 1,
  attempts: { retrying: 0, failed: 0, dead_lettered: 0 },
  replays: 0,
  amount: null,
  currency: null,
  events: [],
  ...over,
});
const node = (correlation: string, flow: string, lanes: LineageResponse['graph']['nodes'][number]['lanes'], state: 'failed' | 'complete' | 'in_progress' = 'failed') => ({
  correlation_id: correlation,
  flow,
  depth: 0,
  first_at: at(0),
  last_at: at(30),
  state,
  variant: null,
  lanes,
  hops: [],
});
const lineage: LineageResponse = {
  key: 'rtr-re_1',
  depth: 2,
  at: at(60),
  correlations: [],
  events: [],
  truncated: false,
  latest_only: false,
  graph: {
    nodes: [
      node('rtr-re_1', 'return_to_refund', [
        { system: 'stripe', steps: [step('payment.refund.created', 'stripe', 0)] },
        { system: 'middleware', steps: [step('erp.credit_memo.posted', 'middleware', 5, { status: 'dead_lettered', ok_at: null, last_at: at(20), attempts: { retrying: 2, failed: 0, dead_lettered: 1 } })] },
        { system: 'oms', steps: [step('oms.return.received', 'oms', 0)] },
      ]),
      node('otc-#1001', 'order_to_cash', [], 'complete'),
    ],
    edges: [],
  },
  missing: [
    // The failing step is missing too, but the chain already shows it, marked.
    { correlation_id: 'rtr-re_1', flow: 'return_to_refund', variant: null, step: 'erp.credit_memo.posted', channel: null, systems: ['erp'], expected: 1, seen: 0, last_status: 'dead_lettered', waiting_since: at(0), age_ms: 200_000, slas: [] },
    {
      correlation_id: 'rtr-re_1',
      flow: 'return_to_refund',
      variant: null,
      step: 'erp.journal.posted',
      channel: null,
      systems: ['erp'],
      expected: 1,
      seen: 0,
      last_status: null,
      waiting_since: at(0),
      age_ms: 200_000,
      slas: [{ policy: 'refund-ledger', name: 'Refund in the ledger', started_at: at(0), deadline_at: at(120), overdue: true, overdue_by_ms: 80_000 }],
    },
  ],
};

describe('the compact lineage', () => {
  it('lists the correlation’s steps in time order, marks the failing one, and says what is still missing', () => {
    const chain = shapeChain(lineage, 'rtr-re_1', 'erp.credit_memo.posted', utc);
    expect(chain.steps.map((s) => [s.step, s.statusLabel, s.time, s.attempts, s.isException])).toEqual([
      ['oms.return.received', 'OK', '10:00:00', null, false],
      ['payment.refund.created', 'OK', '10:00:00', null, false],
      ['erp.credit_memo.posted', 'Dead-lettered', '10:00:20', '3 attempts', true],
    ]);
    expect(chain.missing).toEqual([{ step: 'erp.journal.posted', systems: 'erp', overdue: '1 min 20 s past Refund in the ledger' }]);
    expect(chain.linked).toEqual([{ correlationId: 'otc-#1001', flow: 'order_to_cash', state: 'complete' }]);
    expect(chain.headline).toBe('3 steps · 1 failing · 1 missing · 1 linked transaction');
  });

  it('says so when the correlation has no stored steps', () => {
    expect(shapeChain({ ...lineage, graph: { nodes: [], edges: [] }, missing: [] }, 'x', 'y', utc)).toMatchObject({ flow: null, steps: [], headline: '0 steps' });
  });
});
