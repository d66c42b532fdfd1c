import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, retryAfterMs } from './sender.js';

/** A receiver on 127.0.0.1 answering each request with the next of `answers` (the last one repeats). */
let server: Server;
let url: string;
let answers: ((res: ServerResponse) => void)[] = [];
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
const reply = (status: number, body = '', headers: Record<string, string> = {}) => (res: ServerResponse) => res.writeHead(status, headers).end(body);

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      (answers.length > 1 ? answers.shift()! : answers[0]!)(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const waits: number[] = [];
const send = createSender({ timeoutMs: 500, attempts: 3, backoffMs: 100, sleep: async (ms) => void waits.push(ms) });
const request = { url: '', headers: { 'content-type': 'application/json', 'idempotency-key': 'n1' }, body: '{"a":1}' };

describe('createSender', () => {
  it('retries a 5xx with back-off and stops at the first 2xx, recording every attempt', async () => {
    answers = [reply(500, 'boom'), reply(202, '{"status":"success"}')];
    received.length = 0;
    waits.length = 0;
    const delivery = await send({ ...request, url }, 4);
    expect(delivery.outcome).toBe('delivered');
    expect(delivery.attempts.map((a) => [a.attempt, a.outcome, a.response])).toEqual([
      [4, 'retrying', '500 boom'],
      [5, 'delivered', '202 {"status":"success"}'],
    ]);
    expect(received.map((r) => [r.body, r.headers['idempotency-key'], r.headers['user-agent']])).toEqual([
      ['{"a":1}', 'n1', 'flowlens-alerts'],
      ['{"a":1}', 'n1', 'flowlens-alerts'],
    ]);
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[0]).toBeLessThanOrEqual(120);
  });

  it('waits as long as a 429 says, and gives up on a wait longer than it allows', async () => {
    answers = [reply(429, '', { 'retry-after': '2' }), reply(200, 'ok')];
    waits.length = 0;
    expect((await send({ ...request, url }, 1)).outcome).toBe('delivered');
    expect(waits).toEqual([2000]);
    answers = [reply(429, '', { 'retry-after': '3600' })];
    const throttled = await send({ ...request, url }, 1);
    expect(throttled.outcome).toBe('failed');
    expect(throttled.attempts).toHaveLength(1);
  });

  it('does not retry an answer that refuses the request, and fails after the bounded attempts otherwise', async () => {
    answers = [reply(400, '{"status":"invalid event"}')];
    const refused = await send({ ...request, url }, 1);
    expect(refused).toMatchObject({ outcome: 'rejected', attempts: [{ attempt: 1, outcome: 'rejected', response: '400 {"status":"invalid event"}' }] });
    answers = [reply(503, 'down')];
    const down = await send({ ...request, url }, 1);
    expect(down.outcome).toBe('failed');
    expect(down.attempts.map((a) => a.outcome)).toEqual(['retrying', 'retrying', 'failed']);
  });

  it('counts a receiver that does not answer in time, or is not there, as a failure to retry', async () => {
    answers = [() => {}];
    const silent = await send({ ...request, url }, 1);
    expect(silent.attempts.map((a) => a.response)).toEqual(['no answer within 500 ms', 'no answer within 500 ms', 'no answer within 500 ms']);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const gone = await createSender({ attempts: 1 })({ ...request, url: `http://127.0.0.1:${port}/none` }, 1);
    expect(gone).toMatchObject({ outcome: 'failed', attempts: [{ outcome: 'failed', response: expect.stringContaining('ECONNREFUSED') }] });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-27T10:00:00Z');
    expect(retryAfterMs('5', now)).toBe(5000);
    expect(retryAfterMs('Fri, 27 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(null, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });
});
