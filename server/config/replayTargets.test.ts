import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { isSecretName, parseReplayTargets } from './replayTargets.js';

const ERP_URL = 'http://127.0.0.1:41234/erp/v1/postings';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

function problems(raw: unknown, env: Record<string, string> = {}): string[] {
  const result = parseReplayTargets(raw, env);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'flowlens-replay-config-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('replay targets in the configuration', () => {
  it('has no targets and four eyes on the money flows by default', () => {
    const config = loadConfig({ env: {} });

    expect(config.replayTargets).toEqual([]);
    expect(config.replayFourEyesFlows).toEqual(['order_to_cash', 'return_to_refund', 'settlement_to_ledger']);
  });

  it('reads targets from FLOWLENS_REPLAY_TARGETS with defaults filled in and secrets from the environment', () => {
    const targets = JSON.stringify({
      erp: { url: ERP_URL, lookupUrl: `${ERP_URL}/{idempotency_key}`, headers: { Authorization: 'Bearer ${ERP_TOKEN}', 'X-Tenant': 'eu-1' } },
    });

    const config = loadConfig({ env: { FLOWLENS_REPLAY_TARGETS: targets, ERP_TOKEN: 's3cr3t-token' } });

    expect(config.replayTargets).toEqual([
      {
        name: 'erp',
        url: ERP_URL,
        method: 'POST',
        headers: { Authorization: 'Bearer s3cr3t-token', 'X-Tenant': 'eu-1' },
        secretHeaders: ['Authorization'],
        ratePerSecond: 5,
        timeoutMs: 10_000,
        lookupUrl: `${ERP_URL}/{idempotency_key}`,
        allowAddresses: [],
      },
    ]);
  });

  it('reads targets from the config file as an object keyed by name', () => {
    const file = path.join(tempDir, 'flowlens.json');
    writeFileSync(file, JSON.stringify({ replay: { targets: { wms: { url: 'https://wms.internal/api/moves', method: 'PUT', ratePerSecond: 0.5, timeoutMs: 2000 } }, fourEyesFlows: 'order_to_cash' } }));

    const config = loadConfig({ env: { FLOWLENS_CONFIG: file } });

    expect(config.replayTargets).toMatchObject([{ name: 'wms', method: 'PUT', ratePerSecond: 0.5, timeoutMs: 2000, headers: {}, secretHeaders: [] }]);
    expect(config.replayFourEyesFlows).toEqual(['order_to_cash']);
  });

  it('stops the start naming the path and the reason of an unset secret', () => {
    const targets = JSON.stringify({ erp: { url: ERP_URL, headers: { Authorization: 'Bearer ${ERP_TOKEN}' } } });

    expect(problemsOf(() => loadConfig({ env: { FLOWLENS_REPLAY_TARGETS: targets } }))).toEqual([
      'FLOWLENS_REPLAY_TARGETS: erp.headers.Authorization: ${ERP_TOKEN} is not set',
    ]);
  });

  it('never echoes the configured value, which may hold literal secrets', () => {
    const targets = JSON.stringify({ erp: { url: 'ftp://x', headers: { Authorization: 'Bearer literal-secret-value' } } });

    const [problem] = problemsOf(() => loadConfig({ env: { FLOWLENS_REPLAY_TARGETS: targets } }));

    expect(problem).toBe('FLOWLENS_REPLAY_TARGETS: erp.url: must start with http:// or https:// (got ftp:)');
    expect(problem).not.toContain('literal-secret-value');
  });

  it('names the file key for a bad value in the config file', () => {
    const file = path.join(tempDir, 'bad.json');
    writeFileSync(file, JSON.stringify({ replay: { targets: { erp: { url: ERP_URL, timeoutMs: 0 } } } }));

    expect(problemsOf(() => loadConfig({ env: { FLOWLENS_CONFIG: file } }))).toEqual([`replay.targets in ${file}: erp.timeoutMs: must be at least 100`]);
  });

  it('refuses a four-eyes flow that is not a flow name', () => {
    expect(problemsOf(() => loadConfig({ env: { FLOWLENS_REPLAY_FOUR_EYES_FLOWS: 'order_to_cash,Refunds!' } }))).toEqual([
      'FLOWLENS_REPLAY_FOUR_EYES_FLOWS: each flow must be a flow name such as order_to_cash (got "order_to_cash,Refunds!")',
    ]);
    expect(loadConfig({ env: { FLOWLENS_REPLAY_FOUR_EYES_FLOWS: ' , ' } }).replayFourEyesFlows).toEqual([]);
  });
});

