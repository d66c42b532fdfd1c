import { describe, expect, it } from 'vitest';
import { validateEvent } from '../contracts/canonicalEvent.js';
import { approvalFlows, contentTypeOf, idempotencyKeyFor, planItem, rangeProblem, replayStepEvent, type PlanFacts, type ReplayCandidate, type ReplayedEvent } from './replayPlan.js';

const T = Date.parse('2026-11-27T10:00:00Z');

const candidate = (overrides: Partial<ReplayCandidate> = {}): ReplayCandidate => ({
  event_id: 'SO-1:erp.invoice_posted:attempt-4',
  flow: 'order_to_cash',
  correlation_id: 'SO-1',
  step: 'erp.invoice_posted',
  status: 'dead_lettered',
  occurred_at: T,
  replay_target: 'erp',
  has_payload: true,
  payload_key: 'SO-1:erp.invoice_posted',
  ...overrides,
});
const sendable: PlanFacts = { targetConfigured: true, hold: { kind: 'free' }, lastSuccessAt: 0 };

describe('planItem', () => {
  it('sends a dead-lettered event with a payload and a configured target', () => {
    expect(planItem(candidate(), sendable)).toEqual({ action: 'send' });
    expect(planItem(candidate({ status: 'failed' }), sendable)).toEqual({ action: 'send' });
  });

  it('sends again what this job already claimed (a single event claimed when its job was created)', () => {
    expect(planItem(candidate(), { ...sendable, hold: { kind: 'own' } })).toEqual({ action: 'send' });
  });

  it.each([
    ['not_failed', candidate({ status: 'ok' }), sendable],
    ['not_failed', candidate({ status: 'retrying' }), sendable],
    ['no_payload', candidate({ has_payload: false }), sendable],
    ['no_target', candidate({ replay_target: '' }), sendable],
    ['no_target', candidate(), { ...sendable, targetConfigured: false }],
    ['already_applied', candidate(), { ...sendable, hold: { kind: 'held', reason: 'already_applied', jobId: 'rpl-1' } }],
    ['in_progress', candidate(), { ...sendable, hold: { kind: 'held', reason: 'in_progress', jobId: 'rpl-1' } }],
    ['unknown_outcome', candidate(), { ...sendable, hold: { kind: 'held', reason: 'unknown_outcome', jobId: 'rpl-1' } }],
    ['later_success', candidate(), { ...sendable, lastSuccessAt: T + 1 }],
    ['key_applied', candidate(), { ...sendable, keyApplied: true }],
  ] as const)('skips with %s', (reason, c, facts) => {
    const plan = planItem(c, facts);
    expect(plan).toMatchObject({ action: 'skip', reason });
    if (plan.action === 'skip') expect(plan.message.length).toBeGreaterThan(10);
  });

  it('names the job that holds an item, so the operator can open it', () => {
    expect(planItem(candidate(), { ...sendable, hold: { kind: 'held', reason: 'already_applied', jobId: 'rpl-42' } })).toEqual({
      action: 'skip',
      reason: 'already_applied',
      jobId: 'rpl-42',
      message: 'already replayed by job rpl-42',
    });
  });

  it('does not count a success before the failure (or at the same instant) as a later one', () => {
    expect(planItem(candidate(), { ...sendable, lastSuccessAt: T - 1 })).toEqual({ action: 'send' });
    expect(planItem(candidate(), { ...sendable, lastSuccessAt: T })).toEqual({ action: 'send' });
  });

  it('says what can never be sent before what already was', () => {
    const held = { ...sendable, hold: { kind: 'held', reason: 'already_applied', jobId: 'rpl-1' } as const, lastSuccessAt: T + 5 };
    expect(planItem(candidate({ has_payload: false }), held)).toMatchObject({ reason: 'no_payload' });
    expect(planItem(candidate(), held)).toMatchObject({ reason: 'already_applied' });
  });
});

describe('idempotencyKeyFor', () => {
  it('keeps the key the original delivery used (the ERP requires the body field to equal the header)', () => {
    expect(idempotencyKeyFor('evt-1', 'erp', 'SO-1:erp.invoice_posted')).toBe('SO-1:erp.invoice_posted');
  });

  it('derives a stable key from event and target when the payload has none', () => {
    const key = idempotencyKeyFor('evt-1', 'refunds', '');
    expect(key).toMatch(/^flowlens-[0-9a-f]{32}$/);
    expect(idempotencyKeyFor('evt-1', 'refunds', '')).toBe(key);
    expect(idempotencyKeyFor('evt-1', 'erp', '')).not.toBe(key);
    expect(idempotencyKeyFor('evt-2', 'refunds', '')).not.toBe(key);
  });
});

