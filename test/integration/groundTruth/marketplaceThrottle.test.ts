import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('marketplace-throttle', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('lets Amazon\'s lag grow far beyond the other channels while it throttles, without opening exceptions', () => {
    const { truth, stored } = run();
    const lag = truth.inventoryLag.byChannel;
    expect(lag.amazon!.p95).toBeGreaterThan(2 * lag.shopify!.p95);
    expect(stored.lagByChannel.amazon!.p95).toBeGreaterThan(2 * stored.lagByChannel.shopify!.p95);
    expect(truth.failures.every((f) => f.error_code === 'HTTP_429' && f.status === 'retrying')).toBe(true);
    expect(truth.failures.length).toBeGreaterThan(0);
    expect(truth.openExceptions).toEqual([]);
  });
});
