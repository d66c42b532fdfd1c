import { describe, expect, it } from 'vitest';
import { storedEvent } from '../../../../test/support/storedEvent';
import { orderNode, refundAnswer, refundNode } from './lineageFixtures';
import { LARGE_CHAIN_EVENTS, decimalDifference, lineageRefreshMs, lineageSettled, shapeChain } from './shapeChain';

const options = { locale: 'en-GB', timeZone: 'UTC' };

describe('shapeChain', () => {
  it('lists the searched correlation first, then the linked ones by how far the search went and when they started', () => {
    const chain = shapeChain(refundAnswer(), options);

    expect(chain.correlations.map((c) => [c.id, c.flow, c.stateLabel, c.searched, c.open])).toEqual([
      ['rtr-re_1', 'return_to_refund', 'In progress', true, true],
      ['order-1', 'order_to_cash', 'Complete', false, true],
    ]);
    expect(chain.correlations[1]).toMatchObject({
      variant: 'Online store',
      linkedBy: [{ name: 'order_id', value: '#1001', isSearched: false }],
      firstAt: '27 Nov 2026, 13:50:00.000',
      span: '1 min 10 s',
      events: '3 events',
    });
  });

  it('says what is wrong with each correlation, in words', () => {
    const [refund, order] = shapeChain(refundAnswer(), options).correlations;

    expect(order?.problems).toEqual(['1 amount changed']);
    expect(order?.tone).toBe('bad');
    expect(refund?.problems).toEqual(['2 steps missing, 1 past its SLA']);
    expect(refund?.tone).toBe('bad');
  });

  it('keeps complete, unremarkable correlations closed so the chain stays short', () => {
    const quiet = { ...orderNode, hops: orderNode.hops.map((h) => ({ ...h, amount_changed: false })) };
    const chain = shapeChain(refundAnswer({ graph: { nodes: [refundNode, quiet], edges: [] } }), options);

    expect(chain.correlations.find((c) => c.id === 'order-1')).toMatchObject({ tone: 'ok', open: false, problems: [] });
  });

  it('gives each missing step its age and the SLA it breaches, in the order the flow expects them', () => {
    const { missing } = shapeChain(refundAnswer(), options);

    expect(missing.map((m) => [m.label, m.progress, m.age, m.overdue])).toEqual([
      ['erp.credit_memo.posted', 'never seen', '9 min 45 s', false],
      ['erp.journal.posted', 'none of 2 seen', '9 min 45 s', true],
    ]);
    expect(missing[1]).toMatchObject({
      systems: 'erp',
      waitingSince: '27 Nov 2026, 14:00:15.000',
      slas: [{ policy: 'refund-ledger', name: 'Refunds in the ledger within 2 min', overdue: true, verdict: '7 min 45 s overdue', deadline: '27 Nov 2026, 14:02:15.000' }],
    });
  });

  it('groups the missing steps by correlation, the searched one first, steps past their SLA first', () => {
    const answer = refundAnswer();
    const other = { ...answer.missing[0]!, correlation_id: 'rtr-re_2', age_ms: 30_000 };
    const { missingByCorrelation } = shapeChain({ ...answer, missing: [other, ...answer.missing] }, options);

    expect(missingByCorrelation.map((g) => [g.correlationId, g.searched, g.overdue, g.age, g.steps.map((s) => s.step)])).toEqual([
      ['rtr-re_1', true, true, '9 min 45 s', ['erp.journal.posted', 'erp.credit_memo.posted']],
      ['rtr-re_2', false, false, '30 s', ['erp.credit_memo.posted']],
    ]);
  });

  it('says how long is left before an SLA not yet due', () => {
    const answer = refundAnswer();
    const due = { ...answer.missing[1]!, slas: [{ ...answer.missing[1]!.slas[0]!, deadline_at: '2026-11-27T14:10:40.000Z', overdue: false, overdue_by_ms: 0 }] };
    const { missing } = shapeChain({ ...answer, missing: [due] }, options);

    expect(missing[0]).toMatchObject({ overdue: false, slas: [{ verdict: 'due in 40 s' }] });
  });

  it('names a step expected once per channel with its channel, and one tried but never successful', () => {
    const answer = refundAnswer();
    const publish = { ...answer.missing[0]!, step: 'channel.published', channel: 'amazon', last_status: 'dead_lettered' as const };
    const { missing } = shapeChain({ ...answer, missing: [publish] }, options);

    expect(missing[0]).toMatchObject({ label: 'channel.published on amazon', progress: 'tried: last attempt dead-lettered' });
  });

  it('shows every amount that changed on the way, with the exact difference', () => {
    const { mismatches } = shapeChain(refundAnswer(), options);

    expect(mismatches).toEqual([{ correlationId: 'order-1', from: 'shop.order.created', to: 'erp.invoice.posted', before: '€59.90', after: '€59.00', difference: '−€0.90' }]);
  });

  it('collects every business key of the chain once, by name, the searched one marked', () => {
    const events = [
      storedEvent({ event_id: 'a', keys: { refund_id: 're_1', order_id: '#1001' } }),
      storedEvent({ event_id: 'b', keys: { order_id: '#1001', payment_id: 'pi_1' } }),
    ];
    const { keys } = shapeChain(refundAnswer({ events }), options);

    expect(keys).toEqual([
      { name: 'order_id', value: '#1001', isSearched: false },
      { name: 'payment_id', value: 'pi_1', isSearched: false },
      { name: 'refund_id', value: 're_1', isSearched: true },
    ]);
  });

  it('sums the chain up in one line: what failed, what is missing past its SLA, what changed', () => {
    const events = [storedEvent({ occurred_at: '2026-11-27T13:50:00.000Z' }), storedEvent({ event_id: 'e2', occurred_at: '2026-11-27T14:00:15.000Z' })];
    const chain = shapeChain(refundAnswer({ events }), options);

    expect(chain.headline).toBe('2 correlations · 2 events · over 10 min 15 s');
    expect(chain.verdict).toEqual({ text: '1 step missing past its SLA · 1 step still to come · 1 amount changed on the way.', tone: 'bad' });
  });

  it('calls a chain with nothing missing, failing or changed complete', () => {
    const complete = { ...refundNode, state: 'complete' as const };
    const chain = shapeChain(refundAnswer({ missing: [], graph: { nodes: [complete], edges: [] } }), options);

    expect(chain.verdict).toEqual({ text: 'Complete: every expected step arrived, amounts unchanged.', tone: 'ok' });
  });
});

