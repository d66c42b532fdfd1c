import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { TEST_PASSWORD } from './access.js';

/** Where browser tests save the screenshots the README shows. */
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

/** Debian's chromium, headless, with nothing reaching out to the network on its own (no browser download here). */
export async function launchBrowser(): Promise<Browser> {
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Sign in as `name` through the API (`POST /api/v1/session`), so the context's cookie jar holds the session and
 * every page of the context is signed in. The sign-in form itself is tested in test/e2e/signIn.test.ts.
 */
export async function signIn(context: BrowserContext, baseUrl: string, name: string, password: string): Promise<void> {
  const response = await context.request.post(`${baseUrl}/api/v1/session`, { data: { name, password } });
  if (!response.ok()) throw new Error(`signing in as ${name} failed: ${response.status()} ${await response.text()}`);
}

/** A page in a context of its own, signed in as one of the test users (test/support/access.ts). */
export async function signedInPage(browser: Browser, baseUrl: string, name: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  await signIn(context, baseUrl, name, TEST_PASSWORD);
  const page = await context.newPage();
  // The context goes with its page (already gone when the browser closed first).
  page.once('close', () => void context.close().catch(() => undefined));
  return page;
}
