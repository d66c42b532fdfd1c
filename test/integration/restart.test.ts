import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { throughputSchema } from '../../server/contracts/api.js';
import { lineageResponseSchema } from '../../server/contracts/lineageApi.js';
import { makeEvent, postEvents, startTestServer, type TestServer } from '../support/testServer.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-restart-'));
let server: TestServer | undefined;

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a restarted server on the same data folder', () => {
  const event = makeEvent({ event_id: 'restart-1', correlation_id: 'otc-restart', keys: { order_id: 'SO-RESTART' } });

  it('keeps acknowledged events, and counts an event re-sent after the restart once', async () => {
    server = await startTestServer({ dataDir, keepData: true });
    expect((await postEvents(server, [event])).status).toBe(200);
    await server.close();

    // A new process remembers no recent ids: the re-sent event reaches the store again and queries must fold it.
    server = await startTestServer({ dataDir, keepData: true });
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
    const again = await postEvents(server, [event]);
    expect(await again.json()).toMatchObject({ accepted: 1, duplicates: 0 });

    const lineage = lineageResponseSchema.parse(await (await server.api('/api/v1/lineage?key=SO-RESTART', {}, 'viewer')).json());
    expect(lineage.events.map((e) => e.event_id)).toEqual(['restart-1']);
    expect(lineage.correlations[0]?.event_count).toBe(1);

    const throughput = throughputSchema.parse(await (await server.api('/api/v1/throughput', {}, 'viewer')).json());
    const total = throughput.series.flatMap((s) => s.points).reduce((n, p) => n + p.count, 0);
    expect(total).toBe(1);
  });
});
