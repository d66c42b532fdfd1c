import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorMiddleware } from '../../server/http/errorMiddleware.js';
import { startIngestHarness, type IngestHarness } from '../../test/support/ingestHarness.js';
import { fileRoutes } from './fileRoutes.js';

const TOKEN = 'file-upload-token-0123456789';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

let harness: IngestHarness;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  harness = await startIngestHarness();
  const app = express();
  app.use(fileRoutes(harness.ingestor, { tokens: [TOKEN], maxBodyBytes: 1024 * 1024 }));
  app.use(errorMiddleware({ error: () => {} }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await harness?.close();
});

function upload(kind: string, body: Uint8Array | string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/v1/files/${kind}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain; charset=utf-8', ...headers },
    body,
  });
}

describe('POST /v1/files/:kind', () => {
  it('stores a settlement report and finds its lines by settlement id, order id and refund id', async () => {
    const res = await upload('settlement', fixture('amazon-settlement-v2.tsv'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ kind: 'settlement', lines: 16, accepted: 16, duplicates: 0, rejected: 0, errors: [], errors_truncated: false });

    const events = await harness.eventsWithKey('11893454021');
    expect(events).toHaveLength(16);
    expect(events.find((e) => e.step === 'marketplace.settlement.reported')).toMatchObject({ amount: '71.02', currency: 'EUR' });
    // Lines posted at the same time come back in event id order: compare as a set.
    const order = (await harness.eventsWithKey('302-1111111-1000001')).map((e) => e.amount);
    expect(order.sort()).toEqual(['49.9', '-7.49', '-3.65', '-49.9', '5.99', '-1.5'].sort());
    expect(await harness.eventsWithKey('50418347892')).toHaveLength(3);
  });

  it('stores a POS batch sent gzip-compressed', async () => {
    const res = await upload('pos', gzipSync(fixture('pos-batch.csv')), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'pos', lines: 5, accepted: 5, rejected: 0 });
    const [sale] = await harness.eventsWithKey('R-001-20261127-0043');
    expect(sale).toMatchObject({ step: 'pos.sale.captured', location_id: 'store-001', sku: 'JACKET-NVY-L', quantity: -1, amount: '129' });
  });

  it('stores a journal export; its settlement postings join the settlement transaction', async () => {
    const res = await upload('journal', fixture('erp-journal.csv'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: 'journal', lines: 11, accepted: 11 });
    expect(await harness.eventsWithKey('JE-2026-004790')).toHaveLength(3);
    const settlement = await harness.eventsWithKey('settlement-11893454021');
    expect(settlement.filter((e) => e.step === 'erp.journal.posted')).toHaveLength(5);
  });

  it('changes nothing when the same file is uploaded again: all duplicates', async () => {
    const before = await harness.countEvents();
    for (const [kind, name, lines] of [
      ['settlement', 'amazon-settlement-v2.tsv', 16],
      ['pos', 'pos-batch.csv', 5],
      ['journal', 'erp-journal.csv', 11],
    ] as const) {
      const res = await upload(kind, fixture(name));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ kind, lines, accepted: lines, duplicates: lines, rejected: 0 });
    }
    expect(await harness.countEvents()).toBe(before);
  });

  it('keeps the good lines of a file with bad ones and names each bad line, column and reason', async () => {
    const res = await upload('pos', fixture('pos-batch-with-errors.csv'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: number; rejected: number; errors: { line: number; field: string }[] };
    expect(body).toMatchObject({ lines: 9, accepted: 3, rejected: 6 });
    expect(body.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'timestamp'],
      [4, 'type'],
      [5, 'quantity'],
      [6, 'line_no'],
      [7, 'sku'],
      [9, '(line)'],
    ]);
    expect(await harness.eventsWithKey('R-003-20261128-0007')).toHaveLength(1);
  });

  it('answers 400 when no line is valid, with each line in the details', async () => {
    const res = await upload('journal', 'journal_id,line_no,posting_date,account,debit,credit,currency,document_type,reference\nJE-1,1,2026-11-30,4000,,,EUR,invoice,SO-1\n');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_file', details: [{ field: 'debit', message: expect.stringMatching(/^line 2: /) }] },
    });
  });

  it('answers 400 naming the missing columns when the header lacks required ones', async () => {
    const text = fixture('amazon-settlement-v2.tsv').toString('utf8').replace('total-amount', 'total');
    const res = await upload('settlement', text);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'missing_columns', message: expect.stringContaining('total-amount'), details: [{ field: 'total-amount' }] },
    });
  });

  it('answers 401 without a valid token and 404 naming the kinds for an unknown kind', async () => {
    const wrong = await upload('pos', fixture('pos-batch.csv'), { authorization: 'Bearer not-the-token-0123456789' });
    expect(wrong.status).toBe(401);
    const unknown = await upload('invoices', 'a,b\n');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_file_kind', message: expect.stringMatching(/settlement.*pos.*journal/) } });
  });
});
