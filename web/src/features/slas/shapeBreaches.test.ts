import { describe, expect, it } from 'vitest';
import type { SlaBreaches } from '../../api/contracts';
import { formatWhen, groupParam, lineageHref, orderedKeys, pageLabel, parseGroupParam, shapeBreaches } from './shapeBreaches';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
const NOW = Date.UTC(2026, 10, 27, 11, 30, 0);

const answer: SlaBreaches = {
  at: NOW,
  policy: 'inventory-published',
  deadline_ms: 90_000,
  group: {},
  by_outcome: { late: 1, open_breached: 1 },
  total: 2,
  offset: 0,
  breaches: [
    { correlation_id: 'pos-store-001-7', channel: 'amazon', outcome: 'open_breached', start_ms: NOW - 600_000, due_ms: NOW - 510_000, end_ms: null, elapsed_ms: 600_000, overdue_by_ms: 510_000, group: { channel: 'amazon' }, keys: { receipt_id: 'R-7', sku: 'SKU-1', correlation_id: 'pos-store-001-7' } },
    { correlation_id: 'pos-store-001-8', channel: 'zalando', outcome: 'late', start_ms: Date.UTC(2026, 10, 26, 23, 59, 0), due_ms: Date.UTC(2026, 10, 27, 0, 0, 30), end_ms: Date.UTC(2026, 10, 27, 0, 2, 0), elapsed_ms: 180_000, overdue_by_ms: 90_000, group: { channel: '' }, keys: {} },
  ],
};

describe('shapeBreaches', () => {
  it('shows each breach by its business keys, group, outcome, times and how late', () => {
    const rows = shapeBreaches(answer, ['channel'], utc);
    expect(rows[0]).toEqual({
      id: 'pos-store-001-7@amazon',
      keys: [{ name: 'receipt_id', value: 'R-7' }, { name: 'sku', value: 'SKU-1' }],
      group: 'amazon',
      outcome: { label: 'Still open', tone: 'bad' },
      started: '11:20:00',
      due: '11:21:30',
      finished: 'not yet',
      overdue: 'open 8 min 30 s past the deadline',
    });
    expect(rows[1]).toMatchObject({ keys: [{ name: 'correlation_id', value: 'pos-store-001-8' }], group: '(none)', outcome: { label: 'Finished late' }, started: '26 Nov, 23:59:00', finished: '00:02:00', overdue: '1 min 30 s late' });
    expect(shapeBreaches(answer, [], utc)[0]!.group).toBe('');
  });

  it('puts the key people search by first', () => {
    expect(orderedKeys({ order_id: '#1001', refund_id: 're_1', custom: 'x' }, 'c').map((k) => k.name)).toEqual(['refund_id', 'order_id', 'custom']);
  });

  it('says today\'s times by the clock and other days with the day', () => {
    expect(formatWhen(NOW - 1000, NOW, utc)).toBe('11:29:59');
    expect(formatWhen(NOW - 86_400_000, NOW, utc)).toBe('26 Nov, 11:30:00');
  });

  it('keeps a group in the URL and reads it back, values with commas and colons intact', () => {
    const group = { channel: 'amazon', 'key:order_id': 'SO:1,2' };
    expect(groupParam(group)).toBe('channel:amazon,key:order_id:SO%3A1%2C2');
    expect(parseGroupParam(groupParam(group), ['channel', 'key:order_id'])).toEqual(group);
    expect(parseGroupParam('region:eu,channel:amazon', ['channel'])).toEqual({ channel: 'amazon' });
    expect(parseGroupParam('', ['channel'])).toEqual({});
  });

  it('pages and links to lineage keeping the time range', () => {
    expect(pageLabel(50, 50, 312)).toBe('51–100 of 312');
    expect(pageLabel(0, 0, 0)).toBe('none');
    expect(lineageHref('re_1 & co', '?view=slas&policy=x&range=1h')).toBe('?view=lineage&key=re_1+%26+co&range=1h');
  });
});
