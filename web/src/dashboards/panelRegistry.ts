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
  staleStock: later(() => import('../features/inventory/StaleStockPanel').then((m) => m.StaleStockPanel)),
  lagSeries: later(() => import('../features/inventory/LagSeriesPanel').then((m) => m.LagSeriesPanel)),
  lagHeatmap: later(() => import('../features/inventory/LagHeatmapPanel').then((m) => m.LagHeatmapPanel)),
  worstLag: later(() => import('../features/inventory/WorstLagPanel').then((m) => m.WorstLagPanel)),
  exceptionAging: later(() => import('../features/exceptions/ExceptionAgingPanel').then((m) => m.ExceptionAgingPanel)),
  exceptionInbox: later(() => import('../features/exceptions/ExceptionInboxPanel').then((m) => m.ExceptionInboxPanel)),
  slaPolicies: later(() => import('../features/slas/SlaPoliciesPanel').then((m) => m.SlaPoliciesPanel)),
  slaBreaches: later(() => import('../features/slas/SlaBreachesPanel').then((m) => m.SlaBreachesPanel)),
  reconciliation: later(() => import('../features/reconciliation/ReconciliationPanel').then((m) => m.ReconciliationPanel)),
  reconciliationSettlement: later(() => import('../features/reconciliation/SettlementPanel').then((m) => m.SettlementPanel)),
  lineageExplorer: later(() => import('../features/lineage/LineageExplorerPanel').then((m) => m.LineageExplorerPanel)),
  alertList: later(() => import('../features/alerts/AlertListPanel').then((m) => m.AlertListPanel)),
  alertMutes: later(() => import('../features/alerts/AlertMutesPanel').then((m) => m.AlertMutesPanel)),
  replaySelection: later(() => import('../features/replay/ReplaySelectionPanel').then((m) => m.ReplaySelectionPanel)),
  replayJobs: later(() => import('../features/replay/ReplayJobsPanel').then((m) => m.ReplayJobsPanel)),
  replayJob: later(() => import('../features/replay/ReplayJobPanel').then((m) => m.ReplayJobPanel)),
  auditLog: later(() => import('../features/audit/AuditLogPanel').then((m) => m.AuditLogPanel)),
};
