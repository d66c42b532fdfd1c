import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { clusterStatements } from './clusterDdl.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';
import type { Schema } from './schema.js';
import { quoteIdentifier, sql, type Sql } from './sql.js';

export type MigrationReport = {
  applied: { version: number; name: string }[];
  alreadyApplied: number;
  /** Recorded migrations whose statements changed since they ran (edited after release: add a new one). */
  changed: { version: number; name: string }[];
};

type Logger = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export type MigrateOptions = {
  /** Cluster name (CLICKHOUSE_CLUSTER): every statement is rendered for it (clusterDdl.ts). Unset: one node. */
  cluster?: string;
};

/** The database and the record of applied migrations, made before anything else (not recorded itself). */
const BOOTSTRAP: Migration = {
  version: 0,
  name: 'schema_migrations',
  statements: (s) => [
    sql`CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(s.database)}`,
    sql`CREATE TABLE IF NOT EXISTS ${s.table('migrations')} (
      version UInt32,
      name String,
      checksum String,
      applied_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree ORDER BY version`,
  ],
};

/**
 * A migration's statements as this store runs them: as written for one node, or their cluster form. The checksum
 * is of what runs, so a cluster store records its own (and a single node's never changes).
 */
export function migrationStatements(migration: Migration, schema: Schema, options: MigrateOptions = {}): Sql[] {
  return options.cluster === undefined ? migration.statements(schema) : clusterStatements(migration, schema, options.cluster);
}

/** Apply every migration not yet recorded, in order; re-running on a migrated database changes nothing. */
export async function migrate(
  client: ClickHouseClient,
  schema: Schema,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  for (const statement of migrationStatements(BOOTSTRAP, schema, options)) await exec(client, statement);
  const recorded = await recordedMigrations(client, schema);
  const report: MigrationReport = { applied: [], alreadyApplied: 0, changed: [] };
  for (const migration of migrations) {
    const statements = migrationStatements(migration, schema, options);
    const checksum = checksumOf(statements);
    const previous = recorded.get(migration.version);
    if (previous !== undefined) {
      report.alreadyApplied++;
      if (previous !== checksum) {
        report.changed.push({ version: migration.version, name: migration.name });
        logger.warn({ version: migration.version, name: migration.name }, 'migration changed after it was applied; add a new migration instead');
      }
      continue;
    }
    for (const statement of statements) await exec(client, statement);
    await exec(
      client,
      sql`INSERT INTO ${schema.table('migrations')} (version, name, checksum, applied_at)
          VALUES (${migration.version}, ${migration.name}, ${checksum}, now64(3))`,
    );
    report.applied.push({ version: migration.version, name: migration.name });
    logger.info({ version: migration.version, name: migration.name }, 'migration applied');
  }
  return report;
}

async function recordedMigrations(client: ClickHouseClient, schema: Schema): Promise<Map<number, string>> {
  const { query, query_params } = sql`SELECT version, argMax(checksum, applied_at) AS checksum
    FROM ${schema.table('migrations')} GROUP BY version`.render();
  const result = await client.query({ query, query_params, format: 'JSONEachRow' });
  const rows = await result.json<{ version: number; checksum: string }>();
  return new Map(rows.map((r) => [Number(r.version), r.checksum]));
}

/** What a store records of a migration's statements, to notice one edited after it ran. */
export function checksumOf(statements: Sql[]): string {
  const hash = createHash('sha256');
  for (const s of statements) hash.update(s.render().query.replace(/\s+/g, ' ').trim());
  return hash.digest('hex').slice(0, 16);
}

async function exec(client: ClickHouseClient, statement: Sql): Promise<void> {
  const { query, query_params } = statement.render();
  await client.command({ query, query_params });
}
