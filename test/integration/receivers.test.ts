import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineageResponseSchema } from '../../server/contracts/lineageApi.js';
import { fixtureBytes } from '../../collectors/webhooks/fixtures/loadFixture.js';
import { shopifyHmac, stripeSignatureHeader } from '../../collectors/webhooks/signatures.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

const SHOPIFY_SECRET = 'shpss_receivers_test_0123456789';
const STRIPE_SECRET = 'whsec_receivers_test_0123456789';
const inbox = mkdtempSync(path.join(tmpdir(), 'flowlens-inbox-'));
const fixtures = path.resolve(import.meta.dirname, '../../collectors/files/fixtures');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { FLOWLENS_SHOPIFY_WEBHOOK_SECRETS: SHOPIFY_SECRET, FLOWLENS_STRIPE_WEBHOOK_SECRETS: STRIPE_SECRET, FLOWLENS_INBOX_DIR: inbox, FLOWLENS_INBOX_POLL_MS: '100' } });
});
afterAll(async () => {
  await server?.close();
  rmSync(inbox, { recursive: true, force: true });
});

const lineage = async (key: string) => {
  await server.flush();
  return server.api(`/api/v1/lineage?key=${encodeURIComponent(key)}&depth=0`, {}, 'viewer');
};

describe('every receiver on the running server', () => {
  it('takes a signed Shopify webhook and finds the order by its name', async () => {
    const body = fixtureBytes('shopifyOrder');
    const order = JSON.parse(body.toString('utf8')) as { name: string };
    const res = await fetch(`${server.baseUrl}/webhooks/shopify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-shopify-hmac-sha256': shopifyHmac(body, SHOPIFY_SECRET),
        'x-shopify-topic': 'orders/create',
        'x-shopify-webhook-id': 'receivers-test-delivery-1',
        'x-shopify-shop-domain': 'flowlens-demo.myshopify.com',
      },
      body,
    });
    expect(res.status).toBe(200);
    expect((await lineage(order.name)).status).toBe(200);
  });

  it('answers a webhook route without a secret with 503 naming the setting', async () => {
    const res = await fetch(`${server.baseUrl}/webhooks/standard`, {
      method: 'POST',
      headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': '1', 'webhook-signature': 'v1,AA==' },
      body: '{}',
    });
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain('FLOWLENS_STANDARD_WEBHOOK_SECRETS');
  });

  it('walks the key crosswalk from a Stripe refund to the Shopify order and on to the ERP journal', async () => {
    // The Shopify order #1001 arrived in the first test. Stripe's refund carries the order in its metadata.
    const refund = fixtureBytes('stripeRefundCreated');
    const refundId = (JSON.parse(refund.toString('utf8')) as { data: { object: { id: string } } }).data.object.id;
    const stripe = await fetch(`${server.baseUrl}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignatureHeader(refund, [STRIPE_SECRET], Math.floor(Date.now() / 1000)) },
      body: refund,
    });
    expect(stripe.status).toBe(200);
    // The ERP books the credit memo against the refund id.
    const journal = [
      'journal_id,line_no,posting_date,account,debit,credit,currency,document_type,reference,description',
      `JE-CROSSWALK-1,1,2026-11-12,4000 Revenue,49.90,,EUR,credit_memo,${refundId},Credit memo for order #1001`,
    ].join('\n');
    const upload = await fetch(`${server.baseUrl}/v1/files/journal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.ingestToken}`, 'content-type': 'text/csv' },
      body: journal,
    });
    expect(upload.status).toBe(200);

    await server.flush();
    const res = await server.api(`/api/v1/lineage?key=${encodeURIComponent(refundId)}&depth=2`, {}, 'viewer');
    const chain = lineageResponseSchema.parse(await res.json());
    expect(chain.events.some((e) => e.step === 'shop.order.created' && e.keys.order_id === '#1001')).toBe(true);
    expect(chain.events.some((e) => e.step.startsWith('payment.refund') && e.keys.refund_id === refundId)).toBe(true);
    expect(chain.events.some((e) => e.step === 'erp.journal.posted' && e.keys.journal_id === 'JE-CROSSWALK-1')).toBe(true);
  });

  it('takes a POS batch upload with an ingest key', async () => {
    const res = await fetch(`${server.baseUrl}/v1/files/pos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.ingestToken}`, 'content-type': 'text/csv' },
      body: readFileSync(path.join(fixtures, 'pos-batch.csv')),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'pos', rejected: 0 });
  });

  it('picks up a journal export dropped into the inbox and files it with a report', async () => {
    mkdirSync(path.join(inbox, 'journal'), { recursive: true });
    copyFileSync(path.join(fixtures, 'erp-journal.csv'), path.join(inbox, 'journal', 'erp-journal.csv'));
    const processed = path.join(inbox, 'processed', 'journal');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(existsSync(processed) && readdirSync(processed).some((f) => f.endsWith('.report.json')))) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const report = readdirSync(processed).find((f) => f.endsWith('.report.json'));
    expect(report).toBeDefined();
    expect(JSON.parse(readFileSync(path.join(processed, report!), 'utf8'))).toMatchObject({ kind: 'journal', rejected: 0 });
    const journalId = /^[^\n]*\n([^,\n]+)/.exec(readFileSync(path.join(fixtures, 'erp-journal.csv'), 'utf8'))?.[1];
    const found = lineageResponseSchema.parse(await (await lineage(journalId!)).json());
    expect(found.events.length).toBeGreaterThan(0);
  });
});
