import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditRow } from '../store/queries/audit.js';
import { createAuditService, type AuditEntry } from './auditService.js';

const entry = (action: string): AuditEntry => ({
  at: Date.parse('2026-11-27T10:00:00Z'),
  actor: 'ana',
  actor_kind: 'operator',
  action,
  target: 'rpl-1',
  method: 'POST',
  path: '/api/v1/replays/rpl-1/approve',
  from_ip: '127.0.0.1',
  status: 200,
  result: 'ok',
  detail: '',
});

function harness(failures = 0) {
  const written: AuditRow[][] = [];
  const attempts: AuditRow[][] = [];
  const errors: object[] = [];
  let toFail = failures;
  const service = createAuditService({
    sink: async (rows) => {
      attempts.push([...rows]);
      if (toFail-- > 0) throw new Error('store unavailable');
      written.push([...rows]);
    },
    reader: async () => ({ rows: [], has_more: false }),
    logger: { error: (obj) => errors.push(obj), warn: () => {} },
    flushMs: 1000,
    retryMs: [1000, 5000],
    maxPending: 5,
  });
  return { service, written, attempts, errors };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('audit service', () => {
  it('writes what was recorded within a second, in one insert, each row with its own id', async () => {
    const { service, written } = harness();
    service.record(entry('replay.create'));
    await vi.advanceTimersByTimeAsync(500);
    service.record(entry('replay.approve'));
    expect(written).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(written).toHaveLength(1);
    expect(written[0]!.map((r) => r.action)).toEqual(['replay.create', 'replay.approve']);
    expect(new Set(written[0]!.map((r) => r.audit_id)).size).toBe(2);
    expect(service.pending()).toBe(0);
  });

  it('retries a failed insert with the same rows (so a retry that did land is deduplicated), logging each failure', async () => {
    const { service, written, attempts, errors } = harness(2);
    service.record(entry('alert.mute'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    service.record(entry('alert.acknowledge'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(2);
    expect(written).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(written.map((b) => b.map((r) => r.action))).toEqual([['alert.mute'], ['alert.acknowledge']]);
    expect(attempts[0]).toEqual(attempts[2]);
    expect(service.pending()).toBe(0);
  });

  it('refuses rows past its bound loudly rather than growing without end', async () => {
    const { service, errors } = harness(100);
    for (let i = 0; i < 7; i++) service.record(entry(`a${i}`));
    expect(service.pending()).toBe(5);
    expect(errors).toEqual([expect.objectContaining({ refused: 1, action: 'a5' })]);
  });

  it('at close writes what is left, and logs in full what it could not write', async () => {
    const ok = harness();
    ok.service.record(entry('replay.cancel'));
    await ok.service.close(1000);
    expect(ok.written).toHaveLength(1);

    const down = harness(1000);
    down.service.record(entry('replay.decide'));
    const closing = down.service.close(2000);
    await vi.advanceTimersByTimeAsync(3000);
    await closing;
    expect(down.errors.at(-1)).toMatchObject({ audit: { action: 'replay.decide', actor: 'ana' } });
  });
});
