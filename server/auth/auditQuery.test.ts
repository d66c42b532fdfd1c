import { describe, expect, it } from 'vitest';
import { auditFilterOf, auditQuerySchema } from './auditQuery.js';

const NOW = Date.parse('2026-11-27T10:00:00Z');
const DAY = 86_400_000;

describe('the audit screen query', () => {
  it('defaults to the last 7 days, 100 rows, newest first', () => {
    const q = auditQuerySchema.parse({});
    expect(auditFilterOf(q, NOW)).toEqual({ ok: true, filter: { from: NOW - 7 * DAY, to: NOW, limit: 100, offset: 0 } });
  });

  it('takes every filter, and keeps injection attempts as plain values for typed parameters', () => {
    const q = auditQuerySchema.parse({ from: '2026-11-01T00:00:00Z', to: String(NOW), actor: "' OR 1=1 --", action: 'replay.approve', target: '../../etc', result: 'denied,failed', limit: '20', offset: '40' });
    expect(auditFilterOf(q, NOW)).toEqual({
      ok: true,
      filter: { from: Date.parse('2026-11-01T00:00:00Z'), to: NOW, actor: "' OR 1=1 --", action: 'replay.approve', target: '../../etc', results: ['denied', 'failed'], limit: 20, offset: 40 },
    });
  });

  it('names a bad parameter', () => {
    const issues = (query: object) => auditQuerySchema.safeParse(query).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ result: 'ok,maybe' })).toEqual(['result: unknown result maybe; use ok, denied, failed']);
    expect(issues({ limit: '1000', sort: 'x' })).toEqual(['limit: limit must be at most 500', ': Unrecognized key: "sort"']);
    expect(auditFilterOf(auditQuerySchema.parse({ from: String(NOW), to: String(NOW - 1) }), NOW)).toEqual({ ok: false, field: 'to', message: 'must be later than from' });
    expect(auditFilterOf(auditQuerySchema.parse({ from: String(NOW - 401 * DAY) }), NOW)).toEqual({ ok: false, field: 'from', message: 'the range is at most 400 days' });
  });
});
