import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('duplicates', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('received a third of all messages two or three times and still counts each event once', () => {
    const { truth, stored } = run();
    expect(truth.events.deliveries).toBeGreaterThan(truth.events.stored * 1.3);
    expect(stored.steps.length).toBe(truth.events.stored);
  });
});
