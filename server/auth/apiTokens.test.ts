import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigError } from '../config/config.js';
import { apiTokenRing, tokenFingerprint } from './apiTokens.js';

const T1 = 'tok-operator-0123456789abcdef';
const T2 = 'tok-viewer-0123456789abcdefgh';

describe('apiTokenRing', () => {
  it('matches a token to its role and names it by fingerprint', () => {
    const ring = apiTokenRing([{ token: T1, role: 'operator' }, { token: T2, role: 'viewer' }]);
    expect(ring.match(T1)).toEqual({ role: 'operator', fingerprint: tokenFingerprint(T1) });
    expect(ring.match(T2)?.role).toBe('viewer');
    expect(ring.match(`${T1}x`)).toBeUndefined();
    expect(ring.size).toBe(2);
    expect(tokenFingerprint(T1)).toMatch(/^[0-9a-f]{12}$/);
    expect(tokenFingerprint(T1)).not.toContain(T1.slice(0, 6));
  });

  it('refuses a token listed twice, naming it by fingerprint only', () => {
    try {
      apiTokenRing([{ token: T1, role: 'operator' }, { token: T1, role: 'admin' }]);
      expect.unreachable();
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([`FLOWLENS_API_TOKENS: token 2 (${tokenFingerprint(T1)}) repeats token 1`]);
    }
  });
});

describe('access settings in the config', () => {
  const load = (env: Record<string, string>) => loadConfig({ env });
  const problems = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (err) {
      return (err as ConfigError).problems;
    }
    return [];
  };

  it('reads FLOWLENS_API_TOKENS as <token>:<role> (a token may hold colons)', () => {
    expect(load({ FLOWLENS_API_TOKENS: `${T1}:operator, a:b:0123456789abcdefghijklmn:admin` }).apiTokens).toEqual([
      { token: T1, role: 'operator' },
      { token: 'a:b:0123456789abcdefghijklmn', role: 'admin' },
    ]);
  });

  it('names a bad role or a short token, never showing the token', () => {
    const found = problems({ FLOWLENS_API_TOKENS: `${T1}:root,shorttoken:viewer` });
    expect(found).toEqual(['FLOWLENS_API_TOKENS: token 1: must be <token>:<role>, role viewer, operator or admin; token 2: must be at least 24 characters, e.g. from openssl rand -base64 32']);
    expect(found.join()).not.toContain('shorttoken');
  });

  it('has the session defaults, and checks the TTL, the secret and trust proxy', () => {
    const config = load({});
    expect(config).toMatchObject({ sessionTtlMs: 12 * 3_600_000, trustProxy: false, users: [], apiTokens: [] });
    expect(config.sessionSecret).toBeUndefined();
    expect(load({ FLOWLENS_TRUST_PROXY: 'true', FLOWLENS_USERS: '[{"name":"a"}]' })).toMatchObject({ trustProxy: true, users: [{ name: 'a' }] });
    expect(problems({ FLOWLENS_SESSION_TTL_MS: '1000', FLOWLENS_SESSION_SECRET: 'short', FLOWLENS_TRUST_PROXY: 'maybe', FLOWLENS_USERS: '{"name":"a"}' })).toEqual([
      'FLOWLENS_USERS: must be a JSON list of users, e.g. [{"name": "ana", "role": "operator", "password_hash": "scrypt$…"}]',
      'FLOWLENS_SESSION_SECRET: must be at least 32 characters, e.g. from openssl rand -base64 48',
      'FLOWLENS_SESSION_TTL_MS: must be at least 60000 (one minute) (got "1000")',
      'FLOWLENS_TRUST_PROXY: must be true or false (got "maybe")',
    ]);
  });
});
