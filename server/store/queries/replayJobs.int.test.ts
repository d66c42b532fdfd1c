import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreClients } from '../clickhouse.js';
import { migrate } from '../migrate.js';
import { schemaFor } from '../schema.js';
import { appendJobRow, jobPage, type JobRow } from './replayJobs.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-replay-jobs-'));
const T0 = Date.parse('2026-11-27T10:00:00Z');
let store: StoreClients;

const job = (n: number, state: JobRow['state'], seq = n): JobRow => ({
  job_id: `rpl-${String(n).padStart(20, '0')}`,
  seq,
  state,
  actor: 'olga',
  note: '',
  at: T0 + n * 1000,
  created_at: T0 + n * 1000,
  requested_by: 'olga',
  reason: 'ERP back',
  selection: '{}',
  approval_flows: [],
  item_count: 1,
});

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  for (let n = 1; n <= 5; n++) await appendJobRow(store.ingest, schema, job(n, 'queued'));
  await appendJobRow(store.ingest, schema, job(2, 'done', 10));
});

afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a page of replay jobs', () => {
  it('counts every matching job, also on a page past the end', async () => {
    expect(await jobPage(store.query, schema, { limit: 2, offset: 0 })).toEqual({ ids: [job(5, 'queued').job_id, job(4, 'queued').job_id], total: 5 });
    expect(await jobPage(store.query, schema, { limit: 2, offset: 4 })).toEqual({ ids: [job(1, 'queued').job_id], total: 5 });
    expect(await jobPage(store.query, schema, { limit: 2, offset: 40 })).toEqual({ ids: [], total: 5 });
    expect(await jobPage(store.query, schema, { states: ['done'], limit: 2, offset: 40 })).toEqual({ ids: [], total: 1 });
    expect(await jobPage(store.query, schema, { states: ['queued'], limit: 10, offset: 0 })).toMatchObject({ total: 4 });
  });
});
