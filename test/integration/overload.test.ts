import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineageResponseSchema } from '../../server/contracts/lineageApi.js';
import { makeEvent, postEvents, startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;

beforeAll(async () => {
  // A tiny queue so a burst of concurrent requests overflows it.
  server = await startTestServer({ env: { FLOWLENS_INGEST_MAX_PENDING_ROWS: '100' } });
});
afterAll(async () => {
  await server?.close();
});

describe('a burst beyond the ingest queue', () => {
  it('answers 429 with Retry-After for what it cannot take, and keeps every event it acknowledged', async () => {
    const requests = Array.from({ length: 24 }, (_, r) =>
      Array.from({ length: 60 }, (_, i) => makeEvent({ event_id: `burst-${r}-${i}`, correlation_id: `burst-${r}`, keys: { order_id: `SO-BURST-${r}` } })),
    );
    const answers = await Promise.all(requests.map((events) => postEvents(server, events)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    const refused = answers.find((a) => a.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: { code: 'overloaded', message: expect.stringContaining('retry') } });

    await server.flush();
    for (const [r, answer] of answers.entries()) {
      const lineage = await server.api(`/api/v1/lineage?key=SO-BURST-${r}&depth=0`, {}, 'viewer');
      if (answer.status === 200) {
        expect(lineageResponseSchema.parse(await lineage.json()).events).toHaveLength(60);
      } else {
        expect(lineage.status).toBe(404);
      }
    }
  });
});
