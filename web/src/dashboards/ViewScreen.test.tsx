import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DashboardView } from '../api/contracts';
import { ViewScreen } from './ViewScreen';

const INVENTORY = {
  id: 'inventory',
  title: 'Inventory lag',
  description: 'How long stock takes to reach each channel.',
  defaultRange: '6h',
  panels: [
    { id: 'worst', kind: 'worstLag', title: 'Slowest stores', description: 'p95 to the ERP.', width: 'half', options: { by: 'location', target: 'erp', limit: 10 } },
    { id: 'future', kind: 'aPanelFromANewerServer', title: 'Something new', width: 'full', options: {} },
  ],
} as unknown as DashboardView;

function render(view: DashboardView): string {
  return renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <ViewScreen view={view} />
    </QueryClientProvider>,
  );
}

describe('ViewScreen', () => {
  it('draws a view file: its heading, its range picker on the default range, its panels in order and width', () => {
    const html = render(INVENTORY);
    expect(html).toContain('<h1 class="view-title">Inventory lag</h1>');
    expect(html).toMatch(/<option value="6h" selected="">Last 6 hours<\/option>/);
    const panels = [...html.matchAll(/<section class="panel panel-(\w+)"[^>]*data-panel="([\w-]+)"/g)].map((m) => [m[2], m[1]]);
    expect(panels).toEqual([
      ['worst', 'half'],
      ['future', 'full'],
    ]);
    expect(html).toContain('<h2 id="panel-worst-title">Slowest stores</h2><p class="panel-description">p95 to the ERP.</p>');
    // Its code loads when first shown.
    expect(html).toContain('Loading slowest stores…');
  });

  it('says so when the server names a kind of panel this web app does not have', () => {
    expect(render(INVENTORY)).toContain('This Flowlens web app has no “aPanelFromANewerServer” panel');
  });

  it('has no range picker for a view found by key', () => {
    const html = render({ ...INVENTORY, defaultRange: undefined, panels: INVENTORY.panels.slice(0, 1) });
    expect(html).not.toContain('Time range');
  });
});
