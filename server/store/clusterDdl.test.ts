import { describe, expect, it } from 'vitest';
import { CLUSTER_PLACEMENT, ClusterDdlError, clusterStatements } from './clusterDdl.js';
import { checksumOf, migrationStatements } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';
import { schemaFor, type TableRole } from './schema.js';
import { sql } from './sql.js';

const schema = schemaFor('flowlens');
const CLUSTER = 'flowlens_cluster';
const ON = 'ON CLUSTER `flowlens_cluster`';

function migration(version: number): Migration {
  const found = MIGRATIONS.find((m) => m.version === version);
  if (!found) throw new Error(`no migration ${version}`);
  return found;
}

const rendered = (version: number, s = schema) => clusterStatements(migration(version), s, CLUSTER).map((st) => st.render().query);
const future = (statements: Migration['statements']): Migration => ({ version: 99, name: 'future', statements });
const renderFuture = (statements: Migration['statements']) => clusterStatements(future(statements), schema, CLUSTER).map((st) => st.render().query);

/** Everything every migration renders for the cluster, labelled with where it came from. */
const ALL = MIGRATIONS.flatMap((m) => clusterStatements(m, schema, CLUSTER).map((st) => ({ version: m.version, text: st.render().query })));

describe('cluster DDL: tables', () => {
  it('makes business_events a ReplicatedMergeTree per shard, keeping partitions, sort key and dedup window, under a Distributed table sharded by correlation', () => {
    const [local, distributed, ...rest] = rendered(1);

    expect(rest).toEqual([]);
    expect(local).toMatch(new RegExp(`^CREATE TABLE IF NOT EXISTS \`flowlens\`\\.\`business_events_local\` ${ON} \\(\\n\\s+event_id String CODEC\\(ZSTD\\(1\\)\\),`));
    expect(local).toContain('INDEX idx_correlation_id correlation_id TYPE bloom_filter(0.001) GRANULARITY 1\n    )\n');
    expect(local!.slice(local!.indexOf('ENGINE'))).toBe(
      [
        "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/flowlens/business_events_local', '{replica}')",
        'PARTITION BY toYYYYMMDD(occurred_at)\n    ORDER BY (flow, step, occurred_at, event_id)',
        'SETTINGS replicated_deduplication_window = 1000',
      ].join('\n'),
    );
    expect(distributed).toBe(
      `CREATE TABLE IF NOT EXISTS \`flowlens\`.\`business_events\` ${ON} AS \`flowlens\`.\`business_events_local\`\n` +
        "ENGINE = Distributed('flowlens_cluster', 'flowlens', 'business_events_local', cityHash64(correlation_id))",
    );
  });

  it('makes the key lookup a ReplicatedAggregatingMergeTree, and its view read and write the shard-local tables', () => {
    const [local, distributed, view] = rendered(2);

    expect(local!.slice(local!.indexOf('ENGINE'))).toBe(
      "ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/flowlens/business_key_lookup_local', '{replica}')\nORDER BY (key_value, key_name, correlation_id, flow)",
    );
    expect(distributed).toContain("ENGINE = Distributed('flowlens_cluster', 'flowlens', 'business_key_lookup_local', cityHash64(correlation_id))");
    expect(view).toMatch(new RegExp(`^CREATE MATERIALIZED VIEW IF NOT EXISTS \`flowlens\`\\.\`business_key_lookup_mv\` ${ON} TO \`flowlens\`\\.\`business_key_lookup_local\` AS\\nSELECT\\n`));
    expect(view).toContain('FROM `flowlens`.`business_events_local`\n    ARRAY JOIN arrayConcat(');
    expect(view).not.toMatch(/`business_events`|`business_key_lookup`/);
  });

  it('keeps a small shared table whole on every node: one Keeper path for all, replicas named by shard and replica, TTL kept, no Distributed table', () => {
    expect(rendered(15)).toEqual([
      `CREATE TABLE IF NOT EXISTS \`flowlens\`.\`session_revocations\` ${ON} (
      session_key String,
      expires_at DateTime64(3, 'UTC'),
      revoked_at DateTime64(3, 'UTC')
    )
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/flowlens/session_revocations', '{shard}-{replica}')
ORDER BY session_key
    TTL toDateTime(expires_at) + INTERVAL 1 DAY`,
    ]);
  });

  it("passes an engine's own arguments after the Keeper path and replica (ReplacingMergeTree with a version, Collapsing with a sign)", () => {
    const [events] = renderFuture((s) => [sql`CREATE TABLE IF NOT EXISTS ${s.table('events')} (correlation_id String, v UInt64) ENGINE = ReplacingMergeTree(v) ORDER BY correlation_id`]);
    const [audit] = renderFuture((s) => [sql`CREATE TABLE IF NOT EXISTS ${s.table('auditLog')} (at DateTime, sign Int8) ENGINE = VersionedCollapsingMergeTree(sign, at) ORDER BY at`]);

    expect(events).toContain("ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/flowlens/business_events_local', '{replica}', v)\nORDER BY correlation_id");
    expect(audit).toContain("ENGINE = ReplicatedVersionedCollapsingMergeTree('/clickhouse/tables/all/flowlens/audit_log', '{shard}-{replica}', sign, at)\nORDER BY at");
  });

  it('translates the dedup window of the replay tables and keeps their fsync settings', () => {
    for (const statement of rendered(11)) {
      expect(statement).toMatch(/\nSETTINGS replicated_deduplication_window = 1000, fsync_after_insert = 1, fsync_part_directory = 1$/);
    }
  });

  it('creates span tables in the span database, sharded by trace', () => {
    const statements = rendered(4, schemaFor('flowlens', { database: 'otel' }));

    expect(statements[0]).toBe(`CREATE DATABASE IF NOT EXISTS \`otel\` ${ON}`);
    expect(statements[1]).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/otel/otel_traces_local', '{replica}')");
    expect(statements[1]).toContain('SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1, replicated_deduplication_window = 1000');
    expect(statements[2]).toContain("ENGINE = Distributed('flowlens_cluster', 'otel', 'otel_traces_local', cityHash64(TraceId))");
    expect(statements[5]).toContain('TO `otel`.`otel_traces_trace_id_ts_local` AS\nSELECT');
    expect(statements[5]).toContain('FROM `otel`.`otel_traces_local`\n    WHERE TraceId');
  });

  it('gives a table only a view writes a Distributed table with no sharding key, so a direct insert is refused', () => {
    expect(rendered(7)[1]).toBe(
      `CREATE TABLE IF NOT EXISTS \`flowlens\`.\`source_freshness\` ${ON} AS \`flowlens\`.\`source_freshness_local\`\nENGINE = Distributed('flowlens_cluster', 'flowlens', 'source_freshness_local')`,
    );
  });
});

