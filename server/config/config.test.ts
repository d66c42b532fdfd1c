import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const TOKEN_A = 'a'.repeat(20);
const TOKEN_B = 'b'.repeat(16);

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'flowlens-config-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

let fileCount = 0;
function configFile(text: string): string {
  const file = path.join(tempDir, `config-${fileCount++}.json`);
  writeFileSync(file, text);
  return file;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: defaults', () => {
  it('starts with no settings at all', () => {
    const config = loadConfig({ env: {} });

    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      clickhouseDatabase: 'flowlens',
      clickhouseUser: 'default',
      clickhousePassword: '',
      ingestTokens: [],
      ingestMaxBodyBytes: 16 * 1024 * 1024,
      ingestMaxPendingRows: 200_000,
      ingestMaxBatchRows: 50_000,
      logLevel: 'info',
    });
    expect(config.clickhouseUrl).toBeUndefined();
  });

  it('resolves the data and web folders to absolute paths', () => {
    const config = loadConfig({ env: {} });

    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.webDir).toBe(path.resolve('web/dist'));
  });

  it('resolves a relative data folder from the environment too', () => {
    expect(loadConfig({ env: { FLOWLENS_DATA_DIR: 'tmp/fl' } }).dataDir).toBe(path.resolve('tmp/fl'));
  });

  it('treats an empty environment variable as unset', () => {
    expect(loadConfig({ env: { FLOWLENS_PORT: '', CLICKHOUSE_URL: '' } })).toMatchObject({ port: 8080, clickhouseUrl: undefined });
  });
});

describe('loadConfig: sources', () => {
  it('takes nested settings from the config file over the defaults', () => {
    const file = configFile(JSON.stringify({ port: 9000, ingest: { tokens: [TOKEN_A] }, clickhouse: { database: 'fl2' } }));

    const config = loadConfig({ env: {}, file });

    expect(config).toMatchObject({ port: 9000, ingestTokens: [{ name: 'default', token: TOKEN_A }], clickhouseDatabase: 'fl2', host: '127.0.0.1' });
  });

  it('lets the environment beat the file, setting by setting', () => {
    const file = configFile(JSON.stringify({ port: 9000, ingest: { tokens: [TOKEN_A] }, clickhouse: { database: 'fl2' } }));

    const config = loadConfig({ env: { FLOWLENS_PORT: '9100', CLICKHOUSE_DATABASE: 'fl3' }, file });

    expect(config).toMatchObject({ port: 9100, clickhouseDatabase: 'fl3', ingestTokens: [{ name: 'default', token: TOKEN_A }] });
  });

  it('reads the file named by FLOWLENS_CONFIG when no file is passed', () => {
    const file = configFile(JSON.stringify({ host: '0.0.0.0', clickhouse: { url: 'http://ch.internal:8123' } }));

    const config = loadConfig({ env: { FLOWLENS_CONFIG: file } });

    expect(config).toMatchObject({ host: '0.0.0.0', clickhouseUrl: 'http://ch.internal:8123' });
  });

  it('accepts numbers written as text in the environment', () => {
    const config = loadConfig({ env: { FLOWLENS_PORT: '0', FLOWLENS_INGEST_MAX_BATCH_ROWS: '1000', FLOWLENS_LOG_LEVEL: 'debug' } });

    expect(config).toMatchObject({ port: 0, ingestMaxBatchRows: 1000, logLevel: 'debug' });
  });

  it('splits FLOWLENS_INGEST_TOKENS on commas, trimming spaces and dropping empty entries', () => {
    const config = loadConfig({ env: { FLOWLENS_INGEST_TOKENS: ` ${TOKEN_A} ,${TOKEN_B},, ` } });

    expect(config.ingestTokens).toEqual([
      { name: 'default', token: TOKEN_A },
      { name: 'default', token: TOKEN_B },
    ]);
  });
});

