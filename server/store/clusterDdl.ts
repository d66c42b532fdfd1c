import type { Migration } from './migrations/migration.js';
import { TABLE_NAMES, type Schema, type TableRole } from './schema.js';
import { unsafeRawSql, type Sql } from './sql.js';

/**
 * Cluster DDL rendered from the same migration files (issue 8): each statement a migration renders for one node
 * is rewritten for a cluster — `ON CLUSTER`, Replicated engines with the `{shard}`/`{replica}` macros, Distributed
 * tables over them, materialized views from and to the local tables. Statements it does not understand are
 * refused, naming the migration, so a new migration cannot silently lack its cluster form.
 * Single-node rendering never passes through here: a store's recorded checksums stay what they were.
 */

/** Where a table's rows live on a cluster, and why (the reads that must see a key's rows together). */
export type ClusterPlacement =
  /**
   * `<name>_local` on every shard (Replicated among the shard's replicas) under a Distributed table named as on one
   * node, so reads and `insertTarget` are unchanged. `shardingKey` must be a function of the row (never rand()):
   * deduplication is per shard, so a retried batch must split across shards exactly as the first try did.
   * `null`: only a view on a local table writes it, and an insert through the Distributed table is refused.
   */
  | { kind: 'sharded'; shardingKey: string | null; why: string }
  /**
   * Small tables written at human or claim rates: one Replicated table of the usual name with every node of the
   * cluster a replica (one Keeper path without `{shard}`), read and written where the server connects — no
   * fan-out to every shard, and it survives a shard's loss.
   */
  | { kind: 'everyNode'; why: string }
  /**
   * A cache each server rebuilds on the node it connects to: a plain (not replicated) table of the usual name on
   * every node. A refresh builds a copy beside it and swaps it in with EXCHANGE TABLES on that node; a replicated
   * table could not be copied that way (`CREATE TABLE … AS` would reuse its Keeper path).
   */
  | { kind: 'eachNode'; why: string };

const BY_CORRELATION = 'cityHash64(correlation_id)';
const BY_TRACE = 'cityHash64(TraceId)';
const CORRELATION_WHY = "written by a view on business_events_local, so rows sit on their correlation's shard";

/** Every table role a migration creates. Views (`…Mv`) have no placement: they live beside their source. */
export const CLUSTER_PLACEMENT: Partial<Record<TableRole, ClusterPlacement>> = {
  events: {
    kind: 'sharded',
    shardingKey: BY_CORRELATION,
    why: "a transaction's events on one shard: lineage reads a correlation on one shard, a re-sent event (same correlation) lands beside its first copy for LIMIT 1 BY event_id, and the views below aggregate per correlation locally",
  },
  keyLookup: { kind: 'sharded', shardingKey: BY_CORRELATION, why: `${CORRELATION_WHY}; the same key keeps migration 13's backfill shard-local` },
  flowState: { kind: 'sharded', shardingKey: BY_CORRELATION, why: CORRELATION_WHY },
  flowMilestones: { kind: 'sharded', shardingKey: BY_CORRELATION, why: `${CORRELATION_WHY}: a correlation's hours merge on one shard` },
  stepFailures: { kind: 'sharded', shardingKey: BY_CORRELATION, why: `${CORRELATION_WHY}, beside the milestones that close a failure` },
  lineageEvents: { kind: 'sharded', shardingKey: BY_CORRELATION, why: `${CORRELATION_WHY}: a lineage walk reads one correlation on one shard` },
  sourceFreshness: {
    kind: 'sharded',
    shardingKey: null,
    why: 'written only by its view on business_events_local: each shard keeps a row per system and hour, merged by max() on read',
  },
  otelTraces: { kind: 'sharded', shardingKey: BY_TRACE, why: "a trace's spans on one shard, so a trace is read from one shard" },
  otelTracesTraceIdTs: { kind: 'sharded', shardingKey: BY_TRACE, why: "written by a view on otel_traces_local, so on its trace's shard" },
  migrations: { kind: 'everyNode', why: 'a handful of rows every server reads at start' },
  exceptionActions: { kind: 'everyNode', why: 'workflow rows people write, read per exception' },
  replayJobs: { kind: 'everyNode', why: 'replay jobs: read by every server right after one writes them' },
  replayJobItems: { kind: 'everyNode', why: "a job's fixed list of events, read with the job" },
  replayItemTransitions: { kind: 'everyNode', why: 'replay claims: the latest row per (event, target) decides who sends' },
  replayJobLeases: { kind: 'everyNode', why: 'which server runs a replay job: taken, renewed every few seconds, released' },
  inventoryMovements: { kind: 'eachNode', why: 'a snapshot of a day of movements, rebuilt from flow_milestones by each server on its node and swapped in whole' },
  inventoryLagMinutes: { kind: 'eachNode', why: 'the same snapshot, 1,440 rows per target and day' },
  alertTransitions: { kind: 'everyNode', why: 'alert state, derived from every transition of an alert' },
  alertNotifications: { kind: 'everyNode', why: 'notification claims: the first stored claim sends' },
  alertMutes: { kind: 'everyNode', why: 'mutes, read whole by the notifier' },
  auditLog: { kind: 'everyNode', why: 'one row per mutating request, at human rates' },
  sessionRevocations: { kind: 'everyNode', why: 'read every few seconds by every server' },
};

