import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DashboardPanel } from '../../api/contracts';
import { sessionQueryKey } from '../../auth/api';
import { AlertActions } from './AlertActions';
import { AlertBanner } from './AlertBanner';
import { AlertListPanel } from './AlertListPanel';
import { alertDetail, alertItem, alertList, T0 } from './alertFixtures';
import { alertDetailKey, alertListKey, firingAlertsKey } from './api';

function render(node: ReactNode, seed: (client: QueryClient) => void = () => {}): string {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  seed(client);
  return renderToStaticMarkup(<QueryClientProvider client={client}>{node}</QueryClientProvider>);
}

const panel = { id: 'alerts', kind: 'alertList', title: 'Alerts', width: 'full', options: { pageSize: 25 } } as Extract<DashboardPanel, { kind: 'alertList' }>;
const range = { kind: 'relative', range: '24h' } as const;

describe('the alert banner', () => {
  it('keeps its place while it checks, so it never moves the screen when it has news', () => {
    const html = render(<AlertBanner />);
    expect(html).toContain('data-tone="unknown"');
    expect(html).toContain('Checking for firing alerts…');
  });

  it('says how many alerts are firing unacknowledged, the worst one, and links to them', () => {
    const html = render(<AlertBanner />, (c) => c.setQueryData(firingAlertsKey(), alertList([alertItem(), alertItem({ id: 'b', severity: 'warning' })])));
    expect(html).toContain('data-tone="alarm"');
    expect(html).toContain('data-count="2"');
    expect(html).toContain('<strong class="alert-banner-headline">2 alerts firing, not acknowledged</strong>');
    expect(html).toContain('Worst: <span class="alert-banner-severity">Critical</span> Refunds or settlements missing from the ledger: Refunds in the ledger within 2 min, firing for 11 min');
    expect(html).toContain('<a class="alert-banner-link" href="?view=alerts&amp;state=firing">See firing alerts</a>');
  });

  it('is a quiet line when nothing is firing', () => {
    const html = render(<AlertBanner />, (c) => c.setQueryData(firingAlertsKey(), alertList([])));
    expect(html).toContain('data-tone="quiet"');
    expect(html).toContain('No alerts firing');
  });
});

describe('the alerts list', () => {
  it('shows tabs with counts, the alerts worst first with their last notification per receiver, and the breach link', () => {
    const firing = alertItem();
    const acked = alertItem({ id: 'fedcba9876543210', state: 'acknowledged', severity: 'warning', acknowledged: { by: 'ana', at: T0 - 60_000, note: '' }, owner: 'ecommerce-ops', group: { channel: 'amazon' } });
    const html = render(<AlertListPanel panel={panel} range={range} />, (c) => {
      c.setQueryData(alertListKey('open|24h'), alertList([acked, firing]));
      c.setQueryData(alertDetailKey(firing.id), alertDetail({ alert: firing }));
    });
    const tabs = [...html.matchAll(/data-testid="alert-tab-(\w+)">([A-Za-z]+)<span class="alert-tab-count">(\d*)<\/span>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(tabs).toEqual([
      ['open', 'Open', '2'],
      ['firing', 'Firing', '1'],
      ['acknowledged', 'Acknowledged', '1'],
      ['muted', 'Muted', '0'],
      ['pending', 'Pending', '0'],
      ['resolved', 'Resolved', '0'],
      ['all', 'All', '2'],
    ]);
    expect(html).toContain('aria-current="page" data-testid="alert-tab-open"');
    const rows = [...html.matchAll(/data-testid="alert-row" data-id="(\w+)" data-state="(\w+)"/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      [firing.id, 'firing'],
      [acked.id, 'acknowledged'],
    ]);
    expect(html).toContain('<option value="finance">finance (1)</option>');
    expect(html).toContain('<span class="alert-receiver-name">incident-log</span> trigger delivered');
    expect(html).toContain('<span class="alert-receiver-name">oncall-pagerduty</span> not configured');
    expect(html).toContain('href="?view=slas&amp;policy=refund-ledger&amp;range=1h&amp;outcome=open_breached"');
    expect(html).toContain('<code class="alert-group">channel=amazon</code>Refunds in the ledger within 2 min');
    // Who acts is the signed-in person: there is no name to type.
    expect(html).not.toContain('Acting as');
  });

  it('says no alerts are firing, and what is watched, when the tab is empty', () => {
    const html = render(<AlertListPanel panel={panel} range={range} />, (c) => c.setQueryData(alertListKey('open|24h'), alertList([])));
    expect(html).toContain('data-testid="alert-empty"');
    expect(html).toContain('<strong>No alerts firing</strong>');
    expect(html).toContain('dashboards/alerts/rules.yaml');
  });

  it('says it is loading before the first answer', () => {
    expect(render(<AlertListPanel panel={panel} range={range} />)).toContain('Loading alerts…');
  });
});

describe("an alert's actions", () => {
  const signedIn = (name: string, role: 'viewer' | 'operator') => (c: QueryClient) => c.setQueryData(sessionQueryKey(), { session: { name, role, via: 'session', expires_at: T0 + 3_600_000 } });
  const disabled = (html: string) => [...html.matchAll(/<button type="button" class="action-button[^"]*"( disabled="")?[^>]*>([^<]+)</g)].filter((m) => m[1] !== undefined).map((m) => m[2]);

  it('are disabled for a viewer, who is told why and whom to ask', () => {
    const html = render(<AlertActions alert={alertItem()} />, signedIn('vera', 'viewer'));
    expect(disabled(html)).toEqual(['Acknowledge', 'Resolve with this note']);
    expect(html).toContain('<p class="permission-note" data-testid="permission-note">Viewers can&#x27;t acknowledge, resolve or unmute alerts — ask an operator</p>');
    expect(html).toContain('Viewers can&#x27;t mute alerts — ask an operator');
  });

  it('are open to an operator', () => {
    const html = render(<AlertActions alert={alertItem()} />, signedIn('olga', 'operator'));
    expect(disabled(html)).toEqual([]);
    expect(html).not.toContain('permission-note');
  });
});
