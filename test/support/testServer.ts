import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config/config.js';
import { startFlowlens } from '../../server/flowlens.js';
import { createLogger } from '../../server/logger.js';
import type { Role } from '../../server/auth/policy.js';
import { asRole, testApiTokensEnv, testUsersEnv } from './access.js';

export type TestServer = {
  baseUrl: string;
  otlpUrl: string;
  ingestToken: string;
  dataDir: string;
  config: Config;
  /**
   * `fetch` on this server acting with a role's API token (default operator: reads and every action but the
   * audit trail); a body that is not a string or bytes is sent as JSON.
   */
  api(pathAndQuery: string, init?: ApiInit, role?: Role): Promise<Response>;
  /** Wait until everything acknowledged so far is loaded into the store and queryable. */
  flush(): Promise<void>;
  close(): Promise<void>;
};

export const TEST_INGEST_TOKEN = 'test-ingest-token-0123456789';

export type ApiInit = Omit<RequestInit, 'body' | 'headers'> & { body?: unknown; headers?: Record<string, string> };

/** `fetch` with a role's API token; an object body goes as JSON. */
export function apiFetch(baseUrl: string, pathAndQuery: string, init: ApiInit = {}, role: Role = 'operator'): Promise<Response> {
  const { body, headers = {}, ...rest } = init;
  const raw = body === undefined || typeof body === 'string' || body instanceof Uint8Array;
  return fetch(`${baseUrl}${pathAndQuery}`, {
    ...rest,
    headers: asRole(role, raw ? headers : { 'content-type': 'application/json', ...headers }),
    body: raw ? (body as string | Uint8Array | undefined) : JSON.stringify(body),
  });
}

/**
 * The real Flowlens app on 127.0.0.1 with an ephemeral port and embedded ClickHouse in a fresh temp folder.
 * The engine binds one data folder per process: start one server per test file. Access control is on, with the
 * credentials of `access.ts` (API tokens per role, users who sign in with TEST_PASSWORD).
 */
export async function startTestServer(
  opts: { ingestTokens?: string[]; env?: Record<string, string>; dataDir?: string; keepData?: boolean } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'flowlens-test-'));
  const tokens = opts.ingestTokens ?? [TEST_INGEST_TOKEN];
  const config = loadConfig({
    env: {
      FLOWLENS_PORT: '0',
      FLOWLENS_OTLP_PORT: '0',
      FLOWLENS_HOST: '127.0.0.1',
      FLOWLENS_DATA_DIR: dataDir,
      FLOWLENS_INGEST_TOKENS: tokens.join(','),
      FLOWLENS_API_TOKENS: testApiTokensEnv(),
      FLOWLENS_USERS: await testUsersEnv(),
      FLOWLENS_LOG_LEVEL: process.env.FLOWLENS_TEST_LOG_LEVEL ?? 'silent',
      ...opts.env,
    },
  });
  const flowlens = await startFlowlens(config, createLogger(config));
  return {
    baseUrl: `http://127.0.0.1:${flowlens.port}`,
    otlpUrl: flowlens.otlpUrl,
    ingestToken: tokens[0] ?? '',
    dataDir,
    config,
    api: (pathAndQuery, init, role) => apiFetch(`http://127.0.0.1:${flowlens.port}`, pathAndQuery, init, role),
    flush: () => flowlens.flush(),
    close: async () => {
      await flowlens.close();
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid canonical event with sensible defaults; override any field. */
export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: `evt-${Math.random().toString(36).slice(2)}`,
    correlation_id: 'corr-1',
    flow: 'order_to_cash',
    step: 'shop.order.created',
    system: 'shopify',
    occurred_at: new Date().toISOString(),
    keys: { order_id: 'SO-1001' },
    ...overrides,
  };
}

/** POST events as NDJSON (or a raw body) to /v1/events. */
export async function postEvents(
  server: Pick<TestServer, 'baseUrl' | 'ingestToken'>,
  body: Record<string, unknown>[] | string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.baseUrl}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.ingestToken}`, 'content-type': 'application/x-ndjson', ...headers },
    body: Array.isArray(body) ? body.map((e) => JSON.stringify(e)).join('\n') : body,
  });
}
