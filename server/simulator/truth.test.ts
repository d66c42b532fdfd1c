import { describe, expect, it } from 'vitest';
import type { SimEvent, SimStep } from './model.js';
import { computeTruth } from './truth.js';

const T0 = Date.parse('2026-11-27T12:00:00Z');
let n = 0;
function step(event: Partial<SimEvent> & Pick<SimEvent, 'correlation_id' | 'step'>, at: number, extra: Partial<SimStep> = {}): SimStep {
  return {
    event: { event_id: `e${++n}`, flow: 'inventory_sync', system: 'middleware', occurred_at: T0 + at, ...event },
    via: { kind: 'api' },
    deliverAt: T0 + at,
    copies: 1,
    ...extra,
  };
}
const truthOf = (steps: SimStep[], end = 60_000) => computeTruth({ scenario: 'test', seed: '1', rate: 1, start: T0, end: T0 + end, incidents: [], steps, settlements: [] });

describe('computeTruth', () => {
  it('measures inventory lag per channel from the source movement, and counts what is not published yet', () => {
    const truth = truthOf([
      step({ correlation_id: 'pos-store-007-R1-1', step: 'pos.sale.captured', event_id: 'pos-store-007-R1-1:pos.sale.captured' }, 0),
      step({ correlation_id: 'pos-store-007-R1-1', step: 'erp.inventory.posted', system: 'erp' }, 2_000),
      step({ correlation_id: 'pos-store-007-R1-1', step: 'channel.published', channel: 'shopify' }, 3_000),
      step({ correlation_id: 'pos-store-007-R1-1', step: 'channel.published', channel: 'amazon', status: 'retrying' }, 3_500),
      step({ correlation_id: 'pos-store-007-R1-1', step: 'channel.published', channel: 'amazon' }, 9_000),
      step({ correlation_id: 'wms-GR-1', step: 'wms.receipt.posted' }, 1_000),
      step({ correlation_id: 'wms-GR-1', step: 'channel.published', channel: 'shopify' }, 5_000),
    ]);
    expect(truth.inventoryLag.movements).toBe(2);
    expect(truth.inventoryLag.toErp).toMatchObject({ count: 1, p50: 2_000 });
    expect(truth.inventoryLag.byChannel.shopify).toMatchObject({ count: 2, p50: 4_000, max: 4_000, pending: 0 });
    expect(truth.inventoryLag.byChannel.amazon).toMatchObject({ count: 1, p50: 9_000, pending: 1 });
    expect(truth.inventoryLag.worstLocations).toEqual([{ location_id: 'store-007', p95: 9_000, count: 2 }]);
  });

  it('opens one exception per failed step without a later success, however many retries', () => {
    const truth = truthOf([
      step({ correlation_id: 'a', step: 'erp.inventory.posted', status: 'retrying', error_code: 'HTTP_503' }, 1_000),
      step({ correlation_id: 'a', step: 'erp.inventory.posted', status: 'dead_lettered', error_code: 'HTTP_503' }, 2_000),
      step({ correlation_id: 'b', step: 'erp.inventory.posted', status: 'failed', error_code: 'X' }, 1_000),
      step({ correlation_id: 'b', step: 'erp.inventory.posted' }, 4_000),
      step({ correlation_id: 'c', step: 'erp.credit_memo.posted', status: 'failed', error_code: 'GL_LOCKED' }, 3_000),
      step({ correlation_id: 'c', step: 'erp.credit_memo.posted', status: 'failed', error_code: 'GL_LOCKED' }, 5_000),
    ]);
    expect(truth.openExceptions).toEqual([
      { correlation_id: 'a', flow: 'inventory_sync', step: 'erp.inventory.posted', since: T0 + 2_000, last_status: 'dead_lettered', error_code: 'HTTP_503', failures: 1 },
      { correlation_id: 'c', flow: 'inventory_sync', step: 'erp.credit_memo.posted', since: T0 + 3_000, last_status: 'failed', error_code: 'GL_LOCKED', failures: 2 },
    ]);
    expect(truth.failures.map((f) => f.correlation_id)).toEqual(['a', 'b', 'a', 'c', 'c']);
  });

  it('counts only what was delivered before the end, each event once, every redelivery as a delivery', () => {
    const truth = truthOf(
      [
        step({ correlation_id: 'a', step: 'x' }, 1_000, { copies: 3 }),
        step({ correlation_id: 'a', step: 'y' }, 2_000, { deliverAt: T0 + 70_000 }),
        step({ correlation_id: 'b', step: 'x' }, 59_000, { copies: 2 }),
      ],
      60_000,
    );
    expect(truth.events.stored).toBe(2);
    // a:x at 1 s, 8 s, 15 s; b:x at 59 s (its redelivery would come after the end).
    expect(truth.events.deliveries).toBe(4);
    expect(truth.correlations.a!.steps.map((s) => s.step)).toEqual(['x']);
  });

  it('names refunds that never reached the ledger, and whether they were lost or are still on their way', () => {
    const refund = (id: string, at: number) => step({ correlation_id: `rtr-${id}`, flow: 'return_to_refund', step: 'payment.refund.created', system: 'stripe' }, at);
    const truth = truthOf([
      refund('re_1', 1_000),
      step({ correlation_id: 'rtr-re_1', flow: 'return_to_refund', step: 'erp.journal.posted', system: 'erp' }, 9_000),
      refund('re_2', 2_000),
      step({ correlation_id: 'rtr-re_2', flow: 'return_to_refund', step: 'erp.credit_memo.posted', system: 'erp' }, 3_000),
      refund('re_3', 4_000),
    ]);
    expect(truth.refunds).toEqual({
      refunded: 3,
      reachedLedger: 1,
      missingLedger: [
        { refund_id: 're_2', correlation_id: 'rtr-re_2', refunded_at: T0 + 2_000, lost: false },
        { refund_id: 're_3', correlation_id: 'rtr-re_3', refunded_at: T0 + 4_000, lost: true },
      ],
    });
  });
});
