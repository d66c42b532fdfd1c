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
  flowState: 'flow_state',
  flowStateMv: 'flow_state_mv',
} as const;

export type TableRole = keyof typeof TABLE_NAMES;

export type Schema = {
  database: string;
  /** Quoted, database-qualified identifier for use inside `sql` templates. */
  table(role: TableRole): Sql;
  /** Qualified name for `client.insert({ table })`. */
  insertTarget(role: TableRole): string;
};

export function schemaFor(database: string): Schema {
  return {
    database,
    table: (role) => quoteIdentifier(database, TABLE_NAMES[role]),
    insertTarget: (role) => `\`${database}\`.\`${TABLE_NAMES[role]}\``,
  };
}
