import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../server/contracts/api.js';
import { postEvents, startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;
const T = Date.now() - 10 * 60_000;
const refund = (id: string, journalAfterMs?: number) => [
  { event_id: `${id}:refund`, correlation_id: `rtr-${id}`, flow: 'return_to_refund', step: 'payment.refund.created', system: 'stripe', occurred_at: T, keys: { refund_id: id } },
  ...(journalAfterMs === undefined ? [] : [{ event_id: `${id}:journal`, correlation_id: `rtr-${id}`, flow: 'return_to_refund', step: 'erp.journal.posted', system: 'erp', occurred_at: T + journalAfterMs, keys: { refund_id: id, journal_id: `JE-${id}` } }]),
];

beforeAll(async () => {
  server = await startTestServer();
  expect((await postEvents(server, [...refund('re_ok', 30_000), ...refund('re_late', 300_000), ...refund('re_lost')])).status).toBe(200);
  await server.flush();
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/slas', () => {
  it('evaluates each policy: met, finished late, still open past the deadline', async () => {
    const body = (await (await fetch(`${server.baseUrl}/api/v1/slas`)).json()) as { policies: { id: string; met: number; late: number; open_breached: number; attainment: number; breaching: boolean; owner: string; deadline_ms: number }[] };
    expect(body.policies.map((p) => p.id)).toContain('inventory-published');
    const ledger = body.policies.find((p) => p.id === 'refund-ledger')!;
    expect(ledger).toMatchObject({ met: 1, late: 1, open_breached: 1, attainment: 1 / 3, breaching: true, owner: 'finance', deadline_ms: 120_000 });
  });

  it('lists the breaches per business key, most overdue first', async () => {
    const body = (await (await fetch(`${server.baseUrl}/api/v1/slas/refund-ledger/breaches`)).json()) as { total: number; breaches: { correlation_id: string; outcome: string; overdue_by_ms: number; keys: Record<string, string> }[] };
    expect(body.total).toBe(2);
    expect(body.breaches.map((b) => [b.correlation_id, b.outcome, b.keys.refund_id])).toEqual([
      ['rtr-re_lost', 'open_breached', 're_lost'],
      ['rtr-re_late', 'late', 're_late'],
    ]);
    expect(body.breaches[1]!.overdue_by_ms).toBe(180_000);
    const open = (await (await fetch(`${server.baseUrl}/api/v1/slas/refund-ledger/breaches?outcome=open_breached`)).json()) as { total: number };
    expect(open.total).toBe(1);
  });

  it('lists a step missing past its deadline as an exception owned by the policy\'s team', async () => {
    const body = (await (await fetch(`${server.baseUrl}/api/v1/exceptions?kind=missing_step`)).json()) as { total: number; exceptions: { kind: string; correlation_id: string; step: string; owner: { id: string }; error: { code: string; message: string }; age_ms: number }[] };
    expect(body.exceptions.map((e) => [e.kind, e.correlation_id, e.step, e.owner.id, e.error.code])).toEqual([['missing_step', 'rtr-re_lost', 'erp.journal.posted', 'finance', 'SLA_DEADLINE_MISSED']]);
    expect(body.exceptions[0]!.error.message).toMatch(/^erp\.journal\.posted not seen \d+[smh] past the 2m deadline of "Refunds in the ledger within 2 min"$/);
    const bad = await fetch(`${server.baseUrl}/api/v1/exceptions?kind=late`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.message).toBe('kind: unknown kind late; use failed_step, missing_step, mismatch, or several separated by commas');
  });

  it('answers 404 naming the policies for an unknown one, and 400 for a bad parameter', async () => {
    const missing = await fetch(`${server.baseUrl}/api/v1/slas/refund-ledgr/breaches`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ApiError).error.message).toMatch(/^no SLA policy refund-ledgr; the policies are .*refund-ledger/);
    const bad = await fetch(`${server.baseUrl}/api/v1/slas/refund-ledger/breaches?outcome=slow`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ApiError).error.message).toBe('outcome: outcome must be late or open_breached');
  });
});
