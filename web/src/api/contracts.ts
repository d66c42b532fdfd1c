/**
 * The API contract the server builds its answers with (server/contracts/api.ts and the answer contracts beside
 * it): the web app parses with the same zod schemas, so the two cannot drift apart. Imported relatively in this one place so that Vite, tsc, vitest and
 * eslint all resolve it without extra configuration.
 */
export { LIVE_EVENTS, apiErrorSchema, throughputSchema } from '../../../server/contracts/api';
export { lineageResponseSchema } from '../../../server/contracts/lineageApi';
export type { StoredEvent, Throughput } from '../../../server/contracts/api';
export type { LineageCorrelation, LineageHop, LineageMissingStep, LineageNode, LineageResponse, LineageStep } from '../../../server/contracts/lineageApi';
export type { EventStatus } from '../../../server/contracts/canonicalEvent';
export { overviewSchema } from '../../../server/contracts/overviewApi';
export type { Overview } from '../../../server/contracts/overviewApi';
export { AGE_BUCKETS } from '../../../server/domain/ageBuckets';
export type { AgeBucket } from '../../../server/domain/ageBuckets';
export { PANEL_KINDS, RELATIVE_RANGES, dashboardsResponseSchema } from '../../../server/contracts/dashboardViews';
export type { DashboardPanel, DashboardView, DashboardsResponse, PanelKind, PanelOptions, RelativeRange } from '../../../server/contracts/dashboardViews';
export { lagStatsSchema, inventoryLagResponseSchema, inventoryLagNowSchema, worstLagSchema, staleStockSchema, inventoryLagByLocationSchema, inventoryMovementsSchema } from '../../../server/contracts/inventoryApi';
export type { LagStats, InventoryLagResponse, InventoryLagNow, WorstLag, StaleStock, InventoryLagByLocation, InventoryMovements } from '../../../server/contracts/inventoryApi';
export { EXCEPTION_STATES, EXCEPTION_KINDS, EXCEPTION_FACETS, EXCEPTION_SORTS, ERROR_CLASSES, exceptionSchema, exceptionListSchema, exceptionAgingSchema, exceptionActionResultSchema, exceptionDetailSchema } from '../../../server/contracts/exceptionApi';
export type { ExceptionItem, ExceptionList, ExceptionAging, ExceptionActionResult, ExceptionDetail, ExceptionFacet, ExceptionSort, FacetValue, HistoryEntry } from '../../../server/contracts/exceptionApi';
export { RECONCILIATION_STATUSES, RECONCILIATION_REASONS, ORDER_RECONCILIATION_STATUSES, JOURNAL_ROLES, reconciliationItemSchema, reconciliationListSchema, reconciliationDetailSchema, reconciliationTotalSchema } from '../../../server/contracts/reconciliationApi';
export type { ReconciliationItemAnswer, ReconciliationListAnswer, ReconciliationDetailAnswer, ReconciliationTotal } from '../../../server/contracts/reconciliationApi';
export { SLA_SEVERITIES, BREACH_OUTCOMES, slaStatusSchema, slaBreachesSchema, slaSeriesSchema } from '../../../server/contracts/slaApi';
export type { BreachOutcome, SlaBreach, SlaBreaches, SlaPolicyStatus, SlaSeries, SlaSeriesPoint, SlaStatus } from '../../../server/contracts/slaApi';
export { ALERT_FILTERS, ALERT_STATES, alertDetailSchema, alertItemSchema, alertListSchema, muteListSchema, muteSchema } from '../../../server/contracts/alertApi';
export type { AlertApiState, AlertDetail, AlertFilter, AlertItem, AlertList, MuteItem, MuteList } from '../../../server/contracts/alertApi';
export { JOB_ITEM_STATES, JOB_STATES, MAX_REPLAY_ITEMS, SKIP_REASONS, dryRunSchema, replayJobDetailSchema, replayJobListSchema, replayJobSchema, replayProgressSchema } from '../../../server/contracts/replayApi';
export type { DryRun, JobItem, PlannedItem, RenderedRequestView, ReplayJob, ReplayJobDetail, ReplayJobList, ReplayProgress, ReplaySelection } from '../../../server/contracts/replayApi';
export { AUDIT_RESULT_NAMES, ROLE_NAMES, SYSTEM_AUDIT_ACTIONS, auditPageSchema, auditRowSchema, sessionSchema } from '../../../server/contracts/accessApi';
export type { AuditEntryRow, AuditPageAnswer, RoleName, Session } from '../../../server/contracts/accessApi';
// The audit trail's action names are the policy's (one per mutating route): the audit screen offers them.
export { ROUTE_RULES } from '../../../server/auth/policy';
