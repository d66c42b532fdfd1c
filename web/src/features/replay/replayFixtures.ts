import type { DryRun, JobItem, PlannedItem, ReplayJob, ReplayJobDetail } from '../../api/contracts';

/** Test data shaped as the API answers it (server/contracts/replayApi.ts). */

export const T0 = Date.UTC(2026, 10, 27, 14, 0, 0);

export function plannedItem(over: Partial<PlannedItem> = {}): PlannedItem {
  return {
    event_id: 'evt-erp-1',
    flow: 'order_to_cash',
    correlation_id: 'otc-SO-1001',
    step: 'erp.invoice.posted',
    occurred_at: T0 - 600_000,
    target: 'erp',
    idempotency_key: 'inv-SO-1001',
    action: 'send',
    skip: null,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:9000/erp/v1/postings',
      headers: [
        { name: 'Authorization', value: '•••', redacted: true },
        { name: 'Content-Type', value: 'application/json', redacted: false },
        { name: 'Idempotency-Key', value: 'inv-SO-1001', redacted: false },
      ],
      body: '{"idempotency_key":"inv-SO-1001","document_type":"invoice"}',
      body_format: 'json',
      lookup: { method: 'GET', url: 'http://127.0.0.1:9000/erp/v1/postings/inv-SO-1001' },
    },
    ...over,
  };
}

export function dryRun(items: PlannedItem[], over: Partial<DryRun> = {}): DryRun {
  const skipped = { not_failed: 0, no_payload: 0, no_target: 0, already_applied: 0, in_progress: 0, unknown_outcome: 0, later_success: 0, key_applied: 0 };
  for (const i of items) if (i.skip !== null) skipped[i.skip.reason]++;
  return { at: T0, total: items.length, send: items.filter((i) => i.action === 'send').length, skipped, approval_flows: [], max_items: 10_000, offset: 0, items, ...over };
}

export function replayJob(over: Partial<ReplayJob> = {}): ReplayJob {
  return {
    id: 'rpl-0123456789abcdef0123',
    state: 'running',
    requested_by: 'Ana Ops',
    reason: 'The ERP is back',
    created_at: T0 - 60_000,
    updated_at: T0 - 30_000,
    selection: { kind: 'filter', from: T0 - 3_600_000, to: T0, system: 'erp', error_code: 'HTTP_503' },
    approval_flows: [],
    approved_by: null,
    cancelled_by: null,
    item_count: 10,
    counts: { applied: 4, rejected: 1, sending: 1, pending: 4 },
    needs_decision: 0,
    current: { event_id: 'evt-erp-6', target: 'erp', state: 'sending' },
    history: [
      { state: 'queued', actor: 'Ana Ops', note: null, at: T0 - 60_000 },
      { state: 'running', actor: 'flowlens', note: null, at: T0 - 30_000 },
    ],
    ...over,
  };
}

export function jobItem(over: Partial<JobItem> = {}): JobItem {
  return {
    position: 0,
    event_id: 'evt-erp-1',
    target: 'erp',
    flow: 'order_to_cash',
    correlation_id: 'otc-SO-1001',
    step: 'erp.invoice.posted',
    occurred_at: T0 - 600_000,
    idempotency_key: 'inv-SO-1001',
    state: 'applied',
    attempt: 1,
    http_status: 201,
    detail: null,
    at: T0 - 20_000,
    recorded: true,
    ...over,
  };
}

export function jobDetail(over: Partial<ReplayJobDetail> = {}): ReplayJobDetail {
  return { ...replayJob(), offset: 0, items: [jobItem()], ...over };
}