describe('parseReplayTargets: every problem names its path and reason', () => {
  it('refuses what is not a JSON object of targets', () => {
    expect(problems('{"erp": ')[0]).toMatch(/^must be JSON: /);
    expect(problems('[]')).toEqual(['must be an object keyed by target name, e.g. {"erp": {"url": "https://erp.example.com/v1/postings"}}']);
    expect(problems({ erp: 'http://x' })).toEqual(['erp: must be an object such as {"url": "https://erp.example.com/v1/postings"}']);
    expect(problems({ 'bad name': { url: ERP_URL } })).toEqual(['"bad name": a target name is 1–64 letters, digits, _ . or - (the events\' replay_target)']);
  });

  it('names each bad field', () => {
    const found = problems({
      erp: {
        method: 'GET',
        ratePerSecond: 0,
        timeoutMs: 1.5,
        lookupUrl: 'http://erp/postings',
        allowAddresses: ['169.254.169.254', 'not an address'],
        lookupURL: 'typo',
      },
    });

    expect(found).toEqual(
      expect.arrayContaining([
        'erp.url: must be a URL string',
        'erp.method: must be POST, PUT or PATCH',
        'erp.ratePerSecond: must be greater than 0',
        'erp.timeoutMs: must be a whole number',
        'erp.lookupUrl: must contain {idempotency_key} where the key goes',
        'erp.allowAddresses.1: "not an address" must be an IP address, a CIDR range (e.g. 169.254.169.254/32) or a host name',
        `erp.lookupURL: unknown field (a target has url, method, headers, secretHeaders, ratePerSecond, timeoutMs, lookupUrl, allowAddresses)`,
      ]),
    );
    expect(found).toHaveLength(7);
  });

  it('refuses credentials in a URL, which a dry run would show', () => {
    expect(problems({ erp: { url: 'https://user:pw@erp.example.com/p' } })).toEqual([
      'erp.url: must not hold credentials; send them in headers, e.g. "Authorization": "Bearer ${ERP_TOKEN}"',
    ]);
  });

  it('refuses headers Flowlens sets itself, and header values that could add headers', () => {
    const found = problems(
      { erp: { url: ERP_URL, headers: { 'Idempotency-Key': 'x', 'X-Sig': '${SIG}', 'X-Empty': '${EMPTY}', 'X-Bad': '${not-a-name}' } } },
      { SIG: 'abc\r\nX-Injected: 1', EMPTY: ' ' },
    );

    expect(found).toEqual([
      'erp.headers.Idempotency-Key: set by Flowlens on every replay; remove it',
      'erp.headers.X-Sig: holds a line break or another control character, which a header value cannot',
      'erp.headers.X-Empty: ${EMPTY} is empty',
      'erp.headers.X-Bad: ${not-a-name} is not an environment variable reference (${NAME}: letters, digits, _)',
    ]);
    expect(found.join('\n')).not.toContain('X-Injected');
  });

  it('lists every target with a problem, not only the first', () => {
    expect(problems({ erp: { url: ERP_URL, headers: { Authorization: '${A}' } }, wms: { url: 'nope' } })).toEqual([
      'erp.headers.Authorization: ${A} is not set',
      'wms.url: must be an http(s) URL, e.g. https://erp.example.com/v1/postings (got "nope")',
    ]);
  });

  it('marks secret headers by name, plus the ones listed in secretHeaders', () => {
    const result = parseReplayTargets(
      { erp: { url: ERP_URL, headers: { 'X-Api-Key': 'k', Cookie: 'c', 'X-Signature': 's', 'X-Tenant': 't', 'X-Client': 'c' }, secretHeaders: ['x-client', 'X-Api-Key'] } },
      {},
    );

    expect(result.ok && result.targets[0]!.secretHeaders).toEqual(['X-Api-Key', 'Cookie', 'X-Signature', 'x-client']);
  });

  it('recognises secret names', () => {
    expect(['Authorization', 'X-Auth-Token', 'X-API-KEY', 'Proxy-Authorization', 'X-Hub-Signature-256', 'Set-Cookie', 'X-Client-Secret', 'X-Password'].every(isSecretName)).toBe(true);
    expect(['Accept', 'X-Tenant', 'X-Request-Id', 'Traceparent'].some(isSecretName)).toBe(false);
  });
});
