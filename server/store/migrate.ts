import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
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

/** Apply every migration not yet recorded, in order; re-running on a migrated database changes nothing. */
export async function migrate(
  client: ClickHouseClient,
  schema: Schema,
  logger: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  await exec(client, sql`CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(schema.database)}`);
  await exec(
    client,
    sql`CREATE TABLE IF NOT EXISTS ${schema.table('migrations')} (
      version UInt32,
      name String,
      checksum String,
      applied_at DateTime64(3, 'UTC')
    ) ENGINE = ReplacingMergeTree ORDER BY version`,
  );
  const recorded = await recordedMigrations(client, schema);
  const report: MigrationReport = { applied: [], alreadyApplied: 0, changed: [] };
  for (const migration of migrations) {
    const statements = migration.statements(schema);
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

function checksumOf(statements: Sql[]): string {
  const hash = createHash('sha256');
  for (const s of statements) hash.update(s.render().query.replace(/\s+/g, ' ').trim());
  return hash.digest('hex').slice(0, 16);
}

async function exec(client: ClickHouseClient, statement: Sql): Promise<void> {
  const { query, query_params } = statement.render();
  await client.command({ query, query_params });
}