/**
 * Session settings of a cluster store's connections (set once on the client, so every insert has them):
 * - `insert_distributed_sync` (now `distributed_foreground_insert`, the old name still an alias): an insert through
 *   a Distributed table returns only once every row is on its shard — otherwise the initiator queues it on its own
 *   disk and acknowledges first, and a batched background send may not deduplicate a retry
 *   (clickhouse.com/docs/reference/settings/session-settings/distributed; ClickHouse issue #76405).
 *   The `insert_deduplication_token` an insert carries goes with each shard's part: replicated tables deduplicate by
 *   default (`replicated_deduplication_window`, the translation of `non_replicated_deduplication_window` below),
 *   per shard (ClickHouse issue #28539) — hence sharding keys that are functions of the row.
 * - `deduplicate_blocks_in_dependent_materialized_views`: a retry after a failure in a view is deduplicated in each
 *   view's table too, for exactly-once delivery to the source and its views
 *   (clickhouse.com/docs/reference/settings/session-settings/materialized-views, materialized_views_ignore_errors).
 * - `distributed_product_mode = 'global'`: queries on a Distributed table filter with `IN (SELECT …)` over another
 *   (exceptions, replays); the default 'deny' refuses those ("Double-distributed IN/JOIN subqueries is denied"),
 *   'global' runs the subquery once and ships its result to the shards — right whatever the tables' sharding.
 */
export const CLUSTER_SESSION_SETTINGS = {
  insert_distributed_sync: 1,
  deduplicate_blocks_in_dependent_materialized_views: 1,
  distributed_product_mode: 'global',
} as const;

/** A migration statement this renderer cannot give a cluster form; names the migration and statement. */
export class ClusterDdlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterDdlError';
  }
}

