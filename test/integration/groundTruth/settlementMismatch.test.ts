import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('settlement-mismatch', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('stores each settlement\'s lines adding up to the deposit, and the ERP\'s bank line short by the extra commission', () => {
    const { truth, stored } = run();
    expect(truth.settlements.mismatched.length).toBeGreaterThan(0);
    for (const fact of truth.settlements.reported) {
      const steps = stored.steps.filter((s) => s.correlation_id === `settlement-${fact.settlement_id}`);
      const lines = steps.filter((s) => s.step === 'marketplace.settlement.line' || s.step === 'payment.payout.paid');
      const cents = (list: typeof steps) => list.reduce((sum, s) => sum + Math.round(Number(s.amount) * 100), 0);
      expect(cents(lines) / 100, fact.settlement_id).toBeCloseTo(Number(fact.reported_net), 2);
      const bank = steps.find((s) => /-1:erp\.journal\.posted$/.test(s.event_id));
      expect(Number(bank?.amount), fact.settlement_id).toBeCloseTo(Number(fact.erp_net), 2);
      expect(cents(steps.filter((s) => s.step === 'erp.journal.posted')), 'a journal entry balances').toBe(0);
    }
  });
});
