import { quoteIdentifier, type Sql } from './sql.js';

/**
 * The one schema map: every table Flowlens reads or writes, by role. SQL gets identifiers only from here,
 * qualified with the configured database.
 */
export const TABLE_NAMES = {
  migrations: 'schema_migrations',
  events: 'business_events',
  keyLookup: 'business_key_lookup',
  keyLookupMv: 'business_key_lookup_mv',
  keyLookupSkuLocationMv: 'business_key_lookup_sku_location_mv',
  flowState: 'flow_state',
  flowStateMv: 'flow_state_mv',
  flowMilestones: 'flow_milestones',
  flowMilestonesMv: 'flow_milestones_mv',
  stepFailures: 'step_failures',
  stepFailuresMv: 'step_failures_mv',
  exceptionActions: 'exception_actions',
  replayJobs: 'replay_jobs',
  replayJobItems: 'replay_job_items',
  replayItemTransitions: 'replay_item_transitions',
  replayJobLeases: 'replay_job_leases',
  sourceFreshness: 'source_freshness',
  sourceFreshnessMv: 'source_freshness_mv',
  inventoryMovements: 'inventory_movements',
  inventoryLagMinutes: 'inventory_lag_minutes',
  lineageEvents: 'lineage_events',
  lineageEventsMv: 'lineage_events_mv',
  alertTransitions: 'alert_transitions',
  alertNotifications: 'alert_notifications',
  alertMutes: 'alert_mutes',
  auditLog: 'audit_log',
  sessionRevocations: 'session_revocations',
  otelTraces: 'otel_traces',
  otelTracesTraceIdTs: 'otel_traces_trace_id_ts',
  otelTracesTraceIdTsMv: 'otel_traces_trace_id_ts_mv',
} as const;

export type TableRole = keyof typeof TABLE_NAMES;

export type Schema = {
  database: string;
  /** Database of the span tables (the OpenTelemetry exporter's layout); by default Flowlens's own. */
  otelDatabase: string;
  /** Quoted, database-qualified identifier for use inside `sql` templates. */
  table(role: TableRole): Sql;
  /** Qualified name for `client.insert({ table })`. */
  insertTarget(role: TableRole): string;
  /**
   * A table next to `role`'s, named `<name>_<suffix>`, built and swapped in by a refresh (`suffix`: lower-case
   * letters, digits and `_`, chosen by the code, never by a request).
   */
  stagingTable(role: TableRole, suffix: string): Sql;
};

export type OtelTableNames = {
  /** Database holding the span tables, e.g. `otel` where an existing exporter writes. */
  database?: string;
  /** The spans table; its trace-id lookup is `<name>_trace_id_ts`, as the exporter names it. */
  tracesTable?: string;
};

const OTEL_ROLES: Partial<Record<TableRole, (traces: string) => string>> = {
  otelTraces: (t) => t,
  otelTracesTraceIdTs: (t) => `${t}_trace_id_ts`,
  otelTracesTraceIdTsMv: (t) => `${t}_trace_id_ts_mv`,
};

export function schemaFor(database: string, otel: OtelTableNames = {}): Schema {
  const otelDatabase = otel.database ?? database;
  const tracesTable = otel.tracesTable ?? TABLE_NAMES.otelTraces;
  const locate = (role: TableRole): [string, string] => {
    const otelName = OTEL_ROLES[role];
    return otelName ? [otelDatabase, otelName(tracesTable)] : [database, TABLE_NAMES[role]];
  };
  return {
    database,
    otelDatabase,
    table: (role) => quoteIdentifier(...locate(role)),
    stagingTable: (role, suffix) => {
      if (!/^[a-z0-9_]{1,32}$/.test(suffix)) throw new Error(`not a staging suffix: ${JSON.stringify(suffix)}`);
      const [db, name] = locate(role);
      return quoteIdentifier(db, `${name}_${suffix}`);
    },
    insertTarget: (role) => {
      const [db, name] = locate(role);
      // Same rule as quoteIdentifier: names come from this map or validated configuration.
      return quoteIdentifier(db, name).render().query;
    },
  };
}
