import { describe, expect, it } from 'vitest';
import { validateEvent } from '../contracts/canonicalEvent.js';
import { earliestOccurredAt, fromEventRow, toEventRow } from './eventRows.js';

function row(occurredAt: string, extra: Record<string, unknown> = {}) {
  const result = validateEvent({ event_id: occurredAt, correlation_id: 'c', flow: 'transfer', step: 'wms.transfer.shipped', system: 'wms', occurred_at: occurredAt, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return toEventRow(result.event, '2026-11-27 12:00:00.000');
}

describe('event rows', () => {
  it('find the earliest event time of a batch', () => {
    const rows = [row('2026-11-27T10:00:05.000Z'), row('2026-11-27T09:59:59.999Z'), row('2026-11-27T10:00:00.000Z')];
    expect(earliestOccurredAt(rows)).toBe(Date.UTC(2026, 10, 27, 9, 59, 59, 999));
  });

  it('store absent optional fields as empty and show them as null again', () => {
    const stored = fromEventRow(row('2026-11-27T10:00:00.123+01:00', { amount: 12.5, currency: 'EUR' }));
    expect(stored).toMatchObject({ occurred_at: '2026-11-27T09:00:00.123Z', observed_at: '2026-11-27T12:00:00.000Z', amount: '12.5', channel: null, trace_id: null });
  });
});