describe('cluster DDL: changes and copies', () => {
  it('drops the view, then the Distributed table, then the local tables, on every node and synchronously', () => {
    expect(rendered(9)).toEqual([
      `DROP VIEW IF EXISTS \`flowlens\`.\`flow_state_mv\` ${ON} SYNC`,
      `DROP TABLE IF EXISTS \`flowlens\`.\`flow_state\` ${ON} SYNC`,
      `DROP TABLE IF EXISTS \`flowlens\`.\`flow_state_local\` ${ON} SYNC`,
    ]);
  });

  it('adds a column on every node of a shared table, and to both forms of a sharded one (local first)', () => {
    expect(rendered(16)).toEqual([`ALTER TABLE \`flowlens\`.\`alert_notifications\` ${ON} ADD COLUMN IF NOT EXISTS stored_at DateTime64(9, 'UTC') DEFAULT now64(9)`]);
    expect(renderFuture((s) => [sql`ALTER TABLE ${s.table('events')} ADD COLUMN IF NOT EXISTS note String`])).toEqual([
      `ALTER TABLE \`flowlens\`.\`business_events_local\` ${ON} ADD COLUMN IF NOT EXISTS note String`,
      `ALTER TABLE \`flowlens\`.\`business_events\` ${ON} ADD COLUMN IF NOT EXISTS note String`,
    ]);
  });

  it('copies the backfill of migration 13 through the Distributed tables, each shard into its own table', () => {
    expect(rendered(13)[1]).toBe(`INSERT INTO \`flowlens\`.\`business_key_lookup\` (key_value, key_name, correlation_id, flow, first_at, last_at)
SETTINGS parallel_distributed_insert_select = 2
SELECT concat(sku, '@', location_id) AS key_value, 'sku_location' AS key_name, correlation_id, flow, min(occurred_at), max(occurred_at)
    FROM \`flowlens\`.\`business_events\`
    WHERE sku != '' AND location_id != ''
    GROUP BY key_value, correlation_id, flow`);
    expect(rendered(10)[3]).toMatch(/^INSERT INTO `flowlens`\.`lineage_events` \(event_id, [^)]+\)\nSETTINGS parallel_distributed_insert_select = 2\nSELECT event_id, [\s\S]+ FROM `flowlens`\.`business_events`$/);
  });
});