describe('lineageSettled', () => {
  it('is settled only when every correlation is complete and nothing is missing', () => {
    expect(lineageSettled(refundAnswer())).toBe(false);
    const complete = [refundNode, orderNode].map((n) => ({ ...n, state: 'complete' as const }));
    expect(lineageSettled(refundAnswer({ missing: [], graph: { nodes: complete, edges: [] } }))).toBe(true);
  });
});

describe('lineageRefreshMs', () => {
  it('asks often while something is still to come, seldom once the chain is settled or heavy', () => {
    expect(lineageRefreshMs(refundAnswer(), 5_000, 60_000)).toBe(5_000);
    const complete = [refundNode, orderNode].map((n) => ({ ...n, state: 'complete' as const }));
    expect(lineageRefreshMs(refundAnswer({ missing: [], graph: { nodes: complete, edges: [] } }), 5_000, 60_000)).toBe(60_000);
    expect(lineageRefreshMs(refundAnswer({ truncated: true }), 5_000, 60_000)).toBe(60_000);
    const many = Array.from({ length: LARGE_CHAIN_EVENTS }, (_, i) => storedEvent({ event_id: `e${i}` }));
    expect(lineageRefreshMs(refundAnswer({ events: many }), 5_000, 60_000)).toBe(60_000);
  });
});

describe('decimalDifference', () => {
  it('subtracts decimal amounts exactly, whatever their digits', () => {
    expect(decimalDifference('59.00', '59.90')).toBe('-0.90');
    expect(decimalDifference('196.89', '180')).toBe('16.89');
    expect(decimalDifference('0.1', '0.0001')).toBe('0.0999');
    expect(decimalDifference('-5', '5')).toBe('-10');
  });
});
