import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DashboardPanel, Overview } from '../../api/contracts';
import { overviewQueryKey } from '../../api/queryKeys';
import { ExceptionsByAgePanel, LagNowPanel, SlasBreachingPanel, SourceFreshnessPanel } from './OverviewPanels';

const at = Date.UTC(2026, 10, 27, 14);
const overview: Overview = {
  at,
  throughput: { window_seconds: 300, bucket_seconds: 1, from: 0, to: 0, series: [] },
  inventory: {
    at,
    window_seconds: 900,
    targets: [
      { target: 'erp', kind: 'erp_posted', count: 40, pending: 0, p50: 900, p95: 2_400, p99: 3_000, max: 3_100, oldest_pending_ms: 0 },
      { target: 'amazon', kind: 'published', count: 40, pending: 12, p50: 30_000, p95: 95_000, p99: 120_000, max: 130_000, oldest_pending_ms: 420_000 },
    ],
  },
  exceptions: { total: 3, by_bucket: { under_15m: 2, over_24h: 1 }, by_owner: { finance: { under_15m: 2, over_24h: 1 } } },
  slas: {
    policies: 8,
    breaching: [{ id: 'refund-ledger', name: 'Refunds in the ledger', severity: 'critical', owner: 'finance', attainment: 0.9, objective: 0.99, late: 0, open_breached: 3, burn_alerting: true }],
  },
  freshness: [{ system: 'pos', last_event_at: at, last_received_at: at, seconds_since_last: 75 }],
};

/** A panel as the dashboard draws it, from a cache that already holds the overview (no request). */
function render(node: React.ReactElement, data: Overview | null = overview): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  if (data) client.setQueryData(overviewQueryKey(), data);
  return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
    .trim();
}

const panel = <K extends DashboardPanel['kind']>(kind: K) => ({ id: kind, kind, title: kind, width: 'half', options: {} }) as Extract<DashboardPanel, { kind: K }>;

describe('the wall panels', () => {
  it('show each target with its p95 and what is still waiting', () => {
    const text = render(<LagNowPanel panel={panel('lagNow')} range={undefined} />);
    expect(text).toContain('ERP posted 2.4 s 40 movements, none waiting');
    expect(text).toContain('Amazon 1 min 35 s 12 waiting, oldest 7 min');
  });

  it('count open exceptions per age bucket and owner', () => {
    const text = render(<ExceptionsByAgePanel panel={panel('exceptionsByAge')} range={undefined} />);
    expect(text).toMatch(/^3 open < 15 min 2 15 min – 1 h 0 1 – 4 h 0 4 – 24 h 0 > 24 h 1/);
    expect(text).toContain('finance 2 1 3');
  });

  it('name the SLAs breaching, with why, linked to their breaches', () => {
    const html = renderToStaticMarkup(
      <QueryClientProvider client={seeded()}>
        <SlasBreachingPanel panel={panel('slasBreaching')} range={undefined} />
      </QueryClientProvider>,
    );
    expect(html).toContain('href="?view=slas&amp;policy=refund-ledger"');
    const text = render(<SlasBreachingPanel panel={panel('slasBreaching')} range={undefined} />);
    expect(text).toContain('1 of 8 policies Refunds in the ledger 90.0 % met (objective 99.0 %) · 3 open past the deadline · burning its error budget fast critical · finance');
  });

  it('say how long each source has been silent', () => {
    expect(render(<SourceFreshnessPanel panel={panel('sourceFreshness')} range={undefined} />)).toContain('pos 1 min 15 s ago');
  });

  it('say they are loading before the first answer', () => {
    expect(render(<LagNowPanel panel={panel('lagNow')} range={undefined} />, null)).toBe('Loading the overview…');
  });
});

function seeded(): QueryClient {
  const client = new QueryClient();
  client.setQueryData(overviewQueryKey(), overview);
  return client;
}