/** The statements of `migration` for `cluster`, in order (one statement may become two: local and Distributed). */
export function clusterStatements(migration: Migration, schema: Schema, cluster: string): Sql[] {
  const tables = new ClusterTables(schema, cluster);
  return migration.statements(schema).flatMap((statement, i) => {
    const { query, query_params } = statement.render();
    const where = `migration ${migration.version} (${migration.name}), statement ${i + 1}`;
    try {
      if (Object.keys(query_params).length > 0) throw new Error('has parameters; migration DDL is plain text');
      return renderStatement(query.trim(), tables).map(unsafeRawSql);
    } catch (err) {
      const text = query.trim().replace(/\s+/g, ' ');
      throw new ClusterDdlError(`${where} has no cluster form: ${(err as Error).message} (in: ${text.slice(0, 120)}${text.length > 120 ? '…' : ''})`);
    }
  });
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
/** A qualified name as quoteIdentifier renders it: `db`.`name`. */
const IDENT = `\`${NAME}\`\\.\`${NAME}\``;
const LOCAL_SUFFIX = '_local';

type Table = { role: TableRole; db: string; name: string; placement: ClusterPlacement | undefined };

class ClusterTables {
  private readonly byIdent = new Map<string, Table>();
  readonly on: string;

  constructor(
    schema: Schema,
    readonly cluster: string,
  ) {
    if (!new RegExp(`^${NAME}$`).test(cluster)) throw new ClusterDdlError(`not a plain cluster name: ${JSON.stringify(cluster)}`);
    this.on = `ON CLUSTER \`${cluster}\``;
    for (const role of Object.keys(TABLE_NAMES) as TableRole[]) {
      const ident = schema.table(role).render().query;
      const [, db, name] = /^`(.+)`\.`(.+)`$/.exec(ident)!;
      this.byIdent.set(ident, { role, db: db!, name: name!, placement: CLUSTER_PLACEMENT[role] });
    }
  }

  get(ident: string): Table {
    const table = this.byIdent.get(ident);
    if (!table) throw new Error(`${ident} is not in the schema map`);
    return table;
  }

  /** A table the statement creates or writes: it must have a placement. */
  placed(ident: string): Table & { placement: ClusterPlacement } {
    const table = this.get(ident);
    if (!table.placement) throw new Error(`${ident} has no entry in CLUSTER_PLACEMENT (server/store/clusterDdl.ts)`);
    return table as Table & { placement: ClusterPlacement };
  }

  /** The name a shard's own rows go by: `<name>_local` for a sharded table, the table itself otherwise. */
  local(table: Table): string {
    return table.placement?.kind === 'sharded' ? `\`${table.db}\`.\`${table.name}${LOCAL_SUFFIX}\`` : `\`${table.db}\`.\`${table.name}\``;
  }
}

type Rule = { pattern: RegExp; render: (m: RegExpExecArray, text: string, t: ClusterTables) => string[] };

const RULES: Rule[] = [
  { pattern: new RegExp(`^CREATE DATABASE IF NOT EXISTS (\`${NAME}\`)$`), render: (m, _, t) => [`CREATE DATABASE IF NOT EXISTS ${m[1]} ${t.on}`] },
  { pattern: new RegExp(`^CREATE TABLE IF NOT EXISTS (${IDENT})\\s*\\(`), render: (m, text, t) => createTable(t.placed(m[1]!), text, m[0].length - 1, t) },
  { pattern: new RegExp(`^CREATE MATERIALIZED VIEW IF NOT EXISTS (${IDENT}) TO (${IDENT}) AS\\s+(SELECT\\b[\\s\\S]*)$`), render: (m, _, t) => materializedView(m[1]!, t.placed(m[2]!), m[3]!, t) },
  { pattern: new RegExp(`^DROP VIEW IF EXISTS (${IDENT})$`), render: (m, _, t) => dropView(m[1]!, t) },
  { pattern: new RegExp(`^DROP TABLE IF EXISTS (${IDENT})$`), render: (m, _, t) => bothForms(t.placed(m[1]!), t).map((ident) => `DROP TABLE IF EXISTS ${ident} ${t.on} SYNC`) },
  { pattern: new RegExp(`^ALTER TABLE (${IDENT})\\s+(ADD COLUMN\\b[\\s\\S]*)$`), render: (m, _, t) => bothForms(t.placed(m[1]!), t, true).map((ident) => `ALTER TABLE ${ident} ${t.on} ${m[2]}`) },
  { pattern: new RegExp(`^INSERT INTO (${IDENT})\\s*(\\([^()]*\\))?\\s*(SELECT\\b[\\s\\S]*)$`), render: (m, _, t) => backfill(t.placed(m[1]!), m[2] ?? '', m[3]!, t) },
];

function renderStatement(text: string, t: ClusterTables): string[] {
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (m) return rule.render(m, text, t);
  }
  throw new Error(
    'not a statement the cluster renderer knows (CREATE DATABASE | TABLE | MATERIALIZED VIEW … IF NOT EXISTS, DROP VIEW | TABLE IF EXISTS, ALTER TABLE … ADD COLUMN, INSERT INTO … SELECT); teach server/store/clusterDdl.ts its cluster form',
  );
}

