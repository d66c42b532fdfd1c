import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import type { AlertService } from '../../services/alerts/alertService.js';
import type { ActorOf } from '../actor.js';
import { errorMiddleware } from '../errorMiddleware.js';
import { alertRoutes } from './alertRoutes.js';

const ID = '0f1e2d3c4b5a6978';
const calls: [string, ...unknown[]][] = [];

/** The service port, faked: records what the routes asked for. */
const service: AlertService = {
  start: () => {},
  stop: async () => {},
  tick: async () => ({ at: 0, transitions: 0, delivered: 0, failed: 0, rejected: 0, suppressed: 0, not_claimed: 0, unconfigured: 0 }),
  list: async (q) => (calls.push(['list', q]), { at: 1, lookback_ms: q.lookbackMs, states: [...q.states], total: 0, offset: q.offset, alerts: [], counts: { pending: 0, firing: 0, acknowledged: 0, resolved: 0, inactive: 0, muted: 0 } }),
  get: async (id) => {
    calls.push(['get', id]);
    throw new AppError(404, 'alert_not_found', `no alert ${id} in the last 90 days`);
  },
  acknowledge: async (...args) => (calls.push(['acknowledge', ...args]), { id: args[0] } as never),
  resolve: async (...args) => (calls.push(['resolve', ...args]), { id: args[0] } as never),
  mutes: async () => ({ at: 1, mutes: [] }),
  mute: async (...args) => (calls.push(['mute', ...args]), { id: 'm1' } as never),
  unmute: async (...args) => (calls.push(['unmute', ...args]), { id: args[0] } as never),
};

/** The caller, as the app's auth middleware would name them; here the test says who it is in a header. */
const actorOf: ActorOf = (req) => req.header('x-test-actor') ?? 'nobody';

let server: Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.use(alertRoutes(service, actorOf));
  app.use(errorMiddleware({ error: () => {} }));
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const send = async (method: string, url: string, body?: unknown, actor = 'alice') => {
  const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', 'x-test-actor': actor }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { message: string; details?: { field: string; message: string }[] } } };
};

describe('alert routes', () => {
  it('lists the open alerts by default, and the states, lookback and page asked for', async () => {
    calls.length = 0;
    expect((await send('GET', '/api/v1/alerts')).status).toBe(200);
    expect((await send('GET', '/api/v1/alerts?state=resolved,muted&lookback=3600&limit=10&offset=20')).status).toBe(200);
    expect(calls).toEqual([
      ['list', { states: ['pending', 'firing', 'acknowledged'], lookbackMs: 7 * 86_400_000, limit: 50, offset: 0 }],
      ['list', { states: ['resolved', 'muted'], lookbackMs: 3_600_000, limit: 10, offset: 20 }],
    ]);
  });

  it('answers 400 naming the parameter and the reason', async () => {
    const bad = await send('GET', '/api/v1/alerts?state=burning&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error!.details).toEqual([
      { field: 'state', message: 'unknown state burning; use pending, firing, acknowledged, resolved, inactive, muted, or several separated by commas' },
      { field: 'limit', message: 'limit must be at least 1' },
    ]);
    expect((await send('GET', '/api/v1/alerts/not-an-id')).body.error!.message).toBe('id: an alert id is 16 hex characters');
  });

  it('acknowledges and resolves as the caller', async () => {
    calls.length = 0;
    expect((await send('POST', `/api/v1/alerts/${ID}/acknowledge`, { note: 'on it' }, 'alice')).status).toBe(200);
    expect((await send('POST', `/api/v1/alerts/${ID}/resolve`, undefined, 'bob')).status).toBe(200);
    expect(calls).toEqual([
      ['acknowledge', ID, 'alice', 'on it'],
      ['resolve', ID, 'bob', ''],
    ]);
    expect((await send('POST', `/api/v1/alerts/${ID}/resolve`, '{oops')).body.error!.message).toBe('the body must be a JSON object');
  });

  it('refuses a body that names an actor, whoever it names, and acts for nobody', async () => {
    calls.length = 0;
    const claimed = await send('POST', `/api/v1/alerts/${ID}/acknowledge`, { actor: 'mallory', note: 'on it' }, 'alice');
    expect(claimed.status).toBe(400);
    expect(claimed.body.error!.message).toMatch(/^actor: is not taken: /);
    expect(claimed.body.error!.details).toEqual([{ field: 'actor', message: expect.stringMatching(/^is not taken: /) }]);
    expect((await send('POST', `/api/v1/alerts/${ID}/resolve`, { actor: 'alice' }, 'alice')).status).toBe(400);
    expect((await send('POST', '/api/v1/alerts/mutes', { actor: 'carol', matcher: { policy: 'refund-ledger' }, ends_at: 1, reason: 'x' })).body.error!.details).toEqual([
      { field: 'actor', message: expect.stringMatching(/^is not taken: /) },
    ]);
    expect((await send('DELETE', '/api/v1/alerts/mutes/m1', { actor: 'dave' })).status).toBe(400);
    expect(calls).toEqual([]);
  });

  it('creates a mute with its matcher, end time and reason, and ends one, as the caller', async () => {
    calls.length = 0;
    const created = await send('POST', '/api/v1/alerts/mutes', { matcher: { policy: 'refund-ledger', group: { channel: 'amazon' } }, ends_at: '2026-11-27T12:00:00Z', reason: 'ERP maintenance' }, 'carol');
    expect(created.status).toBe(201);
    expect((await send('DELETE', '/api/v1/alerts/mutes/m1', undefined, 'dave')).status).toBe(200);
    expect(calls).toEqual([
      ['mute', { policy: 'refund-ledger', group: { channel: 'amazon' } }, Date.parse('2026-11-27T12:00:00Z'), 'carol', 'ERP maintenance', undefined],
      ['unmute', 'm1', 'dave'],
    ]);
  });

  it('refuses a mute that names nothing, has no end time or no reason, saying which field', async () => {
    const bad = await send('POST', '/api/v1/alerts/mutes', { matcher: {}, ends_at: 'tomorrow' });
    expect(bad.status).toBe(400);
    expect(bad.body.error!.details).toEqual([
      { field: 'matcher', message: 'must name at least one of alert_id, rule, policy, owner, flow, severity, group' },
      { field: 'ends_at', message: 'must be epoch milliseconds or an ISO 8601 time with a zone, e.g. 2026-11-27T10:00:00Z' },
      { field: 'reason', message: 'is required' },
    ]);
    expect((await send('POST', '/api/v1/alerts/mutes', { matcher: { colour: 'red' }, ends_at: 1, reason: 'x' })).body.error!.details).toEqual([
      { field: 'matcher.colour', message: 'unknown field' },
      { field: 'matcher', message: 'must name at least one of alert_id, rule, policy, owner, flow, severity, group' },
    ]);
  });

  it('passes the service\'s errors on', async () => {
    const missing = await send('GET', `/api/v1/alerts/${ID}`);
    expect([missing.status, missing.body.error!.message]).toEqual([404, `no alert ${ID} in the last 90 days`]);
  });
});
