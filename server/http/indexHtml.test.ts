import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { DashboardsResponse } from '../contracts/dashboardViews.js';
import { renderIndexHtml } from './indexHtml.js';

const HTML = '<!doctype html><html><head><title>Flowlens</title></head><body><div id="root"></div></body></html>';
// Options as the server would fill them in do not matter here.
const VIEWS = {
  views: [
    { id: 'overview', title: 'Overview', description: 'The wall </script><script>alert(1)</script>', panels: [{ id: 'lag', kind: 'lagNow', title: 'Lag', width: 'half', options: {} }] },
    { id: 'lineage', title: 'Lineage', description: 'Find a key.', panels: [{ id: 'explorer', kind: 'lineageExplorer', title: 'Explorer', width: 'full', options: {} }] },
  ],
} as unknown as DashboardsResponse;

/** Runs the injected script as a browser would, at this URL; what it leaves on `window` and what it fetched. */
function boot(search: string) {
  const html = renderIndexHtml(HTML, VIEWS);
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
  const fetched: string[] = [];
  const window: Record<string, unknown> = {};
  runInNewContext(script, {
    window,
    location: { search },
    URLSearchParams,
    fetch: (url: string) => {
      fetched.push(url);
      return Promise.resolve('response');
    },
  });
  return { window, fetched, html };
}

describe('renderIndexHtml', () => {
  it('writes the views into the page, escaped so no view text can close the script', () => {
    const { window, html } = boot('');
    expect(window.__FLOWLENS_VIEWS__).toEqual(VIEWS);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
    expect(html.indexOf('<script>')).toBeLessThan(html.indexOf('</head>'));
  });

  it('starts the overview request while the code loads, for the screens drawn from it only', () => {
    expect(boot('').fetched).toEqual(['/api/v1/overview']);
    expect(boot('?view=overview&range=1h').fetched).toEqual(['/api/v1/overview']);
    expect(boot('?view=lineage&wall=1').fetched).toEqual(['/api/v1/overview']);
    expect(boot('?view=lineage&key=R-1').fetched).toEqual([]);
    expect(boot('?view=lineage').window.__FLOWLENS_OVERVIEW__).toBeUndefined();
  });
});
