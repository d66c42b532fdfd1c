import { dashboardsResponseSchema, type DashboardsResponse } from './contracts';

/**
 * What the server wrote into index.html for the first screen (server/http/indexHtml.ts): the views, and the
 * overview request it started while this code loaded.
 */
type BootWindow = { __FLOWLENS_VIEWS__?: unknown; __FLOWLENS_OVERVIEW__?: Promise<Response | undefined> };

/** Read when asked, not at import, so the modules that use it also render outside a browser (component tests). */
const boot = () => globalThis as unknown as BootWindow;

/** The views as served with the page, or undefined (an older server, a page saved to disk): fetch them then. */
export function bootViews(): DashboardsResponse | undefined {
  const parsed = dashboardsResponseSchema.safeParse(boot().__FLOWLENS_VIEWS__);
  return parsed.success ? (parsed.data as DashboardsResponse) : undefined;
}

/** The overview request the page started, once: later refreshes ask the server themselves. */
export function takeBootOverview(): Promise<Response | undefined> | undefined {
  const started = boot().__FLOWLENS_OVERVIEW__;
  boot().__FLOWLENS_OVERVIEW__ = undefined;
  return started;
}
