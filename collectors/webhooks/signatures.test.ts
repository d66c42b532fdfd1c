import { describe, expect, it } from 'vitest';
import {
  shopifyHmac,
  standardSecretKey,
  standardSignatureHeader,
  stripeSignatureHeader,
  verifyShopify,
  verifyStandard,
  verifyStripe,
} from './signatures.js';

const body = Buffer.from('{"id":820982911946154508,"name":"#1001","note":"größe 42"}', 'utf8');
const tampered = Buffer.from('{"id":820982911946154508,"name":"#1002","note":"größe 42"}', 'utf8');
const NOW = Date.UTC(2026, 10, 27, 10, 0, 0);
const T = Math.floor(NOW / 1000);

describe('Shopify HMAC', () => {
  const secret = 'shpss_0123456789abcdef0123456789abcdef';

  it('accepts base64(HMAC-SHA256(secret, body))', () => {
    expect(verifyShopify(body, shopifyHmac(body, secret), [secret])).toEqual({ ok: true });
  });

  it('refuses a tampered body and a wrong secret', () => {
    const header = shopifyHmac(body, secret);
    expect(verifyShopify(tampered, header, [secret])).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(verifyShopify(body, header, ['shpss_someone_else'])).toMatchObject({ ok: false, code: 'invalid_signature' });
  });

  it('accepts the old and the new secret while one is rotated', () => {
    const secrets = ['shpss_old_secret_value', 'shpss_new_secret_value'];
    expect(verifyShopify(body, shopifyHmac(body, 'shpss_old_secret_value'), secrets).ok).toBe(true);
    expect(verifyShopify(body, shopifyHmac(body, 'shpss_new_secret_value'), secrets).ok).toBe(true);
  });

  it('names a missing or malformed header', () => {
    expect(verifyShopify(body, undefined, [secret])).toMatchObject({ ok: false, code: 'missing_signature', message: expect.stringContaining('X-Shopify-Hmac-Sha256') });
    expect(verifyShopify(body, 'not base64 at all', [secret])).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(verifyShopify(body, shopifyHmac(body, secret).slice(0, 20), [secret])).toMatchObject({ ok: false, code: 'invalid_signature' });
  });
});

describe('Stripe-Signature', () => {
  const secret = 'whsec_stripe_endpoint_secret_1';

  it('accepts a v1 over "<t>.<body>" within the tolerance', () => {
    expect(verifyStripe(body, stripeSignatureHeader(body, [secret], T - 30), [secret], NOW, 300)).toEqual({ ok: true });
  });

  it('refuses a tampered body and a wrong secret', () => {
    const header = stripeSignatureHeader(body, [secret], T);
    expect(verifyStripe(tampered, header, [secret], NOW, 300)).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(verifyStripe(body, header, ['whsec_other'], NOW, 300)).toMatchObject({ ok: false, code: 'invalid_signature' });
  });

  it('signs the timestamp too: a signature moved to another t does not verify', () => {
    const v1 = stripeSignatureHeader(body, [secret], T).split(',')[1];
    expect(verifyStripe(body, `t=${T + 1},${v1}`, [secret], NOW, 300).ok).toBe(false);
  });

  it('accepts when only the second of several v1 signatures matches, ignoring v0', () => {
    const good = stripeSignatureHeader(body, [secret], T).split(',')[1];
    const header = `t=${T},v1=${'ab'.repeat(32)},${good},v0=${'cd'.repeat(32)}`;
    expect(verifyStripe(body, header, [secret], NOW, 300)).toEqual({ ok: true });
  });

  it('accepts either endpoint secret during a rotation', () => {
    const secrets = ['whsec_old', 'whsec_new'];
    expect(verifyStripe(body, stripeSignatureHeader(body, ['whsec_old'], T), secrets, NOW, 300).ok).toBe(true);
    expect(verifyStripe(body, stripeSignatureHeader(body, ['whsec_new'], T), secrets, NOW, 300).ok).toBe(true);
  });

  it('refuses a stale (or far future) timestamp even with a valid signature', () => {
    expect(verifyStripe(body, stripeSignatureHeader(body, [secret], T - 301), [secret], NOW, 300)).toMatchObject({ ok: false, code: 'signature_expired' });
    expect(verifyStripe(body, stripeSignatureHeader(body, [secret], T + 301), [secret], NOW, 300)).toMatchObject({ ok: false, code: 'signature_expired' });
    expect(verifyStripe(body, stripeSignatureHeader(body, [secret], T - 300), [secret], NOW, 300).ok).toBe(true);
  });

  it('refuses a missing or malformed header with the reason', () => {
    expect(verifyStripe(body, undefined, [secret], NOW, 300)).toMatchObject({ code: 'missing_signature', message: expect.stringContaining('Stripe-Signature') });
    expect(verifyStripe(body, `v1=${'ab'.repeat(32)}`, [secret], NOW, 300)).toMatchObject({ code: 'invalid_signature', message: expect.stringContaining('t=') });
    expect(verifyStripe(body, `t=${T}`, [secret], NOW, 300)).toMatchObject({ code: 'invalid_signature', message: expect.stringContaining('v1') });
    expect(verifyStripe(body, `t=soon,v1=${'ab'.repeat(32)}`, [secret], NOW, 300)).toMatchObject({ code: 'invalid_signature' });
    expect(verifyStripe(body, 'garbage', [secret], NOW, 300)).toMatchObject({ code: 'invalid_signature' });
  });
});

