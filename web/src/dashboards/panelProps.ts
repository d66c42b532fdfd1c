import type { DashboardPanel, PanelKind } from '../api/contracts';
import type { TimeRange } from '../url/timeRange';

/**
 * What every panel component gets: its panel from the view file (title, width, options with defaults filled in)
 * and the view's time range (undefined in views without one). Filters a panel offers live in the URL too, under
 * the shared names `owner`, `flow`, `system`, `bucket`, `error`, `channel`, `location`, `sku`, `key`, … so a
 * view is a link; a view switch keeps only the time range.
 */
export type PanelProps<K extends PanelKind> = {
  panel: Extract<DashboardPanel, { kind: K }>;
  range: TimeRange | undefined;
};

/** How often panels over a relative range ask again; a fixed (absolute) range does not change, so never. */
export const PANEL_REFRESH_MS = 5_000;
