import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_TOKENS } from '../support/access.js';
import { rawRequest } from '../support/accessProbe.js';
import { startTestServer, type TestServer } from '../support/testServer.js';

/**
 * Issue 7: `../` and `%2e%2e` on the web app's routes answer 404 and never a file outside the web folder. The
 * server serves a built dashboard of its own here (FLOWLENS_WEB_DIR), laid out as the repository is — `web/dist`
 * with `package.json`, `web/tsconfig.json` and `server/config/config.ts` around it, each holding a marker — so the
 * test does not depend on `npm run build:web` and a file a traversal reached would be recognised. Requests go
 * out byte for byte (node:http): fetch would resolve the dots before sending.
 */

const MARKER = 'TRAVERSAL-MARKER-5f1c';
const INDEX_MARKER = 'flowlens-test-index-9a7e';
const root = mkdtempSync(path.join(tmpdir(), 'flowlens-traversal-'));
const webDir = path.join(root, 'web', 'dist');

/** Paths that try to leave the web folder; `malformed` ones may also be refused with 400. */
const TRAVERSALS: readonly { path: string; malformed?: boolean }[] = [
  { path: '/../package.json' },
  { path: '/../../package.json' },
  { path: '/../tsconfig.json' },
  { path: '/assets/../../package.json' },
  { path: '/assets/../../../package.json' },
  { path: '/%2e%2e/package.json' },
  { path: '/%2e%2e/%2e%2e/package.json' },
  { path: '/%2E%2E/%2E%2E/package.json' },
  { path: '/.%2e/.%2e/package.json' },
  { path: '/%2e%2e%2fpackage.json' },
  { path: '/%2e%2e%2f%2e%2e%2fpackage.json' },
  { path: '/%2e%2e%2ftsconfig.json' },
  { path: '/assets/%2e%2e/%2e%2e/server/config/config.ts' },
  { path: '/assets/%2e%2e/%2e%2e/%2e%2e/server/config/config.ts' },
  { path: '/..%2f..%2fetc/passwd' },
  { path: `/${'..%2f'.repeat(12)}etc/passwd` },
  { path: '/%2e%2e/%2e%2e/%2e%2e/etc/passwd' },
  { path: `/${'%2e%2e/'.repeat(12)}etc/passwd` },
  { path: `/assets/${'../'.repeat(12)}etc/passwd` },
  { path: '/assets/..%5c..%5cpackage.json' },
  { path: '/assets/..%5c..%5c..%5cpackage.json' },
  { path: '/assets/..\\..\\..\\package.json' },
  { path: '/%252e%252e/%252e%252e/package.json' },
  { path: '/assets/%252e%252e%252f%252e%252e%252f%252e%252e%252fpackage.json' },
  { path: '/assets/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/package.json', malformed: true },
  { path: '/%2e%2e%00/%2e%2e%00/package.json', malformed: true },
  { path: '/%2e%2e/%2e%2e/package.json%00.html', malformed: true },
];

const CALLERS: readonly { label: string; headers: Record<string, string> }[] = [
  { label: 'anonymous', headers: {} },
  { label: 'viewer token', headers: { authorization: `Bearer ${TEST_TOKENS.viewer}` } },
];

let server: TestServer;

beforeAll(async () => {
  mkdirSync(path.join(webDir, 'assets'), { recursive: true });
  mkdirSync(path.join(root, 'server', 'config'), { recursive: true });
  writeFileSync(path.join(webDir, 'index.html'), `<!doctype html><html><head><title>Flowlens</title></head><body><!-- ${INDEX_MARKER} --><div id="root"></div></body></html>\n`);
  writeFileSync(path.join(webDir, 'assets', 'app-test.js'), 'console.log("the dashboard");\n');
  writeFileSync(path.join(root, 'package.json'), `{\n  "name": "flowlens",\n  "marker": "${MARKER}"\n}\n`);
  writeFileSync(path.join(root, 'web', 'tsconfig.json'), `{ "marker": "${MARKER}" }\n`);
  writeFileSync(path.join(root, 'server', 'config', 'config.ts'), `// ${MARKER}\n`);
  server = await startTestServer({ env: { FLOWLENS_WEB_DIR: webDir } });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the web app', () => {
  it('serves its page and files, so the 404s below mean something', async () => {
    const page = await rawRequest(server.baseUrl, 'GET', '/');
    expect([page.status, page.text.includes(INDEX_MARKER)]).toEqual([200, true]);
    const asset = await rawRequest(server.baseUrl, 'GET', '/assets/app-test.js');
    expect([asset.status, asset.text]).toEqual([200, 'console.log("the dashboard");\n']);
    // A screen's own address is the page too (the browser routes it).
    const screen = await rawRequest(server.baseUrl, 'GET', '/exceptions');
    expect([screen.status, screen.text.includes(INDEX_MARKER)]).toEqual([200, true]);
  });
});

describe(`path traversal on the web app's routes: ${TRAVERSALS.length} paths × ${CALLERS.length} callers = ${TRAVERSALS.length * CALLERS.length} requests`, () => {
  it('answers 404 (400 for a malformed encoding) and never a file outside the web folder', async () => {
    const wrong: string[] = [];
    for (const traversal of TRAVERSALS) {
      for (const caller of CALLERS) {
        const res = await rawRequest(server.baseUrl, 'GET', traversal.path, caller.headers);
        const allowed = traversal.malformed ? [400, 404] : [404];
        const leaked = [MARKER, '"name": "flowlens"', 'root:'].filter((text) => res.text.includes(text));
        const what = res.text.includes(INDEX_MARKER) ? 'the dashboard page (index.html)' : JSON.stringify(res.text.slice(0, 120));
        if (!allowed.includes(res.status) || leaked.length > 0) {
          wrong.push(`GET ${traversal.path} as ${caller.label}: ${res.status} ${what}${leaked.length > 0 ? `, leaking ${leaked.join(', ')}` : ''}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
