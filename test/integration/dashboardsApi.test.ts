import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../server/catalog/loadCatalog.js';
import type { ApiError } from '../../server/contracts/api.js';
import { dashboardsResponseSchema } from '../../server/contracts/dashboardViews.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('GET /api/v1/dashboards', () => {
  it('serves the views of dashboards/views/ in menu order, options filled in, in the shape the web app parses', async () => {
    const response = await server.api('/api/v1/dashboards', {}, 'viewer');
    expect(response.status).toBe(200);
    const body = dashboardsResponseSchema.parse(await response.json());

    // Exactly the files, as the catalog loads them, the wall first.
    expect(body).toEqual({ views: loadCatalog(path.resolve('dashboards')).views, links: { trace: null } });
    expect(body.views[0]!.id).toBe('overview');
    const wall = body.views[0]!;
    expect(wall.panels.find((p) => p.kind === 'throughput')).toMatchObject({ id: 'throughput', width: 'full', options: { windowSeconds: 300 } });
    expect(wall.panels.find((p) => p.kind === 'staleStock')?.options).toEqual({ thresholdSeconds: 300, limit: 10 });
  });

  it('refuses parameters it does not take, naming them', async () => {
    const response = await server.api('/api/v1/dashboards?view=inventory', {}, 'viewer');
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiError).error.message).toMatch(/view/);
  });

  it('answers 401 to someone not signed in, saying how to sign in', async () => {
    const response = await fetch(`${server.baseUrl}/api/v1/dashboards`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as ApiError).error.message).toMatch(/^sign in first/);
  });
});
