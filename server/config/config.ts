import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AUTH_SCHEMAS } from '../auth/authSettings.js';
import { replayFourEyesFlowsSchema, replayTargetsSchema, type ConfigEnv } from './replayTargets.js';
import { accountList, flag, currencyTolerances, identifier, logLevel, port, positiveInt, secretList, tokenList, traceUrl, url, wholeNumber } from './settingValues.js';

/**
 * The one config module: parsed once at boot with zod, defaults < optional JSON config file < environment.
 * Nothing else in Flowlens reads process.env. Every setting is listed once in SETTINGS, which also feeds
 * docs/configuration.md, so a setting cannot exist without its documentation.
 */

/** A schema, or one built from the environment for a setting whose values refer to other variables (`${NAME}`). */
type SettingSchema = z.ZodType | ((env: ConfigEnv) => z.ZodType);
type Setting = { env: string; file: string; schema: SettingSchema; default?: unknown; doc: string; secret?: boolean };

export const SETTINGS = {
  port: { env: 'FLOWLENS_PORT', file: 'port', schema: port, default: 8080, doc: 'HTTP port of the API, dashboard and socket.io.' },
  host: { env: 'FLOWLENS_HOST', file: 'host', schema: z.string().min(1), default: '127.0.0.1', doc: 'Interface to listen on; 0.0.0.0 to accept remote clients.' },
  // Access control (issue 7): users.ts checks each user at start and whenever the users file changes.
  usersFile: { env: 'FLOWLENS_USERS_FILE', file: 'auth.usersFile', schema: AUTH_SCHEMAS.usersFile, doc: 'YAML or JSON file of the people who can sign in: `users:` a list of `{ name, role, password_hash }`, role `viewer` (reads), `operator` (also replays, acknowledges, assigns, resolves, mutes) or `admin` (also the audit trail and configuration); make each hash with `npm run -s hash-password`. Read again when it changes: a removed user or a changed role ends that user\'s sessions at their next request. Use it or FLOWLENS_USERS, not both.' },
  users: { env: 'FLOWLENS_USERS', file: 'auth.users', schema: AUTH_SCHEMAS.users, default: [], secret: true, doc: 'The people who can sign in, as the users file\'s `users` list (JSON in the environment, a list under `auth.users` in the config file). No users and no API tokens: nothing but health and the sign-in page answers, except that `npm start` makes demo users and prints their passwords.' },
  apiTokens: { env: 'FLOWLENS_API_TOKENS', file: 'auth.apiTokens', schema: AUTH_SCHEMAS.apiTokens, default: [], secret: true, doc: 'API tokens for automation, comma-separated `<token>:<role>` (role `viewer`, `operator` or `admin`; each token ≥ 24 characters), sent as `Authorization: Bearer <token>`. Kept in memory as SHA-256 digests; the audit trail names a token by a short fingerprint (`token:1a2b3c4d5e6f`), never the token.' },
  sessionSecret: { env: 'FLOWLENS_SESSION_SECRET', file: 'auth.sessionSecret', schema: AUTH_SCHEMAS.sessionSecret, secret: true, doc: 'Key that signs session cookies (HMAC-SHA256). Unset: a random one is made once and kept in `<FLOWLENS_DATA_DIR>/session-secret` (mode 0600), so sessions survive a restart. Set the same value on every server behind one address. Changing it signs everyone out.' },
  sessionTtlMs: { env: 'FLOWLENS_SESSION_TTL_MS', file: 'auth.sessionTtlMs', schema: AUTH_SCHEMAS.sessionTtlMs, default: 12 * 3_600_000, doc: 'How long, in milliseconds, a sign-in lasts; lowering it also shortens sessions already given out.' },
  trustProxy: { env: 'FLOWLENS_TRUST_PROXY', file: 'trustProxy', schema: AUTH_SCHEMAS.trustProxy, default: false, doc: 'Whether Flowlens sits behind one reverse proxy that terminates TLS: then the last `X-Forwarded-For` address is the client (sign-in limits, the audit trail\'s "from") and `X-Forwarded-Proto: https` marks cookies `Secure`. Off: both headers are ignored, as anyone can send them.' },
  dataDir: {
    env: 'FLOWLENS_DATA_DIR',
    file: 'dataDir',
    schema: z.string().min(1),
    default: './data',
    doc: 'Folder of the embedded ClickHouse engine (when CLICKHOUSE_URL is unset) and of the ingest spool.',
  },
  clickhouseUrl: {
    env: 'CLICKHOUSE_URL',
    file: 'clickhouse.url',
    schema: url.optional(),
    doc: 'ClickHouse server HTTP(S) URL. Unset: embedded ClickHouse (chDB) in FLOWLENS_DATA_DIR.',
  },
  clickhouseUser: { env: 'CLICKHOUSE_USER', file: 'clickhouse.user', schema: z.string(), default: 'default', doc: 'ClickHouse user (server mode).' },
  clickhousePassword: {
    env: 'CLICKHOUSE_PASSWORD',
    file: 'clickhouse.password',
    schema: z.string(),
    default: '',
    secret: true,
    doc: 'ClickHouse password (server mode).',
  },
  clickhouseDatabase: {
    env: 'CLICKHOUSE_DATABASE',
    file: 'clickhouse.database',
    schema: identifier,
    default: 'flowlens',
    doc: 'Database holding Flowlens tables; created by the migrations.',
  },
  clickhouseCluster: {
    env: 'CLICKHOUSE_CLUSTER',
    file: 'clickhouse.cluster',
    schema: identifier.optional(),
    doc: 'Name of the cluster in the ClickHouse servers\' `remote_servers` (needs CLICKHOUSE_URL). Set: the migrations create every table `ON CLUSTER`, as a Replicated table on each shard (`<name>_local`, with the `{shard}` and `{replica}` macros) under a Distributed table of the usual name, and inserts wait until each row is on its shard. Unset: one server (or embedded).',
  },
  otelDatabase: {
    env: 'FLOWLENS_OTEL_DATABASE',
    file: 'otel.database',
    schema: identifier.optional(),
    doc: 'Database of the span tables (`otel_traces` and its trace-id lookup, in the OpenTelemetry Collector ClickHouse exporter\'s layout). Unset: CLICKHOUSE_DATABASE. Set it (e.g. `otel`) to share the tables an existing exporter writes.',
  },
  otelTracesTable: {
    env: 'FLOWLENS_OTEL_TRACES_TABLE',
    file: 'otel.tracesTable',
    schema: identifier,
    default: 'otel_traces',
    doc: 'Name of the spans table; its lookup is `<name>_trace_id_ts`, as the exporter names it.',
  },
  otlpPort: {
    env: 'FLOWLENS_OTLP_PORT',
    file: 'otlp.port',
    schema: port,
    default: 4318,
    doc: 'Port of the OTLP/HTTP receiver (`POST /v1/traces`, `POST /v1/logs`), on FLOWLENS_HOST.',
  },
  otlpMaxBodyBytes: {
    env: 'FLOWLENS_OTLP_MAX_BODY_BYTES',
    file: 'otlp.maxBodyBytes',
    schema: positiveInt,
    default: 20 * 1024 * 1024,
    doc: 'Largest accepted OTLP request body, counted after decompression; larger bodies get 413.',
  },
  otlpRequireIngestKey: {
    env: 'FLOWLENS_OTLP_REQUIRE_INGEST_KEY',
    file: 'otlp.requireIngestKey',
    schema: flag,
    default: false,
    doc: 'Whether OTLP requests must carry an ingest key (`Authorization: Bearer <key>`, the exporter\'s `headers` setting); otherwise 401. Off: the OTLP port takes spans from whoever reaches it, so keep it on loopback or a private network (FLOWLENS_HOST).',
  },
  ingestTokens: {
    env: 'FLOWLENS_INGEST_TOKENS',
    file: 'ingest.tokens',
    schema: tokenList,
    default: [],
    secret: true,
    doc: 'Comma-separated ingest keys: bearer tokens (each ≥ 16 characters) allowed to write, never to read; give each source its own as `name:token` (e.g. `pos:…,erp:…`) so `/metrics` and logs tell them apart and one can be revoked alone. Empty: ingest refuses every request, except that `npm start` makes a `demo` key and prints it.',
  },
  ingestMaxBodyBytes: {
    env: 'FLOWLENS_INGEST_MAX_BODY_BYTES',
    file: 'ingest.maxBodyBytes',
    schema: positiveInt,
    default: 16 * 1024 * 1024,
    doc: 'Largest accepted request body, in bytes; larger bodies get 413.',
  },
  ingestMaxPendingRows: {
    env: 'FLOWLENS_INGEST_MAX_PENDING_ROWS',
    file: 'ingest.maxPendingRows',
    schema: positiveInt,
    default: 200_000,
    doc: 'Rows accepted but not yet loaded into ClickHouse (queued for the spool, or acknowledged and waiting in it while ClickHouse answers), per table, past which new requests get 429 with Retry-After. Bounds how far the dashboards can fall behind ingest.',
  },
  ingestMaxBatchRows: {
    env: 'FLOWLENS_INGEST_MAX_BATCH_ROWS',
    file: 'ingest.maxBatchRows',
    schema: positiveInt,
    default: 50_000,
    doc: 'Most rows written to one spool file (concurrent requests are written, fsync\'d and answered together).',
  },
  ingestMaxLoadRows: {
    env: 'FLOWLENS_INGEST_MAX_LOAD_ROWS',
    file: 'ingest.maxLoadRows',
    schema: positiveInt,
    default: 200_000,
    doc: 'Most rows loaded into ClickHouse in one insert: spool files waiting to be loaded are loaded together up to this many rows.',
  },
  spoolMaxBytes: {
    env: 'FLOWLENS_SPOOL_MAX_BYTES',
    file: 'ingest.spoolMaxBytes',
    schema: positiveInt,
    default: 1024 ** 3,
    doc: 'Bytes of acknowledged batches waiting in the spool (in the data folder) to be loaded, per table; past it — typically while ClickHouse is unavailable — senders get 503 with Retry-After.',
  },
  shopifyWebhookSecrets: {
    env: 'FLOWLENS_SHOPIFY_WEBHOOK_SECRETS',
    file: 'webhooks.shopifySecrets',
    schema: secretList,
    default: [],
    secret: true,
    doc: 'Comma-separated Shopify app secrets for `POST /webhooks/shopify` (several during a rotation). Empty: the route answers 503 not_configured.',
  },
  stripeWebhookSecrets: {
    env: 'FLOWLENS_STRIPE_WEBHOOK_SECRETS',
    file: 'webhooks.stripeSecrets',
    schema: secretList,
    default: [],
    secret: true,
    doc: 'Comma-separated Stripe endpoint signing secrets (`whsec_…`) for `POST /webhooks/stripe`.',
  },
  standardWebhookSecrets: {
    env: 'FLOWLENS_STANDARD_WEBHOOK_SECRETS',
    file: 'webhooks.standardSecrets',
    schema: secretList,
    default: [],
    secret: true,
    doc: 'Comma-separated Standard Webhooks secrets (`whsec_<base64>`) for `POST /webhooks/standard`.',
  },
  webhookToleranceSeconds: {
    env: 'FLOWLENS_WEBHOOK_TOLERANCE_SECONDS',
    file: 'webhooks.toleranceSeconds',
    schema: positiveInt,
    default: 300,
    doc: 'Largest difference between a signed webhook timestamp (Stripe, Standard Webhooks) and now; older or newer deliveries get 401.',
  },
  webhookMaxBodyBytes: {
    env: 'FLOWLENS_WEBHOOK_MAX_BODY_BYTES',
    file: 'webhooks.maxBodyBytes',
    schema: positiveInt,
    default: 1024 * 1024,
    doc: 'Largest accepted webhook body, in bytes; larger bodies get 413.',
  },
  inboxDir: {
    env: 'FLOWLENS_INBOX_DIR',
    file: 'inbox.dir',
    schema: z.string().min(1).optional(),
    doc: 'Folder watched for settlement, POS and journal files (`<dir>/settlement/`, `<dir>/pos/`, `<dir>/journal/`); processed files move to `<dir>/processed/` with a report. Unset: no inbox.',
  },
  inboxPollMs: {
    env: 'FLOWLENS_INBOX_POLL_MS',
    file: 'inbox.pollMs',
    schema: positiveInt,
    default: 2000,
    doc: 'How often the inbox folder is scanned, in milliseconds.',
  },
  dashboardsDir: {
    env: 'FLOWLENS_DASHBOARDS_DIR',
    file: 'dashboardsDir',
    schema: z.string().min(1),
    default: 'dashboards',
    doc: 'Folder of the flow catalog, SLA policies and ownership rules (`flows/*.yaml`, `slas/*.yaml`, `owners.yaml`); checked at start, which stops naming every problem.',
  },
  traceUrl: {
    env: 'FLOWLENS_TRACE_URL',
    file: 'dashboard.traceUrl',
    schema: traceUrl,
    default: '',
    doc: 'Link to a trace in your trace viewer (Jaeger, Tempo, Zipkin, an OTel backend), with `{trace_id}` and optionally `{span_id}` where the ids go, e.g. `https://jaeger.example.com/trace/{trace_id}?uiFind={span_id}`. The lineage explorer turns the trace ids of each step into such links. Empty: ids are shown with a copy button.',
  },
  publicUrl: {
    env: 'FLOWLENS_PUBLIC_URL',
    file: 'publicUrl',
    schema: z
      .string()
      .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i, 'must be the http(s) address people open Flowlens at, e.g. https://flowlens.example.com')
      .transform((u) => u.replace(/\/+$/, '')),
    default: 'http://127.0.0.1:8080',
    doc: 'The address people open the dashboard at. Every alert notification links to the breach there (`<url>/?view=slas&policy=…&range=…`), so set it to an address on-call can reach, e.g. `https://flowlens.example.com`.',
  },
  alertEvalIntervalMs: {
    env: 'FLOWLENS_ALERT_EVAL_INTERVAL_MS',
    file: 'alerts.evalIntervalMs',
    schema: wholeNumber.pipe(z.number().min(1000, 'must be at least 1000')),
    default: 30_000,
    doc: 'How often, in milliseconds, the alert rules of `dashboards/alerts/` are evaluated against the SLA policies and the notifications due are sent; a rule\'s `for` and a route\'s `renotifyEvery` hold to within this.',
  },
  lagSnapshotIntervalMs: {
    env: 'FLOWLENS_LAG_SNAPSHOT_INTERVAL_MS',
    file: 'answers.lagSnapshotIntervalMs',
    schema: wholeNumber.pipe(z.number().min(0, 'must be 0 or more')),
    default: 300_000,
    doc: 'How often, in milliseconds, the snapshot of settled inventory movements (sources from 25 h to 1 h ago) is rebuilt, so lag over a day reads one row per movement; movements of the last hour are always read live, older ones are at most this stale. 0: no snapshot, every lag answer read live.',
  },
  answerMaxAgeMs: {
    env: 'FLOWLENS_ANSWER_MAX_AGE_MS',
    file: 'answers.maxAgeMs',
    schema: wholeNumber.pipe(z.number().min(0, 'must be 0 or more')),
    default: 15_000,
    doc: 'How old, in milliseconds, the answers shared by every caller may be: the SLA evaluation (`/slas`, breaches, missing-step exceptions, the overview) and the open exceptions (list, aging, the overview). Past half this age a caller still gets the latest at once while the next is computed. After new events are loaded, an answer is computed afresh once it is five times as old as it took to compute (cheap answers at once, so screens show new data at their next refresh; costly ones keep the engine busy at most a fifth of the time). Each answer says when it was computed in `at`. 0: computed on every request.',
  },
  reconciliationToleranceMinor: {
    env: 'FLOWLENS_RECONCILIATION_TOLERANCE_MINOR',
    file: 'reconciliation.toleranceMinor',
    schema: wholeNumber.pipe(z.number().min(0, 'must be 0 or more')),
    default: 1,
    doc: 'Largest difference, in the currency\'s minor units (cents), between a settlement\'s reported net and the net the ERP expects that still counts as matched. Amounts in different currencies never match.',
  },
  reconciliationCurrencyTolerances: {
    env: 'FLOWLENS_RECONCILIATION_CURRENCY_TOLERANCES',
    file: 'reconciliation.currencyTolerances',
    schema: currencyTolerances,
    default: {},
    doc: 'Per-currency tolerance in minor units overriding FLOWLENS_RECONCILIATION_TOLERANCE_MINOR, e.g. `EUR:1,JPY:0,HUF:100`.',
  },
  reconciliationBankAccounts: {
    env: 'FLOWLENS_RECONCILIATION_BANK_ACCOUNTS',
    file: 'reconciliation.bankAccounts',
    schema: accountList,
    default: ['1200'],
    doc: 'ERP accounts of the bank line of a settlement posting (the net the ERP expects), comma-separated.',
  },
  reconciliationFeeAccounts: {
    env: 'FLOWLENS_RECONCILIATION_FEE_ACCOUNTS',
    file: 'reconciliation.feeAccounts',
    schema: accountList,
    default: ['6810', '6820'],
    doc: 'ERP accounts the marketplace and payment fees are booked to, comma-separated.',
  },
  reconciliationReceivableAccounts: {
    env: 'FLOWLENS_RECONCILIATION_RECEIVABLE_ACCOUNTS',
    file: 'reconciliation.receivableAccounts',
    schema: accountList,
    default: ['1410', '1360'],
    doc: 'ERP receivable accounts a settlement clears (its gross), comma-separated.',
  },
  reconciliationTaxAccounts: {
    env: 'FLOWLENS_RECONCILIATION_TAX_ACCOUNTS',
    file: 'reconciliation.taxAccounts',
    schema: accountList,
    default: [],
    doc: 'ERP tax accounts a settlement posting may use, comma-separated; empty: none.',
  },
  replayTargets: {
    env: 'FLOWLENS_REPLAY_TARGETS',
    file: 'replay.targets',
    schema: replayTargetsSchema,
    default: {},
    secret: true,
    doc: 'Where replays are delivered, and the only systems a replay can call: a JSON object keyed by target name (an event\'s `replay_target`), each `{"url": "https://…", "method": "POST", "headers": {"Authorization": "Bearer ${ERP_TOKEN}"}, "ratePerSecond": 5, "timeoutMs": 10000, "lookupUrl": "https://…/{idempotency_key}", "allowAddresses": []}`; only `url` is required, and `${NAME}` in a header value is read from the environment. See “Replay targets” below. Empty: nothing can be replayed.',
  },
  replayFourEyesFlows: {
    env: 'FLOWLENS_REPLAY_FOUR_EYES_FLOWS',
    file: 'replay.fourEyesFlows',
    schema: replayFourEyesFlowsSchema,
    default: ['order_to_cash', 'return_to_refund', 'settlement_to_ledger'],
    doc: 'Flows whose replays a second person must approve before they are sent (four eyes), comma-separated; empty: none.',
  },
  replayLeaseMs: {
    env: 'FLOWLENS_REPLAY_LEASE_MS',
    file: 'replay.leaseMs',
    schema: wholeNumber.pipe(z.number().min(3000, 'must be at least 3000')),
    default: 30_000,
    doc: 'How long, in milliseconds, the server running a replay job holds it without renewing (it renews every third of this). When several servers share the store, each job runs on one of them; if that server stops (a crash, a freeze), another resumes the job once this has passed — and so does this server itself after a crash and restart. Server clocks must agree to well within it.',
  },
  logLevel: { env: 'FLOWLENS_LOG_LEVEL', file: 'logLevel', schema: logLevel, default: 'info', doc: 'pino log level.' },
  webDir: {
    env: 'FLOWLENS_WEB_DIR',
    file: 'webDir',
    schema: z.string().min(1),
    default: 'web/dist',
    doc: 'Built dashboard served at / (npm run build:web).',
  },
} as const satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
type SchemaOf<S> = S extends (env: ConfigEnv) => infer T ? T : S;
export type Config = { [K in keyof Settings]: z.output<SchemaOf<Settings[K]['schema']>> } & {
  /**
   * The environment the settings were read from, for the `${NAME}` references of files in `dashboards/` (alert
   * receivers' webhook URLs and routing keys): resolved once at boot, so nothing else reads `process.env`.
   */
  environment: ConfigEnv;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type ConfigSources = {
  env?: Record<string, string | undefined>;
  /** Path of a JSON config file; defaults to FLOWLENS_CONFIG from env. */
  file?: string;
};

/** Parse the configuration once. Throws ConfigError naming every bad setting and why. */
export function loadConfig(sources: ConfigSources = {}): Config {
  const env = sources.env ?? process.env;
  const filePath = sources.file ?? env.FLOWLENS_CONFIG;
  const fileValues = filePath ? readConfigFile(filePath) : {};
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [keyof Settings, Setting][]) {
    const envValue = env[setting.env]?.trim() === '' ? undefined : env[setting.env];
    const fromFile = lookup(fileValues, setting.file);
    const [raw, origin] =
      envValue !== undefined
        ? [envValue, `${setting.env}`]
        : fromFile !== undefined && fromFile !== null
          ? [fromFile, `${setting.file} in ${filePath}`]
          : [setting.default, `${setting.env} (default)`];
    const schema = typeof setting.schema === 'function' ? setting.schema(env) : setting.schema;
    const parsed = schema.safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else {
      const shown = setting.secret ? '' : ` (got ${JSON.stringify(raw)})`;
      problems.push(`${origin}: ${parsed.error.issues.map((i) => i.message).join('; ')}${shown}`);
    }
  }
  // A cluster is only reached through a server: the embedded engine has no Keeper and no remote servers.
  if (out.clickhouseCluster !== undefined && 'clickhouseUrl' in out && out.clickhouseUrl === undefined) {
    problems.push(`${SETTINGS.clickhouseCluster.env}: a cluster needs a ClickHouse server; set ${SETTINGS.clickhouseUrl.env} too, or unset ${SETTINGS.clickhouseCluster.env} for the embedded engine`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = out as Omit<Config, 'environment'>;
  return {
    ...config,
    environment: Object.freeze({ ...env }),
    dataDir: path.resolve(config.dataDir),
    webDir: path.resolve(config.webDir),
    inboxDir: config.inboxDir === undefined ? undefined : path.resolve(config.inboxDir),
  };
}

function readConfigFile(filePath: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (err) {
    throw new ConfigError([`FLOWLENS_CONFIG: cannot read ${filePath}: ${(err as Error).message}`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the file must hold a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError([`FLOWLENS_CONFIG: ${filePath} is not valid JSON: ${(err as Error).message}`]);
  }
}

function lookup(values: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = values;
  for (const part of dotted.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