/** `MergeTree` family engines and their replicated names; their own arguments follow the Keeper path and replica. */
const MERGE_TREE = /^(|Replacing|Aggregating|Summing|Collapsing|VersionedCollapsing|Graphite)MergeTree$/;

/** Table settings with a non-replicated meaning, and their replicated counterparts. */
const REPLICATED_SETTING: Record<string, string> = { non_replicated_deduplication_window: 'replicated_deduplication_window' };

function createTable(table: Table & { placement: ClusterPlacement }, text: string, open: number, t: ClusterTables): string[] {
  const close = matchingParen(text, open);
  const columns = text.slice(open, close + 1);
  const engineAt = /^\s*ENGINE\s*=\s*(\w+)/.exec(text.slice(close + 1));
  if (!engineAt) throw new Error('no ENGINE after the column list');
  const engine = engineAt[1]!;
  if (table.placement.kind === 'eachNode') return [`CREATE TABLE IF NOT EXISTS ${t.local(table)} ${t.on} ${text.slice(open)}`];
  const family = MERGE_TREE.exec(engine);
  if (!family) throw new Error(`engine ${engine} has no Replicated form`);
  let rest = text.slice(close + 1 + engineAt[0].length);
  let args: string[] = [];
  if (rest.startsWith('(')) {
    const end = matchingParen(rest, 0);
    const inner = rest.slice(1, end).trim();
    args = inner === '' ? [] : [inner];
    rest = rest.slice(end + 1);
  }
  const { clauses, settings } = splitSettings(rest.trim());
  const sharded = table.placement.kind === 'sharded';
  const local = t.local(table);
  // One Keeper path per table: per shard for a sharded table, one for all nodes otherwise (replica names then
  // carry the shard, so two shards' replicas never share a name).
  const keeperPath = sharded ? `/clickhouse/tables/{shard}/${table.db}/${table.name}${LOCAL_SUFFIX}` : `/clickhouse/tables/all/${table.db}/${table.name}`;
  const replica = sharded ? '{replica}' : '{shard}-{replica}';
  const replicated = `Replicated${family[1]}MergeTree(${[`'${keeperPath}'`, `'${replica}'`, ...args].join(', ')})`;
  const create = [`CREATE TABLE IF NOT EXISTS ${local} ${t.on} ${columns}`, `ENGINE = ${replicated}`, clauses, settings].filter((s) => s !== '').join('\n');
  if (table.placement.kind !== 'sharded') return [create];
  const key = table.placement.shardingKey === null ? '' : `, ${table.placement.shardingKey}`;
  const distributed = `CREATE TABLE IF NOT EXISTS \`${table.db}\`.\`${table.name}\` ${t.on} AS ${local}\nENGINE = Distributed('${t.cluster}', '${table.db}', '${table.name}${LOCAL_SUFFIX}'${key})`;
  return [create, distributed];
}

/** `SETTINGS a = 1, b = 2` at the end of a CREATE TABLE, with non-replicated settings translated. */
function splitSettings(text: string): { clauses: string; settings: string } {
  const parts = text.split(/\bSETTINGS\b/);
  if (parts.length > 2) throw new Error('more than one SETTINGS clause');
  if (parts.length === 1) return { clauses: text, settings: '' };
  const settings = parts[1]!.split(',').map((entry) => {
    const m = /^\s*(\w+)\s*=\s*(.+?)\s*$/s.exec(entry);
    if (!m) throw new Error(`cannot read the table setting ${JSON.stringify(entry.trim())}`);
    const [, name, value] = m;
    if (name! in REPLICATED_SETTING) return `${REPLICATED_SETTING[name!]} = ${value}`;
    if (name!.startsWith('non_replicated_')) throw new Error(`table setting ${name} has no replicated translation`);
    return `${name} = ${value}`;
  });
  return { clauses: parts[0]!.trim(), settings: `SETTINGS ${settings.join(', ')}` };
}

