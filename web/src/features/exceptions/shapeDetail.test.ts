import { describe, expect, it } from 'vitest';
import type { ExceptionDetail } from '../../api/contracts';
import { availableActions, detailFacts, historyLines, lineageHref, replayHref } from './shapeDetail';

const utc = { locale: 'en-GB', timeZone: 'UTC' };
const T = Date.UTC(2026, 10, 27, 10, 0, 0);
const detail: ExceptionDetail = {
  id: '0123456789abcdef',
  kind: 'failed_step',
  flow: 'order_to_cash',
  correlation_id: 'otc-#1001',
  step: 'erp.invoice.posted',
  state: 'acknowledged',
  owner: { id: 'integration-support', name: 'Integration support' },
  age_ms: 125_000,
  age_bucket: 'under_15m',
  first_failed_at: T,
  last_failed_at: T + 60_000,
  recovered_at: null,
  attempts: 4,
  last_status: 'dead_lettered',
  system: 'middleware',
  target_system: 'erp',
  channel: null,
  error: { code: 'HTTP_503', class: 'technical', message: 'ERP unavailable after 4 attempts' },
  replay_target: 'erp-api',
  keys: { order_id: '#1001' },
  assignee: 'bo',
  acknowledged: { by: 'bo', at: T + 90_000 },
  resolved: null,
  comments: [],
  history: [
    { action: 'assign', actor: 'ana', at: T + 80_000, assignee: 'bo', note: null },
    { action: 'acknowledge', actor: 'bo', at: T + 90_000, assignee: null, note: null },
    { action: 'comment', actor: 'bo', at: T + 95_000, assignee: null, note: 'ERP team paged' },
  ],
};

describe('the detail pane', () => {
  it('lists everything about the exception, formatted for people', () => {
    expect(detailFacts(detail, utc).map((f) => `${f.label}: ${f.value}`)).toEqual([
      'Kind: Failed step',
      'Flow: order_to_cash',
      'Step: erp.invoice.posted',
      'Correlation: otc-#1001',
      'System: middleware → erp',
      'Error: HTTP_503 · technical',
      'Message: ERP unavailable after 4 attempts',
      'Owner: Integration support',
      'Assignee: bo',
      'Age: 2 min 5 s (< 15 min)',
      'First failed: 27 Nov 2026, 10:00:00.000',
      'Last failed: 27 Nov 2026, 10:01:00.000',
      'Attempts: 4 (last dead-lettered)',
      'Replay target: erp-api',
      'Business keys: order_id #1001',
    ]);
  });

  it('tells the history as who did what, when, with the note', () => {
    expect(historyLines(detail.history, utc).map((h) => [h.actor, h.text, h.time, h.note])).toEqual([
      ['ana', 'assigned it to bo', '27 Nov 2026, 10:01:20.000', null],
      ['bo', 'acknowledged it', '27 Nov 2026, 10:01:30.000', null],
      ['bo', 'commented', '27 Nov 2026, 10:01:35.000', 'ERP team paged'],
    ]);
  });

  it('offers only the actions that change something', () => {
    expect(availableActions('open')).toEqual({ acknowledge: true, resolve: true, reopen: false });
    expect(availableActions('acknowledged')).toEqual({ acknowledge: false, resolve: true, reopen: false });
    expect(availableActions('resolved')).toEqual({ acknowledge: false, resolve: false, reopen: true });
    expect(availableActions('recovered')).toEqual({ acknowledge: false, resolve: false, reopen: false });
  });

  it('links to the lineage explorer for its correlation', () => {
    expect(lineageHref('otc-#1001')).toBe('?view=lineage&key=otc-%231001');
  });

  it('links to the Replay screen with the exception selected', () => {
    expect(replayHref('0123456789abcdef')).toBe('?view=replay&exception=0123456789abcdef');
  });
});
