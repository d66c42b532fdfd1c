import { expect, it } from 'vitest';
import { describeGroundTruth } from '../support/groundTruth.js';
import { reversedRunLog, runTripleReversed } from './support/tripleReversedRun.js';

// Fault: at-least-once delivery at its worst — every message three times — and the run delivered backwards,
// so every transaction's steps arrive last step first. The existing ground-truth scenarios cover each alone
// (test/integration/groundTruth/duplicates.test.ts: a third of messages twice or three times;
// outOfOrder.test.ts: up to 20 s late); this runs both at once through the same checks (test/support/groundTruth.ts),
// swapping only how the simulator's run delivers (the estate's `runner`): runTripleReversed instead of runSimulation.
describeGroundTruth('normal', { seed: '8', rate: 40, durationMs: 60_000, runner: runTripleReversed }, (run) => {
  it('was delivered three times over, backwards: the latest window first', () => {
    const { truth } = run();
    expect(reversedRunLog).toHaveLength(1);
    const [log] = reversedRunLog;
    expect(log!.windows).toBeGreaterThan(10);
    expect(log!.firstWindowEnd).toBeGreaterThan(log!.lastWindowEnd);
    // Three deliveries of each event, bar redeliveries (7 s and 14 s later) that would fall after the run's end.
    expect(truth.events.deliveries).toBeGreaterThan(truth.events.stored * 2.3);
    expect(truth.events.deliveries).toBeLessThanOrEqual(truth.events.stored * 3);
  });
});