describe('Standard Webhooks', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const key = standardSecretKey(secret);
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
  const headers = (signature: string | undefined, timestamp = T) => ({ id, timestamp: String(timestamp), signature });

  it('derives the key from the base64 after whsec_', () => {
    expect(key).toEqual(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'));
    expect(standardSecretKey('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toEqual(key);
    expect(() => standardSecretKey('whsec_not base64!')).toThrow(/base64/);
    expect(() => standardSecretKey('whsec_c2hvcnQ=')).toThrow(/16 bytes/);
  });

  it('accepts v1,<base64> over "<id>.<timestamp>.<body>"', () => {
    const signature = standardSignatureHeader(body, [key], id, T);
    expect(verifyStandard(body, headers(signature), [key], NOW, 300)).toEqual({ ok: true });
  });

  it('refuses a tampered body, another message id and a wrong secret', () => {
    const signature = standardSignatureHeader(body, [key], id, T);
    expect(verifyStandard(tampered, headers(signature), [key], NOW, 300)).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(verifyStandard(body, { ...headers(signature), id: 'msg_other' }, [key], NOW, 300).ok).toBe(false);
    const other = standardSecretKey('whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY');
    expect(verifyStandard(body, headers(signature), [other], NOW, 300)).toMatchObject({ ok: false, code: 'invalid_signature' });
  });

  it('accepts when only the second signature matches, and skips other versions', () => {
    const good = standardSignatureHeader(body, [key], id, T);
    const signature = `v1a,${'A'.repeat(86)}== v1,${Buffer.alloc(32, 7).toString('base64')} ${good}`;
    expect(verifyStandard(body, headers(signature), [key], NOW, 300)).toEqual({ ok: true });
  });

  it('accepts the old and the new secret while one is rotated', () => {
    const next = standardSecretKey('whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldY');
    expect(verifyStandard(body, headers(standardSignatureHeader(body, [key], id, T)), [key, next], NOW, 300).ok).toBe(true);
    expect(verifyStandard(body, headers(standardSignatureHeader(body, [next], id, T)), [key, next], NOW, 300).ok).toBe(true);
  });

  it('refuses a timestamp more than the tolerance away', () => {
    const stale = standardSignatureHeader(body, [key], id, T - 301);
    expect(verifyStandard(body, headers(stale, T - 301), [key], NOW, 300)).toMatchObject({ ok: false, code: 'signature_expired' });
  });

  it('refuses a missing or malformed signature header and a malformed timestamp', () => {
    expect(verifyStandard(body, headers(undefined), [key], NOW, 300)).toMatchObject({ code: 'missing_signature', message: expect.stringContaining('webhook-signature') });
    expect(verifyStandard(body, headers('v1:abc'), [key], NOW, 300)).toMatchObject({ code: 'invalid_signature' });
    const signature = standardSignatureHeader(body, [key], id, T);
    expect(verifyStandard(body, { id, timestamp: '2026-11-27T10:00:00Z', signature }, [key], NOW, 300)).toMatchObject({ code: 'invalid_signature' });
  });
});
