import type { ClickHouseClient } from '@clickhouse/client';
import { describe, expect, it } from 'vitest';
import { clusterStatements } from './clusterDdl.js';
import { checksumOf, migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { schemaFor } from './schema.js';

/** A store that has recorded nothing and takes every statement (the client is the port migrate() talks through). */
function recordingClient(): { client: ClickHouseClient; commands: { query: string; query_params?: Record<string, unknown> }[] } {
  const commands: { query: string; query_params?: Record<string, unknown> }[] = [];
  const client = {
    command: async (params: { query: string; query_params?: Record<string, unknown> }) => {
      commands.push(params);
      return {};
    },
    query: async () => ({ json: async () => [] }),
  };
  return { client: client as unknown as ClickHouseClient, commands };
}

const quiet = { info: () => {}, warn: () => {} };

describe('migrate on a cluster', () => {
  const schema = schemaFor('flowlens');

  it('creates the database and the migration record on the whole cluster first, then runs each migration in its cluster form', async () => {
    const { client, commands } = recordingClient();

    await migrate(client, schema, quiet, MIGRATIONS.slice(0, 2), { cluster: 'flowlens_cluster' });

    expect(commands[0]!.query).toBe('CREATE DATABASE IF NOT EXISTS `flowlens` ON CLUSTER `flowlens_cluster`');
    expect(commands[1]!.query).toMatch(/^CREATE TABLE IF NOT EXISTS `flowlens`\.`schema_migrations` ON CLUSTER `flowlens_cluster` \(/);
    expect(commands[1]!.query).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/flowlens/schema_migrations', '{shard}-{replica}')\nORDER BY version");
    const first = clusterStatements(MIGRATIONS[0]!, schema, 'flowlens_cluster').map((s) => s.render().query);
    expect(commands.slice(2, 2 + first.length).map((c) => c.query)).toEqual(first);
  });

  it('records the checksum of the statements it ran', async () => {
    const { client, commands } = recordingClient();

    await migrate(client, schema, quiet, MIGRATIONS.slice(0, 1), { cluster: 'flowlens_cluster' });

    const record = commands.find((c) => c.query.includes('INSERT INTO `flowlens`.`schema_migrations`'));
    expect(Object.values(record!.query_params!)).toContain(checksumOf(clusterStatements(MIGRATIONS[0]!, schema, 'flowlens_cluster')));
    expect(Object.values(record!.query_params!)).not.toContain(checksumOf(MIGRATIONS[0]!.statements(schema)));
  });

  it('runs the statements as written without a cluster', async () => {
    const { client, commands } = recordingClient();

    await migrate(client, schema, quiet, MIGRATIONS.slice(0, 1));

    expect(commands.map((c) => c.query).join('\n')).not.toMatch(/ON CLUSTER|Replicated|Distributed/);
    expect(commands[2]!.query).toBe(MIGRATIONS[0]!.statements(schema)[0]!.render().query);
  });
});
