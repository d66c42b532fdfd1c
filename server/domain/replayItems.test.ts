import { describe, expect, it } from 'vitest';
import { approvalRefusal, cancelRefusal, countByState, finishedInJob, holdOf, jobItemState, needsRecording, recoveryPlan, settledBy, type ClaimView } from './replayItems.js';

const view = (state: ClaimView['state'], overrides: Partial<ClaimView> = {}): ClaimView => ({
  eventId: 'evt-1',
  target: 'erp',
  state,
  jobId: 'rpl-a',
  attempt: 1,
  sends: 1,
  idempotencyKey: 'k',
  at: 1,
  seq: 10,
  httpStatus: 0,
  detail: '',
  instance: 'flowlens-1',
  recordedSeq: 0,
  ...overrides,
});

describe('holdOf', () => {
  it('leaves an item never replayed, or whose replay certainly did not apply, free to claim', () => {
    expect(holdOf(undefined, 'rpl-b')).toEqual({ kind: 'free' });
    for (const state of ['cancelled', 'refused', 'blocked', 'rejected', 'settled_not_applied'] as const) expect(holdOf(view(state), 'rpl-b')).toEqual({ kind: 'free' });
  });

  it('holds an item that was applied, may be on its way, or awaits a decision', () => {
    expect(holdOf(view('applied'), 'rpl-b')).toEqual({ kind: 'held', reason: 'already_applied', jobId: 'rpl-a' });
    expect(holdOf(view('settled_applied'), 'rpl-b')).toEqual({ kind: 'held', reason: 'already_applied', jobId: 'rpl-a' });
    expect(holdOf(view('claimed'), 'rpl-b')).toEqual({ kind: 'held', reason: 'in_progress', jobId: 'rpl-a' });
    expect(holdOf(view('sending'), 'rpl-b')).toEqual({ kind: 'held', reason: 'in_progress', jobId: 'rpl-a' });
    expect(holdOf(view('unknown'), 'rpl-b')).toEqual({ kind: 'held', reason: 'unknown_outcome', jobId: 'rpl-a' });
  });

  it('lets a job go on with its own claim, but never with its own send under way', () => {
    expect(holdOf(view('claimed'), 'rpl-a')).toEqual({ kind: 'own' });
    expect(holdOf(view('sending'), 'rpl-a')).toMatchObject({ kind: 'held', reason: 'in_progress' });
  });
});

describe('recovery after a crash', () => {
  it('settles what may have been sent only by lookup', () => {
    expect(recoveryPlan(view('sending'), true)).toBe('lookup');
    expect(recoveryPlan(view('sending'), false)).toBe('lookup');
    expect(recoveryPlan(view('unknown'), false)).toBe('lookup');
  });

  it('lets an open job go on with a claim it never sent, and releases it when the job is gone', () => {
    expect(recoveryPlan(view('claimed'), true)).toBe('resume');
    expect(recoveryPlan(view('claimed'), false)).toBe('release');
  });

  it('writes the replay step of a result not recorded yet, once', () => {
    expect(recoveryPlan(view('applied'), false)).toBe('record');
    expect(recoveryPlan(view('settled_applied'), false)).toBe('record');
    expect(recoveryPlan(view('rejected'), false)).toBe('record');
    expect(recoveryPlan(view('applied', { recordedSeq: 11 }), false)).toBe('none');
    expect(needsRecording(view('applied', { recordedSeq: 9 }))).toBe(true);
    expect(recoveryPlan(view('refused'), false)).toBe('none');
  });

  it('maps a lookup answer to a settlement; no answer stays unknown', () => {
    expect(settledBy('applied')).toBe('settled_applied');
    expect(settledBy('not_applied')).toBe('settled_not_applied');
    expect(settledBy('unknown')).toBe('unknown');
  });
});

describe('job items', () => {
  it('shows items a job never reached by the job state', () => {
    expect(jobItemState(undefined, 'running')).toBe('pending');
    expect(jobItemState(undefined, 'awaiting_approval')).toBe('pending');
    expect(jobItemState(undefined, 'cancelled')).toBe('cancelled');
    expect(jobItemState(undefined, 'done')).toBe('not_run');
    expect(jobItemState('recorded', 'done')).toBe('not_run');
    expect(jobItemState('applied', 'cancelled')).toBe('applied');
  });

  it('resumes claimed and settled-not-applied items, and nothing else', () => {
    expect(finishedInJob('pending')).toBe(false);
    expect(finishedInJob('claimed')).toBe(false);
    expect(finishedInJob('settled_not_applied')).toBe(false);
    for (const s of ['applied', 'rejected', 'unknown', 'refused', 'blocked', 'skipped', 'cancelled', 'settled_applied'] as const) expect(finishedInJob(s)).toBe(true);
  });

  it('counts every state, zero when none', () => {
    const counts = countByState(['applied', 'applied', 'skipped', 'pending']);
    expect(counts).toMatchObject({ applied: 2, skipped: 1, pending: 1, unknown: 0, not_run: 0 });
    expect(counts).not.toHaveProperty('recorded');
  });
});

describe('four-eyes and cancel', () => {
  const job = { state: 'awaiting_approval' as const, requestedBy: 'ana', approvalFlows: ['order_to_cash'] };

  it('lets a different operator approve', () => {
    expect(approvalRefusal(job, 'ben')).toBeUndefined();
  });

  it('refuses the requester (however the name is typed) with 403', () => {
    expect(approvalRefusal(job, 'ana')).toMatchObject({ status: 403, code: 'same_approver' });
    expect(approvalRefusal(job, ' Ana ')?.message).toContain('a second, different operator must approve');
  });

  it('refuses to approve a job not awaiting approval', () => {
    expect(approvalRefusal({ ...job, state: 'queued' }, 'ben')).toMatchObject({ status: 409, code: 'not_awaiting_approval' });
  });

  it('cancels open jobs only', () => {
    for (const state of ['awaiting_approval', 'queued', 'running'] as const) expect(cancelRefusal({ state })).toBeUndefined();
    for (const state of ['done', 'cancelled', 'failed'] as const) expect(cancelRefusal({ state })).toMatchObject({ status: 409, code: 'not_cancellable' });
  });
});
