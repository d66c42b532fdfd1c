import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../../api/client';
import type { AuditEntryRow, AuditPageAnswer, DashboardPanel } from '../../api/contracts';
import { auditKey } from './api';
import { AuditLogPanel } from './AuditLogPanel';

const T0 = Date.UTC(2026, 10, 27, 14, 0, 0);
const panel = { id: 'trail', kind: 'auditLog', title: 'Audit trail', width: 'full', options: { pageSize: 100 } } as Extract<DashboardPanel, { kind: 'auditLog' }>;
const range = { kind: 'relative', range: '1h' } as const;
/** The key of the first page the panel asks for at T0 over the last hour, without filters. */
const key = auditKey(`from=${T0 - 3_600_000}&to=${T0}&limit=100`);

const row = (over: Partial<AuditEntryRow>): AuditEntryRow => ({
  audit_id: 'aud-1',
  at: T0 - 60_000,
  actor: 'olga',
  actor_kind: 'operator',
  action: 'alert.acknowledge',
  target: '0123456789abcdef',
  method: 'POST',
  path: '/api/v1/alerts/0123456789abcdef/acknowledge',
  from_ip: '127.0.0.1',
  status: 200,
  result: 'ok',
  detail: '',
  ...over,
});

function render(node: ReactNode, seed: (client: QueryClient) => void): string {
  // An answer seeded as failed stays failed while drawn (no new request on mount).
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, retryOnMount: false } } });
  seed(client);
  return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}

const page = (rows: AuditEntryRow[], hasMore: boolean): AuditPageAnswer => ({ rows, has_more: hasMore, from: T0 - 3_600_000, to: T0 });

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the audit trail', () => {
  it('lists who did what, when (UTC), on what, from where and how it ended, with older entries to load', () => {
    const rows = [row({ audit_id: 'a2', at: T0 - 30_000, actor: 'vera', actor_kind: 'viewer', status: 403, result: 'denied', detail: 'needs_operator' }), row({})];
    const html = render(<AuditLogPanel panel={panel} range={range} />, (c) => c.setQueryData(key, { pages: [page(rows, true)], pageParams: [0] }));

    expect(html).toContain('2 entries, older ones to load · newest first · 27 Nov 2026 13:00 – 14:00 UTC');
    const shown = [...html.matchAll(/data-testid="audit-row" data-result="(\w+)" data-action="([\w.]+)"/g)].map((m) => [m[1], m[2]]);
    expect(shown).toEqual([
      ['denied', 'alert.acknowledge'],
      ['ok', 'alert.acknowledge'],
    ]);
    expect(html).toContain('<time dateTime="2026-11-27T13:59:30.000Z"');
    expect(html).toContain('>2026-11-27 13:59:30</time>');
    expect(html).toContain('<span class="audit-badge audit-result-denied" data-testid="audit-result">denied</span>');
    expect(html).toContain('needs_operator');
    expect(html).toContain('Load older entries</button>');
    // The filters offer the policy's action names.
    expect(html).toContain('<option value="replay.approve">replay.approve</option>');
  });

  it('says what shows up here when nothing happened in the range', () => {
    const html = render(<AuditLogPanel panel={panel} range={range} />, (c) => c.setQueryData(key, { pages: [page([], false)], pageParams: [0] }));
    expect(html).toContain('data-testid="audit-empty"');
    expect(html).toContain('No audited actions in this range');
    expect(html).toContain('acknowledging an alert');
  });

  it("tells anyone but an admin that the trail is for admins, in the server's words, instead of an error", () => {
    const html = render(<AuditLogPanel panel={panel} range={range} />, (c) => {
      const query = c.getQueryCache().build(c, { queryKey: key });
      query.setState({ ...query.state, status: 'error', error: new ApiRequestError('GET /api/v1/audit needs the admin role; vera is viewer', 403, 'forbidden') });
    });
    expect(html).toContain('data-testid="audit-admin-only"');
    expect(html).toContain('The audit trail is for admins.');
    expect(html).toContain('GET /api/v1/audit needs the admin role; vera is viewer');
    expect(html).not.toContain('role="alert"');
  });
});