describe('loadConfig: bad values', () => {
  it.each([
    ['FLOWLENS_PORT', 'abc', /must be a whole number/],
    ['FLOWLENS_PORT', '70000', /must be 0–65535/],
    ['FLOWLENS_PORT', '-1', /must be 0–65535/],
    ['FLOWLENS_PORT', '80.5', /must be a whole number/],
    ['FLOWLENS_INGEST_TOKENS', 'short', /each token must be at least 16 characters/],
    ['CLICKHOUSE_URL', 'not-a-url', /must be a URL such as http:\/\/localhost:8123/],
    ['CLICKHOUSE_DATABASE', 'a-b', /must be a plain identifier/],
    ['FLOWLENS_LOG_LEVEL', 'loud', /expected one of .*"info"/],
    ['FLOWLENS_INGEST_MAX_PENDING_ROWS', '0', /must be greater than 0/],
    ['FLOWLENS_INGEST_MAX_BODY_BYTES', 'lots', /must be a whole number/],
  ])('refuses %s=%s, naming the variable and the reason', (name, value, reason) => {
    const error = configError(() => loadConfig({ env: { [name]: value } }));

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${name}: `));
    expect(error.problems[0]).toMatch(reason);
    expect(error.message).toContain(name);
  });

  it('lists every problem at once', () => {
    const env = {
      FLOWLENS_PORT: 'abc',
      CLICKHOUSE_URL: 'not-a-url',
      CLICKHOUSE_DATABASE: 'a-b',
      FLOWLENS_LOG_LEVEL: 'loud',
      FLOWLENS_HOST: '0.0.0.0',
    };

    const error = configError(() => loadConfig({ env }));

    expect(error.problems.map((p) => p.split(':')[0])).toEqual(['FLOWLENS_PORT', 'CLICKHOUSE_URL', 'CLICKHOUSE_DATABASE', 'FLOWLENS_LOG_LEVEL']);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- FLOWLENS_PORT: /);
    for (const problem of error.problems) expect(error.message).toContain(problem);
  });

  it('shows the value it got', () => {
    const error = configError(() => loadConfig({ env: { FLOWLENS_PORT: '70000' } }));

    expect(error.problems[0]).toContain('(got "70000")');
  });

  it('names the file and the key when the bad value came from the config file', () => {
    const file = configFile(JSON.stringify({ port: 'eighty', clickhouse: { database: 'my-db' } }));

    const error = configError(() => loadConfig({ env: {}, file }));

    expect(error.problems).toHaveLength(2);
    expect(error.problems[0]).toContain(`port in ${file}`);
    expect(error.problems[1]).toContain(`clickhouse.database in ${file}`);
    expect(error.problems[1]).toContain('must be a plain identifier');
  });

  it('does not complain about a bad file value that the environment overrides', () => {
    const file = configFile(JSON.stringify({ port: 'eighty' }));

    expect(loadConfig({ env: { FLOWLENS_PORT: '8081' }, file }).port).toBe(8081);
  });

  it('refuses short tokens listed in the config file', () => {
    const file = configFile(JSON.stringify({ ingest: { tokens: [TOKEN_A, 'tiny'] } }));

    const error = configError(() => loadConfig({ env: {}, file }));

    expect(error.problems).toEqual([expect.stringMatching(/^ingest\.tokens in .*: each token must be at least 16 characters/)]);
  });
});

describe('loadConfig: config file problems', () => {
  it('names a file it cannot read', () => {
    const missing = path.join(tempDir, 'does-not-exist.json');

    const error = configError(() => loadConfig({ env: {}, file: missing }));

    expect(error.problems).toEqual([expect.stringContaining(`cannot read ${missing}`)]);
    expect(error.message).toContain('FLOWLENS_CONFIG');
  });

  it('names a file that is not JSON', () => {
    const file = configFile('{ port: 9000 ');

    const error = configError(() => loadConfig({ env: {}, file }));

    expect(error.problems).toEqual([expect.stringContaining(`${file} is not valid JSON`)]);
  });

  it.each(['[1, 2]', 'null', '42'])('refuses a file holding %s rather than an object', (text) => {
    const file = configFile(text);

    const error = configError(() => loadConfig({ env: {}, file }));

    expect(error.problems).toEqual([expect.stringContaining('the file must hold a JSON object')]);
    expect(error.problems[0]).toContain(file);
  });
});

describe('loadConfig: what a mistake must not do', () => {
  it('never echoes a secret in the error', () => {
    const error = configError(() => loadConfig({ env: { FLOWLENS_INGEST_TOKENS: `${TOKEN_A}, short` } }));
    expect(error.message).toContain('FLOWLENS_INGEST_TOKENS');
    expect(error.message).not.toContain(TOKEN_A);
  });

  it('treats a blank port as unset instead of port 0', () => {
    expect(loadConfig({ env: { FLOWLENS_PORT: '   ' } }).port).toBe(8080);
  });

  it('asks for the scheme when CLICKHOUSE_URL has none', () => {
    const error = configError(() => loadConfig({ env: { CLICKHOUSE_URL: 'ftp://db:8123' } }));
    expect(error.message).toMatch(/CLICKHOUSE_URL: .*http:\/\//);
  });


  it('takes a cluster name with a server URL, and refuses one for the embedded engine, naming the setting', () => {
    expect(loadConfig({ env: {} }).clickhouseCluster).toBeUndefined();
    expect(loadConfig({ env: { CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'flowlens' } }).clickhouseCluster).toBe('flowlens');
    expect(configError(() => loadConfig({ env: { CLICKHOUSE_CLUSTER: 'flowlens' } })).problems).toEqual([
      'CLICKHOUSE_CLUSTER: a cluster needs a ClickHouse server; set CLICKHOUSE_URL too, or unset CLICKHOUSE_CLUSTER for the embedded engine',
    ]);
    expect(configError(() => loadConfig({ env: { CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'two shards' } })).problems[0]).toMatch(/^CLICKHOUSE_CLUSTER: must be a plain identifier/);
  });
  it('takes a trace viewer link with {trace_id} in it, and says what is missing otherwise', () => {
    expect(loadConfig({ env: {} }).traceUrl).toBe('');
    expect(loadConfig({ env: { FLOWLENS_TRACE_URL: 'https://jaeger.example.com/trace/{trace_id}?uiFind={span_id}' } }).traceUrl).toBe(
      'https://jaeger.example.com/trace/{trace_id}?uiFind={span_id}',
    );
    expect(configError(() => loadConfig({ env: { FLOWLENS_TRACE_URL: 'https://jaeger.example.com/search' } })).problems[0]).toMatch(
      /^FLOWLENS_TRACE_URL: must contain \{trace_id\} where the trace id goes/,
    );
    expect(configError(() => loadConfig({ env: { FLOWLENS_TRACE_URL: 'javascript:alert({trace_id})' } })).problems[0]).toMatch(/^FLOWLENS_TRACE_URL: must be an http\(s\) URL/);
  });
});

describe('loadConfig: ingest keys', () => {
  it('names a key given as name:token, so each source has its own', () => {
    const config = loadConfig({ env: { FLOWLENS_INGEST_TOKENS: `pos-eu:${TOKEN_A}, erp:${TOKEN_B}, ${TOKEN_A}x` } });
    expect(config.ingestTokens).toEqual([
      { name: 'pos-eu', token: TOKEN_A },
      { name: 'erp', token: TOKEN_B },
      { name: 'default', token: `${TOKEN_A}x` },
    ]);
  });

  it('still requires 16 characters of the token itself', () => {
    const error = configError(() => loadConfig({ env: { FLOWLENS_INGEST_TOKENS: 'pos:short' } }));
    expect(error.message).toContain('at least 16 characters');
  });
});
