import { z } from 'zod';

/**
 * Dashboard views as data: each screen of the web app is a view file in `dashboards/views/` listing its panels,
 * and each panel names a kind — a component the web app has (`web/src/dashboards/panelRegistry.ts`) — with that
 * kind's options. A new panel is a file, not a code change; a new *kind* of panel is code. Shared by the server
 * (checks the files at boot, serves `GET /api/v1/dashboards`) and the web app (renders the views).
 */

const PERCENTILES = ['p50', 'p95', 'p99'] as const;
export type LagPercentile = (typeof PERCENTILES)[number];

const count = (min: number, max: number, what: string) =>
  z.int({ error: `must be a whole number of ${what} from ${min} to ${max}` }).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
const word = (hint: string) => z.string({ error: hint }).regex(/^[a-z][a-z0-9_-]*$/, hint).max(64, 'must be at most 64 characters');
const none = z.strictObject({});

/** Every kind of panel and the options it takes; unknown options are errors, every option has a default. */
export const PANEL_OPTIONS = {
  // The peak-period wall (one `GET /api/v1/overview` serves all of these).
  lagNow: none,
  exceptionsByAge: none,
  slasBreaching: none,
  sourceFreshness: none,
  throughput: z.strictObject({ windowSeconds: count(10, 3600, 'seconds').default(300) }),
  // Inventory.
  staleStock: z.strictObject({
    thresholdSeconds: count(1, 604_800, 'seconds').default(300),
    limit: count(1, 500, 'rows').default(20),
    channel: word('must be a channel name, e.g. amazon').optional(),
  }),
  lagSeries: z.strictObject({
    percentiles: z.array(z.enum(PERCENTILES, { error: `must be one of ${PERCENTILES.join(', ')}` })).min(1, 'must name at least one percentile').default(['p50', 'p95', 'p99']),
  }),
  lagHeatmap: z.strictObject({
    percentile: z.enum(PERCENTILES, { error: `must be one of ${PERCENTILES.join(', ')}` }).default('p95'),
    limit: count(1, 200, 'locations').default(30),
  }),
  worstLag: z.strictObject({
    by: z.enum(['location', 'sku'], { error: 'must be location or sku' }).default('location'),
    target: word('must be erp or a channel name, e.g. amazon').default('erp'),
    limit: count(1, 200, 'rows').default(10),
  }),
  // Exceptions.
  exceptionAging: z.strictObject({ groupBy: z.enum(['owner', 'flow', 'system'], { error: 'must be owner, flow or system' }).default('owner') }),
  exceptionInbox: z.strictObject({ pageSize: count(10, 500, 'rows').default(50) }),
  // SLAs, reconciliation, lineage.
  slaPolicies: none,
  // The drill-down of the policy picked in `slaPolicies` (`?policy=`): attainment over time, groups, breaches.
  slaBreaches: z.strictObject({ pageSize: count(10, 500, 'rows').default(50) }),
  // Status totals, filters and the settlements table; `reconciliationSettlement` drills into `?settlement=`.
  reconciliation: z.strictObject({ pageSize: count(10, 500, 'rows').default(50) }),
  reconciliationSettlement: none,
  // Hops of linked keys to follow from the searched one (the API's `depth`); a link's `?depth=` overrides it.
  lineageExplorer: z.strictObject({ depth: count(0, 6, 'hops').default(3) }),
  // Alerts: the list by state with the open alert (`?alert=`) in a pane, and the mutes in force or just ended.
  alertList: z.strictObject({ pageSize: count(10, 500, 'rows').default(25) }),
  alertMutes: none,
  // Replay: the selection with its dry run (items per page), the jobs (queue and history), one job (`?job=`).
  replaySelection: z.strictObject({ pageSize: count(10, 1000, 'items').default(50) }),
  replayJobs: z.strictObject({ pageSize: count(5, 200, 'jobs').default(20) }),
  replayJob: z.strictObject({ pageSize: count(10, 1000, 'items').default(100) }),
  // Audit: who did what, when, from where and how it ended (admins only), newest first, a page at a time.
  auditLog: z.strictObject({ pageSize: count(10, 500, 'rows').default(100) }),
} as const;

export type PanelKind = keyof typeof PANEL_OPTIONS;
export const PANEL_KINDS = Object.keys(PANEL_OPTIONS) as PanelKind[];
export type PanelOptions<K extends PanelKind> = z.output<(typeof PANEL_OPTIONS)[K]>;

export const PANEL_WIDTHS = ['full', 'half', 'third'] as const;
/** Relative time ranges a view may start on; the picker offers these and any absolute range. */
export const RELATIVE_RANGES = ['15m', '1h', '6h', '24h', '7d'] as const;
export type RelativeRange = (typeof RELATIVE_RANGES)[number];

/** One panel as served: kind and options resolved (defaults filled in). */
export type DashboardPanel = { [K in PanelKind]: { id: string; kind: K; title: string; description?: string; width: (typeof PANEL_WIDTHS)[number]; options: PanelOptions<K> } }[PanelKind];

const panelSchema = z.object({
  id: z.string(),
  kind: z.enum(PANEL_KINDS as [PanelKind, ...PanelKind[]]),
  title: z.string(),
  description: z.string().optional(),
  width: z.enum(PANEL_WIDTHS),
  options: z.record(z.string(), z.unknown()),
});

/**
 * `GET /api/v1/dashboards`: every view, in menu order; the first is the home screen (and the wall); and where
 * links out of Flowlens go (`trace`: the trace viewer's link template, FLOWLENS_TRACE_URL, or null).
 */
export const dashboardsResponseSchema = z.object({
  links: z.object({ trace: z.string().nullable() }),
  views: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      description: z.string(),
      /** The range the view opens on; absent when the view has no time range (lineage is found by key). */
      defaultRange: z.enum(RELATIVE_RANGES).optional(),
      panels: z.array(panelSchema),
    }),
  ),
});
export type DashboardsResponse = { views: DashboardView[]; links: { trace: string | null } };
export type DashboardView = Omit<z.output<typeof dashboardsResponseSchema>['views'][number], 'panels'> & { panels: DashboardPanel[] };
