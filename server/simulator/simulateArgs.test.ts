import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { parseSimulateArgs } from './simulateArgs.js';

const NOW = Date.parse('2026-11-27T12:00:00.400Z');
const config = loadConfig({
  env: {
    FLOWLENS_PORT: '9090',
    FLOWLENS_OTLP_PORT: '4999',
    FLOWLENS_INGEST_TOKENS: 'pos:first-token-0123456789,erp:second-token-0123456789',
    FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: 'shpss_a,shpss_b',
    FLOWLENS_STRIPE_WEBHOOK_SECRETS: 'whsec_a',
    FLOWLENS_INBOX_DIR: '/var/flowlens/inbox',
  },
});
const parse = (...args: string[]) => parseSimulateArgs(args, config, NOW);

describe('parseSimulateArgs', () => {
  it('defaults to the settings the server reads', () => {
    expect(parse()).toEqual({
      scenario: 'normal',
      rate: 50,
      seed: '1',
      durationMs: 60_000,
      pace: 'live',
      start: Date.parse('2026-11-27T12:00:00Z'),
      target: 'http://127.0.0.1:9090',
      otlp: 'http://127.0.0.1:4999',
      token: 'first-token-0123456789',
      inbox: '/var/flowlens/inbox',
      shopifySecret: 'shpss_a',
      stripeSecret: 'whsec_a',
      erpPort: 0,
      daily: true,
      truthFile: undefined,
      quiet: false,
    });
  });

  it('takes every option, and a fast run replays the period before now', () => {
    const options = parse('--scenario', 'erp-outage', '--rate', '200', '--seed', '9', '--duration', '90', '--pace', 'fast', '--target', 'http://localhost:1234/', '--otlp', 'http://[::1]:4318', '--token', 't', '--truth', '/tmp/t.json', '--flat', '--quiet');
    expect(options).toMatchObject({ scenario: 'erp-outage', rate: 200, seed: '9', durationMs: 90_000, pace: 'fast', target: 'http://localhost:1234', otlp: 'http://[::1]:4318', token: 't', truthFile: '/tmp/t.json', daily: false, quiet: true });
    expect(options.start).toBe(Date.parse('2026-11-27T11:58:30Z'));
    expect(parse('--start', '2026-11-20T10:00:00Z', '--pace', 'fast').start).toBe(Date.parse('2026-11-20T10:00:00Z'));
  });

  it('names the option and the reason when one is wrong', () => {
    expect(() => parse('--scenario', 'meltdown')).toThrow(/--scenario: unknown scenario "meltdown"; one of normal, peak, erp-outage/);
    expect(() => parse('--rate', 'fast')).toThrow('--rate: "fast" must be a number from 0.1 to 20000');
    expect(() => parse('--duration', '0')).toThrow(/--duration/);
    expect(() => parse('--pace', 'slow')).toThrow('--pace: "slow" is not live or fast');
    expect(() => parse('--start', 'yesterday')).toThrow('--start: "yesterday" is not an ISO 8601 time');
    expect(() => parse('--pace', 'fast', '--start', '2026-11-27T11:59:30Z')).toThrow(/must end before now/);
    expect(() => parse('--rate', '20000', '--duration', '86400')).toThrow(/at most 20,000,000 events per run/);
    expect(() => parse('--colour', 'red')).toThrow(/colour/);
  });

  it('only ever sends to this machine', () => {
    expect(() => parse('--target', 'http://shop.example.com')).toThrow('--target: shop.example.com is not this machine; the simulator only sends to 127.0.0.1, localhost or ::1');
    expect(() => parse('--otlp', 'http://10.0.0.5:4318')).toThrow(/--otlp: 10.0.0.5 is not this machine/);
    expect(() => parse('--target', 'not a url')).toThrow('--target: "not a url" is not a URL');
  });

  it('says what to set when there is no token or webhook secret', () => {
    const bare = loadConfig({ env: {} });
    expect(() => parseSimulateArgs([], bare, NOW)).toThrow('--token: no ingest token; pass --token or set FLOWLENS_INGEST_TOKENS as the server does');
    expect(() => parseSimulateArgs(['--token', 't'], bare, NOW)).toThrow(/--shopify-secret: no Shopify webhook secret/);
  });
});
