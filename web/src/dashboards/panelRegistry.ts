import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { PanelKind } from '../api/contracts';
import { ExceptionsByAgePanel, LagNowPanel, SlasBreachingPanel, SourceFreshnessPanel } from '../features/overview/OverviewPanels';
import { ThroughputPanel } from '../features/throughput/ThroughputPanel';
import type { PanelProps } from './panelProps';

type PanelComponent<K extends PanelKind> = ComponentType<PanelProps<K>> | LazyExoticComponent<ComponentType<PanelProps<K>>>;

/** A panel from a feature module loaded when a view first shows it, so the first screen's JavaScript stays small. */
function later<K extends PanelKind>(load: () => Promise<ComponentType<PanelProps<K>>>): LazyExoticComponent<ComponentType<PanelProps<K>>> {
  return lazy(() => load().then((component) => ({ default: component })));
}

/**
 * The component behind each panel kind of `server/contracts/dashboardViews.ts`. The wall's panels are in the
 * first bundle; every other screen's are fetched when first shown.
 */
export const PANELS: { [K in PanelKind]?: PanelComponent<K> } = {
  lagNow: LagNowPanel,
  exceptionsByAge: ExceptionsByAgePanel,
  slasBreaching: SlasBreachingPanel,
  sourceFreshness: SourceFreshnessPanel,
  throughput: ThroughputPanel,
  lineageExplorer: later(() => import('../features/lineage/LineagePanel').then((m) => m.LineagePanel)),
};
