import type { DashboardsResponse, PanelKind } from '../contracts/dashboardViews.js';

/** Panel kinds drawn from `GET /api/v1/overview`: a screen with any of them starts that request at once. */
const OVERVIEW_KINDS: readonly PanelKind[] = ['lagNow', 'exceptionsByAge', 'slasBreaching', 'sourceFreshness'];

/**
 * The dashboard's index.html with what its first screen needs written into it, so the first paint waits for one
 * request instead of three in a row (code → views → data): the views (`window.__FLOWLENS_VIEWS__`), and, when the
 * link opens a screen drawn from the overview, the overview request already started
 * (`window.__FLOWLENS_OVERVIEW__`) while the code loads. Everything written is JSON with `<` escaped, so no value
 * from a view file can close the script.
 */
export function renderIndexHtml(html: string, dashboards: DashboardsResponse): string {
  const overviewViews = dashboards.views.filter((v) => v.panels.some((p) => OVERVIEW_KINDS.includes(p.kind))).map((v) => v.id);
  const home = dashboards.views[0]?.id ?? '';
  const script = [
    `window.__FLOWLENS_VIEWS__=${json(dashboards)};`,
    `(function(){var q=new URLSearchParams(location.search),v=q.get('view')||${json(home)};`,
    `if(${json(overviewViews)}.indexOf(q.get('wall')==='1'?${json(home)}:v)>=0)`,
    `window.__FLOWLENS_OVERVIEW__=fetch('/api/v1/overview',{headers:{accept:'application/json'}}).catch(function(){return undefined;});})();`,
  ].join('');
  const tag = `<script>${script}</script>`;
  return html.includes('</head>') ? html.replace('</head>', `    ${tag}\n  </head>`) : `${tag}${html}`;
}

function json(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
