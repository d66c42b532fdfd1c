import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreClients } from '../clickhouse.js';
import { migrate } from '../migrate.js';
import { queryRows } from '../queryRows.js';
import { schemaFor } from '../schema.js';
import { sql } from '../sql.js';
import { appendAuditRows, auditLog, type AuditRow } from './audit.js';

const schema = schemaFor('flowlens');
const dataDir = mkdtempSync(path.join(tmpdir(), 'flowlens-audit-'));
const T0 = Date.parse('2026-11-27T10:00:00Z');
const MIN = 60_000;
const RANGE = { from: T0 - 60 * MIN, to: T0 + 60 * MIN, limit: 100, offset: 0 };
let store: StoreClients;

const row = (id: string, minute: number, over: Partial<AuditRow> = {}): AuditRow => ({
  audit_id: id,
  at: T0 + minute * MIN,
  actor: 'ana',
  actor_kind: 'operator',
  action: 'replay.approve',
  target: 'rpl-1',
  method: 'POST',
  path: '/api/v1/replays/rpl-1/approve',
  from_ip: '127.0.0.1',
  status: 200,
  result: 'ok',
  detail: '',
  ...over,
});

const batch = [
  row('a1', 0),
  row('a2', 1, { actor: 'bo', actor_kind: 'viewer', status: 403, result: 'denied', detail: 'needs_operator' }),
  row('a3', 2, { action: 'alert.mute', target: '', path: '/api/v1/alerts/mutes' }),
  row('a4', 3, { actor: 'anonymous', actor_kind: 'anonymous', action: 'session.login', target: '', status: 401, result: 'denied', detail: 'invalid_credentials' }),
  row('a5', 4, { action: 'replay.cancel', target: 'rpl-2', status: 409, result: 'failed', detail: 'job_finished' }),
];

beforeAll(async () => {
  store = openStore({ dataDir, clickhouseUrl: undefined, clickhouseUser: 'default', clickhousePassword: '' });
  await migrate(store.query, schema, { info: () => {}, warn: () => {} });
  await appendAuditRows(store.ingest, schema, batch);
  // The same insert again (a retry after an unclear failure): deduplicated by its token.
  await appendAuditRows(store.ingest, schema, batch);
  // A row stored twice by another path is still read once.
  await appendAuditRows(store.ingest, schema, [row('a1', 0)]);
});
afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const ids = (page: { rows: AuditRow[] }) => page.rows.map((r) => r.audit_id);

describe('audit log', () => {
  it('stores a retried batch once and reads every row once, newest first, as written', async () => {
    const counted = await queryRows<{ n: string }>(store.query, sql`SELECT count() AS n FROM ${schema.table('auditLog')}`);
    expect(Number(counted[0]?.n)).toBe(6);
    const page = await auditLog(store.query, schema, RANGE);
    expect(ids(page)).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
    expect(page.rows[3]).toEqual(batch[1]);
    expect(page.has_more).toBe(false);
  });

  it('filters by actor, action, target, result and time range', async () => {
    expect(ids(await auditLog(store.query, schema, { ...RANGE, actor: 'bo' }))).toEqual(['a2']);
    expect(ids(await auditLog(store.query, schema, { ...RANGE, action: 'alert.mute' }))).toEqual(['a3']);
    expect(ids(await auditLog(store.query, schema, { ...RANGE, target: 'rpl-1' }))).toEqual(['a2', 'a1']);
    expect(ids(await auditLog(store.query, schema, { ...RANGE, results: ['denied'] }))).toEqual(['a4', 'a2']);
    expect(ids(await auditLog(store.query, schema, { ...RANGE, results: ['ok', 'failed'], actor: 'ana' }))).toEqual(['a5', 'a3', 'a1']);
    expect(ids(await auditLog(store.query, schema, { ...RANGE, from: T0 + MIN, to: T0 + 3 * MIN }))).toEqual(['a3', 'a2']);
  });

  it('pages newest first and says when more follow', async () => {
    const first = await auditLog(store.query, schema, { ...RANGE, limit: 2 });
    expect([ids(first), first.has_more]).toEqual([['a5', 'a4'], true]);
    const last = await auditLog(store.query, schema, { ...RANGE, limit: 2, offset: 4 });
    expect([ids(last), last.has_more]).toEqual([['a1'], false]);
  });

  it('treats SQL-injection strings in every filter as plain values: nothing matches, nothing changes', async () => {
    const attacks = ["' OR 1=1 --", "ana' OR '1'='1", "x'); DROP TABLE flowlens.audit_log; --", '\\', "{p0:String}", 'ana\u0000', "' UNION SELECT * FROM system.users --"];
    for (const value of attacks) {
      for (const field of ['actor', 'action', 'target'] as const) {
        expect(ids(await auditLog(store.query, schema, { ...RANGE, [field]: value })), `${field}=${value}`).toEqual([]);
      }
    }
    expect(ids(await auditLog(store.query, schema, RANGE))).toHaveLength(5);
  });
});
