import { expect, it } from 'vitest';
import { describeGroundTruth } from '../../support/groundTruth.js';

describeGroundTruth('erp-outage', { seed: '42', rate: 40, durationMs: 120_000 }, (run) => {
  it('dead-letters the postings the ERP refused for longer than the middleware retries, and nothing else', () => {
    const { truth } = run();
    expect(truth.openExceptions.length).toBeGreaterThan(10);
    for (const e of truth.openExceptions) expect(e).toMatchObject({ last_status: 'dead_lettered', error_code: 'HTTP_503' });
    expect(truth.failures.filter((f) => f.status === 'retrying').length).toBeGreaterThan(truth.openExceptions.length);
    expect(run().result.stats.erpAnswers['503']).toBe(truth.failures.filter((f) => f.error_code === 'HTTP_503').length);
  });

  it('routes the dead letters to integration support, with every retry counted in one exception and the posting to replay', () => {
    const { exceptions, aging } = run();
    expect(exceptions.exceptions.length).toBeGreaterThan(10);
    for (const e of exceptions.exceptions) {
      expect(e).toMatchObject({ state: 'open', owner: { id: 'integration-support' }, attempts: 4, last_status: 'dead_lettered', replay_target: 'erp', error: { code: 'HTTP_503', class: 'technical' } });
      expect(Object.keys(e.keys).length).toBeGreaterThan(0);
    }
    expect(aging.by_owner['integration-support']).toBeDefined();
  });

  it('breaks the inventory SLAs, burning the error budget fast enough to alert', () => {
    const erpPosted = run().slas.policies.find((p) => p.id === 'inventory-erp-posted')!;
    expect(erpPosted.late + erpPosted.open_breached).toBeGreaterThan(10);
    expect(erpPosted).toMatchObject({ breaching: true, burn: { alerting: true } });
  });

  it('leaves the stock of a dead-lettered movement unpublished on every channel', () => {
    const { truth } = run();
    const stuck = truth.openExceptions.filter((e) => e.step === 'erp.inventory.posted').length;
    expect(stuck).toBeGreaterThan(0);
    for (const lag of Object.values(truth.inventoryLag.byChannel)) expect(lag.pending).toBeGreaterThanOrEqual(stuck);
  });
});
