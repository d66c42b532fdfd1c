import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { apiTokenRing } from '../../server/auth/apiTokens.js';
import { createAuthenticator, type Authenticator } from '../../server/auth/authenticator.js';
import { authMiddleware } from '../../server/auth/authMiddleware.js';
import { hashPassword } from '../../server/auth/passwords.js';
import { openUserDirectory } from '../../server/auth/users.js';
import { percentiles } from '../../server/domain/percentiles.js';
import { errorMiddleware } from '../../server/http/errorMiddleware.js';
import { sessionRoutes } from '../../server/http/routes/sessionRoutes.js';

/**
 * What access control costs a request: the same small read served with no access control (the baseline), with an
 * API token, and with a session cookie (signature, users lookup, signed-out check), over loopback HTTP in one
 * process; and how long a sign-in takes (scrypt at the default cost, on purpose slow).
 */

export type AccessBenchResult = {
  requests: number;
  concurrency: number;
  paths: { name: string; perSecond: number; p50Ms: number; p95Ms: number }[];
  signIn: { count: number; p50Ms: number; p95Ms: number };
};

const TOKEN = 'bench-viewer-token-0123456789abcdef';
const PASSWORD = 'bench password for the sign-in figure';

export async function accessBench(options: { requests: number; concurrency: number }, log: (line: string) => void): Promise<AccessBenchResult> {
  const users = await openUserDirectory({ users: [{ name: 'vera', role: 'viewer', password_hash: await hashPassword(PASSWORD) }] });
  const auth = await createAuthenticator({ users, apiTokens: apiTokenRing([{ token: TOKEN, role: 'viewer' }]), ingestKeys: [], secret: Buffer.alloc(48, 7), sessionTtlMs: 3_600_000, trustProxy: false });
  const open = await listen(appWith([]));
  const guarded = await listen(appWith([authMiddleware(auth)], auth));
  try {
    const signIns: number[] = [];
    let cookie = '';
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const res = await fetch(`${guarded.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'vera', password: PASSWORD }) });
      signIns.push(performance.now() - started);
      if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
      cookie = /flowlens_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')![0];
    }
    const signIn = percentiles(signIns);
    log(`sign-in p50 ${signIn.p50.toFixed(0)} ms`);
    const paths = [];
    for (const [name, url, headers] of [
      ['no access control (baseline)', open.url, {}],
      ['API token (Authorization: Bearer)', guarded.url, { authorization: `Bearer ${TOKEN}` }],
      ['session cookie', guarded.url, { cookie }],
    ] as const) {
      await run(`${url}/api/v1/dashboards`, headers, 500, options.concurrency);
      const measured = await run(`${url}/api/v1/dashboards`, headers, options.requests, options.concurrency);
      log(`${name}: ${Math.round(measured.perSecond)} requests/s`);
      paths.push({ name, ...measured });
    }
    return { requests: options.requests, concurrency: options.concurrency, paths, signIn: { count: signIn.count, p50Ms: signIn.p50, p95Ms: signIn.p95 } };
  } finally {
    await Promise.all([open.close(), guarded.close()]);
  }
}

export function accessSection(r: AccessBenchResult, machine: string): string[] {
  const base = r.paths[0]!.perSecond;
  return [
    `## Access control: a read with no access control vs with an API token vs with a session; sign-in`,
    ``,
    machine,
    `Command: \`npm run bench -- --only access --requests ${r.requests} --access-concurrency ${r.concurrency}\``,
    ``,
    `The same small JSON read (GET /api/v1/dashboards on a stub app, one process, loopback HTTP, ${r.concurrency} concurrent requests, ${r.requests.toLocaleString('en-US')} each after 500 to warm up).`,
    ``,
    `| caller | requests/s | p50 ms | p95 ms | vs no access control |`,
    `|---|---:|---:|---:|---:|`,
    ...r.paths.map((p) => `| ${p.name} | ${Math.round(p.perSecond).toLocaleString('en-US')} | ${p.p50Ms.toFixed(2)} | ${p.p95Ms.toFixed(2)} | ${(p.perSecond / base).toFixed(2)} |`),
    ``,
    `Sign-in (POST /api/v1/session, scrypt N=2^15, r=8): p50 ${r.signIn.p50Ms.toFixed(0)} ms, p95 ${r.signIn.p95Ms.toFixed(0)} ms over ${r.signIn.count} sign-ins — slow on purpose, once per 12 h per person.`,
  ];
}

function appWith(guards: RequestHandler[], auth?: Authenticator): express.Express {
  const app = express();
  for (const guard of guards) app.use(guard);
  if (auth) app.use(sessionRoutes(auth));
  app.get('/api/v1/dashboards', (_req, res) => {
    res.json({ views: [{ id: 'overview', title: 'Peak-period wall' }], links: { trace: null } });
  });
  app.use(errorMiddleware({ error: () => {} }));
  return app;
}

async function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer({ keepAlive: true }, app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function run(url: string, headers: Record<string, string>, requests: number, concurrency: number) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next++;
        const t = performance.now();
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const { p50, p95 } = percentiles(times);
  return { perSecond: requests / seconds, p50Ms: p50, p95Ms: p95 };
}

