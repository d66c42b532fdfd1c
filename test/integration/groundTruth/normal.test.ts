import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('normal', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('reaches Flowlens through every transport: spans, ERP, webhooks, files and the event API', () => {
    expect(Object.keys(run().truth.events.byTransport).sort()).toEqual(['api', 'erp', 'file:journal', 'file:pos', 'file:settlement', 'shopify', 'span', 'stripe']);
    expect(run().truth.openExceptions).toEqual([]);
    expect(run().result.stats.pushbacks).toBe(0);
  });
});