describe('approvalFlows (four-eyes)', () => {
  const finance = ['order_to_cash', 'return_to_refund', 'settlement_to_ledger'];

  it('lists the finance flows a job touches, once each', () => {
    expect(approvalFlows(['return_to_refund', 'inventory_sync', 'order_to_cash', 'order_to_cash'], finance)).toEqual(['order_to_cash', 'return_to_refund']);
  });

  it('needs no approval for other flows, or when four-eyes is configured off', () => {
    expect(approvalFlows(['inventory_sync', 'transfer'], finance)).toEqual([]);
    expect(approvalFlows(['order_to_cash'], [])).toEqual([]);
  });
});

describe('rangeProblem', () => {
  it('accepts up to 31 days and refuses longer or inverted ranges', () => {
    expect(rangeProblem(T, T + 31 * 86_400_000)).toBeUndefined();
    expect(rangeProblem(T, T + 31 * 86_400_000 + 1)).toEqual({ field: 'from', message: expect.stringContaining('31 days') });
    expect(rangeProblem(T, T)).toEqual({ field: 'to', message: 'must be later than from' });
  });
});

describe('contentTypeOf', () => {
  it('sends JSON payloads as JSON and anything else as text', () => {
    expect(contentTypeOf('{"a":1}')).toBe('application/json');
    expect(contentTypeOf('ORDER;1;2')).toBe('text/plain; charset=utf-8');
  });
});

describe('replayStepEvent', () => {
  const original: ReplayedEvent = {
    event_id: 'SO-1:erp.invoice_posted:attempt-4',
    correlation_id: 'SO-1',
    flow: 'order_to_cash',
    step: 'erp.invoice_posted',
    occurred_at: T,
    channel: 'shopify',
    region: '',
    location_id: '',
    sku: '',
    quantity: null,
    amount: '49.9',
    currency: 'EUR',
    error_class: 'technical',
    keys: { order_id: 'SO-1' },
  };

  it('records an applied replay as a success of the same step, by flowlens, with a fixed id', () => {
    const event = replayStepEvent(original, 'erp', { kind: 'applied', at: T + 60_000 });
    expect(event).toMatchObject({
      event_id: 'replay:erp:SO-1:erp.invoice_posted:attempt-4',
      correlation_id: 'SO-1',
      flow: 'order_to_cash',
      step: 'erp.invoice_posted',
      system: 'flowlens',
      target_system: 'erp',
      status: 'ok',
      channel: 'shopify',
      amount: '49.9',
      currency: 'EUR',
      keys: { order_id: 'SO-1' },
      occurred_at: T + 60_000,
      replay_of: 'SO-1:erp.invoice_posted:attempt-4',
    });
    expect(event).not.toHaveProperty('payload');
    expect(event).not.toHaveProperty('replay_target');
    expect(validateEvent(event).ok).toBe(true);
  });

  it('records a rejection as a failed step with the answer, one id per attempt', () => {
    const event = replayStepEvent(original, 'erp', { kind: 'rejected', at: T + 1_000, attempt: 2, httpStatus: 422, message: 'key reused' });
    expect(event).toMatchObject({ event_id: 'replay:erp:SO-1:erp.invoice_posted:attempt-4:rejected:2', status: 'failed', error_code: 'HTTP_422', error_message: 'replay rejected by erp: key reused' });
    expect(validateEvent(event).ok).toBe(true);
  });

  it('comes after the failure it closes even when the clock says otherwise', () => {
    expect(replayStepEvent(original, 'erp', { kind: 'applied', at: T - 5_000 }).occurred_at).toBe(T + 1);
  });

  it('keeps its id within the 128 characters an event id may have', () => {
    const long = { ...original, event_id: 'x'.repeat(128) };
    const event = replayStepEvent(long, 'erp', { kind: 'rejected', at: T, attempt: 1, httpStatus: 400, message: 'no' });
    expect(String(event.event_id).length).toBeLessThanOrEqual(128);
    expect(validateEvent(event).ok).toBe(true);
  });
});
