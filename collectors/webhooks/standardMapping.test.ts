import { describe, expect, it } from 'vitest';
import { fixtureJson } from './fixtures/loadFixture.js';
import { decodeStandardMessage } from './standardMapping.js';

describe('Standard Webhooks messages of canonical events', () => {
  it('keeps event ids as sent and derives missing ones from the webhook id and index', () => {
    const result = decodeStandardMessage('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', fixtureJson('standardMessage'));
    expect(result).toMatchObject({ ok: true, type: 'retail.events' });
    if (!result.ok) return;
    expect(result.records.map((r) => ('value' in r ? (r.value as { event_id: string }).event_id : undefined))).toEqual([
      'mw-rtr-re_3QxR2bLkdIwHu7ix0Yb7Qp1A:erp.credit_memo.posted',
      'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W:1',
    ]);
  });

  it('takes a single event as data', () => {
    const result = decodeStandardMessage('msg_1', { type: 'retail.event', data: { flow: 'transfer' } });
    expect(result).toEqual({ ok: true, type: 'retail.event', records: [{ index: 0, value: { flow: 'transfer', event_id: 'msg_1:0' } }] });
  });

  it('passes non-objects through for the pipeline to refuse at their index', () => {
    const result = decodeStandardMessage('msg_1', { type: 't', data: [42] });
    expect(result).toEqual({ ok: true, type: 't', records: [{ index: 0, value: 42 }] });
  });

  it('refuses a message without type or data, or with no events', () => {
    expect(decodeStandardMessage('m', { data: [] })).toMatchObject({ ok: false, message: expect.stringContaining('type') });
    expect(decodeStandardMessage('m', { type: 't' })).toMatchObject({ ok: false, message: expect.stringContaining('data') });
    expect(decodeStandardMessage('m', { type: 't', data: [] })).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
  });
});