describe('cluster DDL: what it refuses, naming the migration and statement', () => {
  it.each<[string, Migration['statements'], RegExp]>([
    ['an engine without a replicated form', (s) => [sql`CREATE TABLE IF NOT EXISTS ${s.table('events')} (a String) ENGINE = Memory`], /engine Memory has no Replicated form/],
    ['a statement it does not know', (s) => [sql`OPTIMIZE TABLE ${s.table('events')} FINAL`], /not a statement the cluster renderer knows/],
    ['a table without a placement', (s) => [sql`CREATE TABLE IF NOT EXISTS ${s.table('keyLookupMv')} (a String) ENGINE = MergeTree ORDER BY a`], /business_key_lookup_mv` has no entry in CLUSTER_PLACEMENT/],
    ['a view placing rows off their key', (s) => [sql`CREATE MATERIALIZED VIEW IF NOT EXISTS ${s.table('lineageEventsMv')} TO ${s.table('lineageEvents')} AS SELECT * FROM ${s.table('otelTraces')}`], /otel_traces is not sharded like lineage_events/],
    ['a copy between differently sharded tables', (s) => [sql`INSERT INTO ${s.table('events')} SELECT * FROM ${s.table('otelTraces')}`], /not sharded by the same key/],
    ['a copy from sharded rows into a shared table', (s) => [sql`INSERT INTO ${s.table('auditLog')} SELECT * FROM ${s.table('events')}`], /kept on every node but is filled from sharded tables/],
    ['a non-replicated setting it cannot translate', (s) => [sql`CREATE TABLE IF NOT EXISTS ${s.table('events')} (a String) ENGINE = MergeTree ORDER BY a SETTINGS non_replicated_x = 1`], /non_replicated_x has no replicated translation/],
  ])('%s', (_, statements, reason) => {
    const twoStatements: Migration['statements'] = (s) => [sql`DROP VIEW IF EXISTS ${s.table('flowStateMv')}`, ...statements(s)];

    const error = (() => {
      try {
        renderFuture(twoStatements);
      } catch (err) {
        return err;
      }
      throw new Error('expected the renderer to refuse');
    })();

    expect(error).toBeInstanceOf(ClusterDdlError);
    expect((error as Error).message).toMatch(/^migration 99 \(future\), statement 2 has no cluster form: /);
    expect((error as Error).message).toMatch(reason);
  });
});

describe('cluster DDL: every migration', () => {
  /** The inventory snapshot: a cache each server rebuilds and swaps on its own node, so a plain table on every node. */
  const EACH_NODE = ['inventory_movements', 'inventory_lag_minutes'];
  const isEachNode = (text: string) => EACH_NODE.some((name) => text.startsWith(`CREATE TABLE IF NOT EXISTS \`flowlens\`.\`${name}\``));
  const creates = ALL.filter((s) => s.text.startsWith('CREATE TABLE') && !s.text.includes('ENGINE = Distributed') && !isEachNode(s.text));

  it('creates the snapshot tables plain on every node, as on one node but ON CLUSTER, so a refresh can copy and swap them there', () => {
    const snapshot = ALL.filter((s) => isEachNode(s.text));
    expect(snapshot.map((s) => /`(\w+)` ON CLUSTER/.exec(s.text)?.[1])).toEqual(EACH_NODE);
    for (const { text } of snapshot) {
      expect(text).toMatch(/\n\s*ENGINE = (Replacing)?MergeTree\b/);
      expect(text).not.toContain('Replicated');
    }
    const single = MIGRATIONS.flatMap((m) => m.statements(schema).map((st) => st.render().query.trim())).filter((q) => EACH_NODE.some((name) => q.startsWith(`CREATE TABLE IF NOT EXISTS \`flowlens\`.\`${name}\``)));
    expect(snapshot.map((s) => s.text.replace(` ${ON}`, ''))).toEqual(single);
  });

  const distributed = ALL.filter((s) => s.text.includes('ENGINE = Distributed'));

  it('runs every statement on the whole cluster', () => {
    for (const { version, text } of ALL) {
      if (text.startsWith('INSERT')) expect(text, `migration ${version}`).toContain('SETTINGS parallel_distributed_insert_select = 2');
      else expect(text, `migration ${version}`).toContain(` ${ON}`);
    }
  });

  it('creates every table Replicated with the shard and replica macros, each at its own Keeper path', () => {
    const paths = creates.map(({ version, text }) => {
      const engine = /\nENGINE = Replicated(?:|Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing)MergeTree\('([^']+)', '([^']+)'/.exec(text);
      expect(engine, `migration ${version}: ${text.slice(0, 80)}`).not.toBeNull();
      const [, keeperPath, replica] = engine!;
      expect(replica).toContain('{replica}');
      expect(`${keeperPath} ${replica}`).toContain('{shard}');
      return keeperPath;
    });
    expect(creates.length).toBeGreaterThan(15);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('puts a Distributed table over every local table, sharded by a function of the row', () => {
    const locals = creates.map((s) => /^CREATE TABLE IF NOT EXISTS `\w+`\.`(\w+)`/.exec(s.text)![1]!).filter((name) => name.endsWith('_local'));
    const over = distributed.map((s) => /ENGINE = Distributed\('flowlens_cluster', '\w+', '(\w+)'(?:, (.+))?\)$/.exec(s.text));

    expect(over.map((m) => m?.[1]).sort()).toEqual([...locals].sort());
    for (const m of over) expect(m?.[2] ?? 'none').not.toMatch(/rand/);
    for (const { text } of distributed) {
      const [, name, local] = /^CREATE TABLE IF NOT EXISTS `\w+`\.`(\w+)` ON CLUSTER `\w+` AS `\w+`\.`(\w+)`/.exec(text)!;
      expect(local).toBe(`${name}_local`);
    }
  });

  it('has every view read and write shard-local tables', () => {
    const views = ALL.filter((s) => s.text.startsWith('CREATE MATERIALIZED VIEW'));
    const singleNodeViews = MIGRATIONS.flatMap((m) => m.statements(schema)).filter((st) => st.render().query.trim().startsWith('CREATE MATERIALIZED VIEW'));
    expect(views.length).toBe(singleNodeViews.length);
    expect(views.length).toBeGreaterThan(0);
    for (const { version, text } of views) {
      const tables = [...text.matchAll(/`\w+`\.`(\w+)`/g)].map((m) => m[1]!).slice(1);
      expect(tables.length, `migration ${version}`).toBeGreaterThanOrEqual(2);
      for (const table of tables) expect(table, `migration ${version}`).toMatch(/_local$/);
    }
  });

  it('leaves no non-replicated setting behind', () => {
    for (const { text } of ALL) expect(text).not.toContain('non_replicated_');
  });

  it('has a placement for every table a migration creates, and none for tables no migration creates', () => {
    const created = new Set(ALL.filter((s) => s.text.startsWith('CREATE TABLE') && !s.text.includes('ENGINE = Distributed')).map((s) => /^CREATE TABLE IF NOT EXISTS `\w+`\.`(\w+?)(?:_local)?`/.exec(s.text)![1]));
    const placed = (Object.keys(CLUSTER_PLACEMENT) as TableRole[]).filter((r) => r !== 'migrations').map((role) => schema.table(role).render().query.split('`')[3]);

    expect([...created].sort()).toEqual([...placed].sort());
  });
});

describe('single-node rendering', () => {
  /** What every store made before cluster support recorded; a change here would warn "migration changed" on each. */
  const RECORDED: Record<number, string> = {
    1: '92fc558c526ee91e', 2: 'cfe0688ad6780d81', 3: 'fa6dc4a38b77ff16', 4: '7a04ed72500b821e', 5: '5dba29f6fffe011a', 6: '7b8465ff3a7fa3d2',
    7: 'e653a9970a8eabaa', 8: '7c6eb2f0c968e8d7', 9: '7faace68bbbef7c7', 10: '3e8f317daa67656c', 11: 'f8c7217fc0184db1', 12: '7aa5e623974a19de',
    13: 'a69db94f288e55c9', 14: 'a87727948a535f71', 15: '9c258de3e83527b4', 16: '37ad1d741ae4236f', 17: '4ee49690c36d35b7',
  };

  it('is what the migration files say, with the checksums existing stores recorded', () => {
    const checksums = Object.fromEntries(MIGRATIONS.map((m) => [m.version, checksumOf(migrationStatements(m, schema))]));

    expect(checksums).toEqual(RECORDED);
    for (const m of MIGRATIONS) expect(migrationStatements(m, schema)).toEqual(m.statements(schema));
  });

  it('differs from the cluster rendering, which a cluster store records instead', () => {
    for (const m of MIGRATIONS) expect(checksumOf(migrationStatements(m, schema, { cluster: CLUSTER }))).not.toBe(RECORDED[m.version]);
  });
});