/**
 * A view on each node, reading the shard's own rows of its source and writing the shard's own table: rows a
 * Distributed insert puts on a shard are aggregated there. A view whose target has a sharding key must read a
 * source sharded by the same key, or its rows would sit where the key says they do not.
 */
function materializedView(view: string, target: Table & { placement: ClusterPlacement }, select: string, t: ClusterTables): string[] {
  if (t.get(view).placement) throw new Error(`${view} is a table, not a view`);
  const sources = readTables(select, t);
  if (sources.length === 0) throw new Error('the view reads no table of the schema map');
  if (target.placement.kind === 'sharded' && target.placement.shardingKey !== null) {
    for (const source of sources) {
      const key = source.placement?.kind === 'sharded' ? source.placement.shardingKey : undefined;
      if (key !== target.placement.shardingKey) throw new Error(`${source.name} is not sharded like ${target.name} (${target.placement.shardingKey})`);
    }
  }
  return [`CREATE MATERIALIZED VIEW IF NOT EXISTS ${view} ${t.on} TO ${t.local(target)} AS\n${select.replace(new RegExp(IDENT, 'g'), (ident) => t.local(t.get(ident)))}`];
}

function dropView(ident: string, t: ClusterTables): string[] {
  if (t.get(ident).placement) throw new Error(`${ident} is a table, not a view`);
  return [`DROP VIEW IF EXISTS ${ident} ${t.on} SYNC`];
}

/** A sharded table's two forms (Distributed first to drop, local first to alter), or the every-node table. */
function bothForms(table: Table, t: ClusterTables, localFirst = false): string[] {
  if (table.placement?.kind !== 'sharded') return [t.local(table)];
  const forms = [`\`${table.db}\`.\`${table.name}\``, t.local(table)];
  return localFirst ? forms.reverse() : forms;
}

/**
 * A backfill (INSERT … SELECT) goes through the Distributed tables, with `parallel_distributed_insert_select = 2`:
 * each shard copies its own rows into its own table (no row crosses the network), which is right only when the
 * source and the target are sharded by the same key — so that is required. Every-node tables copy in place.
 */
function backfill(target: Table & { placement: ClusterPlacement }, columns: string, select: string, t: ClusterTables): string[] {
  const sources = readTables(select, t);
  const into = `\`${target.db}\`.\`${target.name}\``;
  const head = `INSERT INTO ${into}${columns === '' ? '' : ` ${columns}`}`;
  if (target.placement.kind === 'eachNode') throw new Error(`${target.name} is a cache each server rebuilds on its own node; no migration fills it`);
  if (target.placement.kind === 'everyNode') {
    if (sources.some((s) => s.placement?.kind !== 'everyNode')) throw new Error(`${target.name} is kept on every node but is filled from sharded tables`);
    return [`${head} ${select}`];
  }
  for (const source of sources) {
    const key = source.placement?.kind === 'sharded' ? source.placement.shardingKey : undefined;
    if (key === undefined || key === null || key !== target.placement.shardingKey) throw new Error(`${source.name} and ${target.name} are not sharded by the same key, so the copy cannot stay on each shard`);
  }
  return [`${head}\nSETTINGS parallel_distributed_insert_select = 2\n${select}`];
}

function readTables(select: string, t: ClusterTables): Table[] {
  return [...select.matchAll(new RegExp(IDENT, 'g'))].map((m) => t.get(m[0]));
}

/** Index of the `)` closing the `(` at `open`, skipping quoted text. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '`' || c === '"') {
      i = closingQuote(text, i);
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error('unbalanced parentheses');
}

function closingQuote(text: string, at: number): number {
  const quote = text[at];
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  throw new Error('unterminated quoted text');
}
