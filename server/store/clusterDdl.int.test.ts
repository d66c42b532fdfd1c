import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreClients } from './clickhouse.js';
import { clusterStatements } from './clusterDdl.js';
import { MIGRATIONS } from './migrations/index.js';
import { queryRows } from './queryRows.js';
import { schemaFor } from './schema.js';
import { sql } from './sql.js';

/**
 * No cluster runs here (the embedded engine has no Keeper), but its parser is the servers' parser: every statement
 * the migrations render for a cluster must parse, and keep its cluster parts once ClickHouse formats it.
 */
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-cluster-ddl-'));
let store: StoreClients;

beforeAll(() => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const formatted = async (text: string) => (await queryRows<{ f: string }>(store.query, sql`SELECT formatQuery(${text}) AS f`))[0]!.f;

describe('cluster DDL on the engine parser', () => {
  const schema = schemaFor('flowlens', { database: 'otel' });
  const statements = MIGRATIONS.flatMap((m) => clusterStatements(m, schema, 'flowlens_cluster').map((s) => ({ version: m.version, text: s.render().query })));

  it('parses every statement of every migration, keeping ON CLUSTER, the engines and the copy setting', async () => {
    let engines = 0;
    for (const { version, text } of statements) {
      const f = await formatted(text);
      if (text.startsWith('INSERT')) expect(f, `migration ${version}`).toContain('SETTINGS parallel_distributed_insert_select = 2');
      else expect(f, `migration ${version}`).toContain('ON CLUSTER flowlens_cluster');
      for (const engine of text.match(/ENGINE = \w+(?:\([^\n]*\))?/g) ?? []) {
        expect(f, `migration ${version}`).toContain(engine);
        engines++;
      }
    }
    expect(engines).toBe(statements.filter((s) => s.text.startsWith('CREATE TABLE')).length);
  });

  it('would notice a statement that does not parse', async () => {
    await expect(formatted('CREATE TABLE t ON CLUSTER c (a String ENGINE = ReplicatedMergeTree')).rejects.toThrow(/Syntax error/);
  });
});
