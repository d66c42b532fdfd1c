import { describe, expect, it } from 'vitest';
import { GRAPH_METRICS as M, graphColumns, layoutGraph, stepStatus } from './layoutGraph';
import { AT, orderNode, refundMissing, refundNode, step } from './lineageFixtures';

const options = { locale: 'en-GB', timeZone: 'UTC' };
const at = Date.parse(AT);

describe('graphColumns', () => {
  it('puts systems in the order they first acted across the chain, then systems only expected', () => {
    expect(graphColumns([refundNode, orderNode], refundMissing)).toEqual(['shopify', 'erp', 'oms', 'wms', 'stripe']);
    expect(graphColumns([refundNode], refundMissing)).toEqual(['oms', 'wms', 'stripe', 'erp']);
  });
});

describe('layoutGraph', () => {
  const columns = ['oms', 'wms', 'stripe', 'erp'];
  const layout = layoutGraph({ node: refundNode, missing: refundMissing, columns, at, options });

  it('draws each step in its system column, one row per step in time order, then the missing steps', () => {
    const where = layout.nodes.map((n) => [n.lines[0], columns[(n.x - M.gutter - (M.column - M.nodeWidth) / 2) / M.column], n.y]);
    const row = M.nodeHeight + M.gap;
    const top = M.header + 8;

    expect(where).toEqual([
      ['oms.return.received', 'oms', top],
      ['wms.return.inspected', 'wms', top + row],
      ['payment.refund.created', 'stripe', top + 2 * row],
      ['erp.credit_memo.posted', 'erp', top + 3 * row],
      ['erp.journal.posted', 'erp', top + 4 * row],
    ]);
    expect(layout.height).toBe(top + 5 * row - M.gap + 8);
    expect(layout.width).toBe(M.gutter + 4 * M.column);
  });

  it('says on each box what happened and what it was worth', () => {
    expect(layout.nodes[2]).toMatchObject({
      kind: 'step',
      tone: 'ok',
      lines: ['payment.refund.created', 'OK', '€19.95'],
      description: 'payment.refund.created by stripe, OK, €19.95',
    });
  });

  it('draws a missing step with its age and the SLA it breaches, marked overdue', () => {
    expect(layout.nodes[4]).toMatchObject({
      kind: 'missing',
      stepId: null,
      tone: 'overdue',
      lines: ['erp.journal.posted', 'Missing · 9 min 45 s', 'SLA 7 min 45 s overdue'],
      description: 'erp.journal.posted expected from erp, missing, waiting 9 min 45 s, Refunds in the ledger within 2 min: 7 min 45 s overdue',
    });
    expect(layout.nodes[3]).toMatchObject({ tone: 'missing', lines: ['erp.credit_memo.posted', 'Missing · 9 min 45 s', ''] });
  });

  it('labels each hop with its duration and amount, and the way to the missing steps with how long it has waited', () => {
    expect(layout.edges.map((e) => [e.id, e.kind, e.label?.lines])).toEqual([
      ['hop:oms.return.received>wms.return.inspected', 'hop', ['12 s']],
      ['hop:wms.return.inspected>payment.refund.created', 'hop', ['3 s', '€19.95']],
      ['payment.refund.created>missing:erp.credit_memo.posted', 'missing', ['waiting 9 min 45 s']],
      ['missing:erp.credit_memo.posted>missing:erp.journal.posted', 'missing', undefined],
    ]);
  });

  it('runs an edge straight down within a column and curves it across columns', () => {
    const down = layout.edges[3]!;
    const across = layout.edges[0]!;
    expect(down.path).toMatch(/^M (\d+(\.\d+)?) \d+ L \1 \d+$/);
    expect(across.path).toContain(' C ');
  });

  it('gives each row its offset from the first step, the missing ones marked', () => {
    expect(layout.rows.map((r) => r.label)).toEqual(['+0 ms', '+12 s', '+15 s', 'missing', 'missing']);
    expect(layout.rows[1]?.title).toBe('27 Nov 2026, 14:00:12.000');
  });

  it('flags a hop whose amount changed and shows both amounts', () => {
    const order = layoutGraph({ node: orderNode, missing: [], columns: ['shopify', 'erp'], at, options });

    expect(order.edges[0]).toMatchObject({ changed: true, label: { lines: ['1 min 10 s', '€59.00 ≠ €59.90'] } });
  });

  it('cuts a step name too long for its box, keeping the whole name for screen readers', () => {
    const long = step({ id: 'marketplace.settlement.reported.with.adjustments', system: 'amazon', first_at: AT });
    const node = { ...refundNode, lanes: [{ system: 'amazon', steps: [long] }], hops: [] };
    const [box] = layoutGraph({ node, missing: [], columns: ['amazon'], at, options }).nodes;

    expect(box?.lines[0]).toMatch(/^marketplace\.settlement.*…$/);
    expect(box!.lines[0].length * M.monoCharWidth).toBeLessThanOrEqual(M.nodeWidth - 2 * M.padding);
    expect(box?.description).toContain('marketplace.settlement.reported.with.adjustments');
  });
});

describe('stepStatus', () => {
  it('says how a step went: attempts, lines and replays', () => {
    const [, invoice] = orderNode.lanes.flatMap((l) => l.steps);
    expect(stepStatus(invoice!)).toBe('OK after 2 attempts · 1 replay');
    expect(stepStatus(step({ id: 'erp.journal.posted', system: 'erp', first_at: AT, occurrences: 2 }))).toBe('OK · ×2');
    const dead = step({
      id: 'erp.invoice.posted',
      system: 'middleware',
      first_at: AT,
      ok_at: null,
      status: 'dead_lettered',
      attempts: { retrying: 3, failed: 0, dead_lettered: 1 },
      events: [1, 2, 3, 4].map((n) => ({ event_id: `e${n}`, status: n === 4 ? ('dead_lettered' as const) : ('retrying' as const), occurred_at: AT, trace_id: null, span_id: null, replay_of: null })),
    });
    expect(stepStatus(dead)).toBe('Dead-lettered · 4 attempts');
  });
});
