import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('normal', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('reaches Flowlens through every transport: spans, ERP, webhooks, files and the event API', () => {
    expect(Object.keys(run().truth.events.byTransport).sort()).toEqual(['api', 'erp', 'file:journal', 'file:pos', 'file:settlement', 'shopify', 'span', 'stripe']);
    expect(run().truth.openExceptions).toEqual([]);
    expect(run().result.stats.pushbacks).toBe(0);
  });

  it('meets the inventory and refund SLAs on a normal day', () => {
    for (const id of ['inventory-erp-posted', 'inventory-published', 'refund-ledger']) {
      const policy = run().slas.policies.find((p) => p.id === id)!;
      expect(policy.met, id).toBeGreaterThan(0);
      expect(policy.late + policy.open_breached, id).toBe(0);
    }
  });
});
