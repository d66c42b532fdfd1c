import { describe, expect, it } from 'vitest';
import { parseReplayTargets } from '../../config/replayTargets.js';
import { lookupUrlFor, renderReplayRequest, replayHeaders } from './renderRequest.js';
import type { DeliveryRequest, ReplayTarget } from './replayPorts.js';

const TOKEN = 'erp-token-8d2f9a';
const KEY = 'ORD-1001:erp.invoice_posted';
const posting = { idempotency_key: KEY, document_type: 'invoice', event: { event_id: KEY, amount: '49.90', currency: 'EUR' } };

/** A target as the config module makes it, with its secret read from the environment. */
function configuredTarget(spec: Record<string, unknown>): ReplayTarget {
  const result = parseReplayTargets({ erp: spec }, { ERP_TOKEN: TOKEN, ERP_HMAC: 'hmac-9f1c' });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.targets[0]!;
}

const erp = configuredTarget({
  url: 'https://erp.example.com/erp/v1/postings',
  lookupUrl: 'https://erp.example.com/erp/v1/postings/{idempotency_key}',
  headers: { Authorization: 'Bearer ${ERP_TOKEN}', 'X-Request-Signature': '${ERP_HMAC}', 'X-Tenant': 'eu-1', 'X-Erp-Client': 'flowlens-${ERP_TOKEN}' },
  secretHeaders: ['X-Erp-Client'],
});

const request = (target: ReplayTarget, body = JSON.stringify(posting), contentType = 'application/json'): DeliveryRequest => ({
  target,
  idempotencyKey: KEY,
  contentType,
  body,
});

describe('renderReplayRequest: the dry run', () => {
  it('shows method, URL, every header sent with secrets replaced, the key and the pretty body', () => {
    const rendered = renderReplayRequest(request(erp));

    expect(rendered).toEqual({
      method: 'POST',
      url: 'https://erp.example.com/erp/v1/postings',
      headers: [
        { name: 'Authorization', value: '•••', redacted: true },
        { name: 'X-Request-Signature', value: '•••', redacted: true },
        { name: 'X-Tenant', value: 'eu-1', redacted: false },
        { name: 'X-Erp-Client', value: '•••', redacted: true },
        { name: 'Idempotency-Key', value: KEY, redacted: false },
        { name: 'Content-Type', value: 'application/json', redacted: false },
        { name: 'User-Agent', value: 'flowlens-replay', redacted: false },
      ],
      body: JSON.stringify(posting, null, 2),
      bodyFormat: 'json',
      lookup: { method: 'GET', url: 'https://erp.example.com/erp/v1/postings/ORD-1001%3Aerp.invoice_posted' },
    });
  });

  it('never shows a secret value anywhere in what it renders', () => {
    const shown = JSON.stringify(renderReplayRequest(request(erp)));

    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain('hmac-9f1c');
  });

  it('redacts secret query parameters in the URLs and keeps the others', () => {
    const target = configuredTarget({
      url: 'https://erp.example.com/p?tenant=eu&api_key=abc123#x',
      lookupUrl: 'https://erp.example.com/p/{idempotency_key}?access%5Ftoken=zzz&v=2',
    });

    const rendered = renderReplayRequest(request(target));

    expect(rendered.url).toBe('https://erp.example.com/p?tenant=eu&api_key=•••#x');
    expect(rendered.lookup?.url).toBe('https://erp.example.com/p/ORD-1001%3Aerp.invoice_posted?access%5Ftoken=•••&v=2');
  });

  it('shows a body that is not JSON as it is, and says there is no lookup', () => {
    const target = configuredTarget({ url: 'http://wms.internal/moves', method: 'PUT' });

    const rendered = renderReplayRequest(request(target, '<move sku="A1"/>', 'application/xml'));

    expect(rendered).toMatchObject({ method: 'PUT', body: '<move sku="A1"/>', bodyFormat: 'text' });
    expect(rendered.lookup).toBeUndefined();
    expect(renderReplayRequest(request(target, '{not json', 'application/json')).bodyFormat).toBe('text');
  });
});

describe('replayHeaders', () => {
  it('is what the delivery sends: the real secret values, Flowlens headers last and not overridable', () => {
    const target: ReplayTarget = { ...erp, headers: { Authorization: `Bearer ${TOKEN}`, 'user-agent': 'spoofed' } };

    expect(replayHeaders(request(target))).toEqual([
      ['Authorization', `Bearer ${TOKEN}`],
      ['Idempotency-Key', KEY],
      ['Content-Type', 'application/json'],
      ['User-Agent', 'flowlens-replay'],
    ]);
  });
});

describe('lookupUrlFor', () => {
  it('puts the URL-encoded key where {idempotency_key} is', () => {
    expect(lookupUrlFor(erp, 'a/b c')).toBe('https://erp.example.com/erp/v1/postings/a%2Fb%20c');
    expect(lookupUrlFor({ ...erp, lookupUrl: undefined }, KEY)).toBeUndefined();
  });
});
