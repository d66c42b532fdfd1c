import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvent } from '../support/testServer.js';
import { startIngestHarness, type IngestHarness } from '../support/ingestHarness.js';

let harness: IngestHarness;
beforeAll(async () => {
  harness = await startIngestHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('the ingest harness for receiver tests', () => {
  it('stores what a receiver ingests and finds it by key', async () => {
    const outcome = await harness.ingestor.ingest('test', [{ index: 0, value: makeEvent({ event_id: 'h-1', keys: { order_id: 'SO-H1' } }) }]);
    expect(outcome.kind).toBe('stored');
    expect((await harness.eventsWithKey('SO-H1')).map((e) => e.event_id)).toEqual(['h-1']);
    expect(await harness.countEvents()).toBe(1);
  });
});
